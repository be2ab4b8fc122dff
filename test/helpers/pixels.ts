/**
 * How far apart two RGBA images are, for tests that compare pixels with a tolerance (encoders,
 * converters and scalers against independent decoders or native ffmpeg).
 */
import type { RgbaImage } from '../../src/image/rgba-image.js';

/** Per-channel differences over some channels of two images. */
export interface Difference {
  /** Mean absolute difference per channel sample. */
  readonly mean: number;
  readonly max: number;
  /** Fraction of channel samples differing by more than 3. */
  readonly over3: number;
}

/** Differences over R, G and B of two images of one size (alpha ignored). */
export function rgbDifference(a: RgbaImage, b: RgbaImage): Difference {
  return difference(a, b, [0, 1, 2]);
}

/** Differences over the alpha channel of two images of one size. */
export function alphaDifference(a: RgbaImage, b: RgbaImage): Difference {
  return difference(a, b, [3]);
}

function difference(a: RgbaImage, b: RgbaImage, channels: readonly number[]): Difference {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`size mismatch: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  let sum = 0;
  let max = 0;
  let over3 = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n * 4; i += 4) {
    for (const c of channels) {
      const d = Math.abs(a.data[i + c] - b.data[i + c]);
      sum += d;
      if (d > max) max = d;
      if (d > 3) over3++;
    }
  }
  return { mean: sum / (n * channels.length), max, over3: over3 / (n * channels.length) };
}
