import { StillframeError } from '../errors.js';

/** An 8-bit RGBA picture: `data.length === width * height * 4`, rows top to bottom, no padding. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * Checks that `image` is what its fields claim (positive whole sides, exactly 4 bytes a pixel),
 * and returns its pixel count. Rejects with `invalid-argument` otherwise.
 */
export function assertRgbaImage(image: RgbaImage): number {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 4) {
    throw new StillframeError('invalid-argument', `Image of ${width}x${height} must have ${width * height * 4} bytes of RGBA, got ${data.length}`);
  }
  return width * height;
}

/** Whether any pixel of `image` is less than fully opaque (alpha below 255). */
export function hasTransparency(image: RgbaImage): boolean {
  const { data } = image;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return true;
  return false;
}
