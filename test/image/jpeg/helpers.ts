/**
 * Shared by the JPEG encoder tests: test pictures, an independent decode by native ffmpeg that
 * also reports what ffmpeg printed, and PSNR.
 */
import { spawnSync } from 'node:child_process';
import type { RgbaImage } from '../../../src/image/rgba-image.js';
import { noise } from '../../helpers/noise.js';

/** A smooth picture: horizontal and vertical ramps and a gentle diagonal wave, no noise. */
export function smoothImage(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = Math.round((255 * x) / Math.max(1, width - 1));
      data[i + 1] = Math.round((255 * y) / Math.max(1, height - 1));
      data[i + 2] = Math.round(128 + 90 * Math.sin((x + y) / 23));
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** {@link smoothImage} plus ±`amplitude` noise per channel: photo-like texture. */
export function texturedImage(width: number, height: number, amplitude = 16, seed = 5): RgbaImage {
  const { data } = smoothImage(width, height);
  const jitter = noise(width * height * 4, seed, 2 * amplitude + 1);
  for (let i = 0; i < data.length; i++) {
    if ((i & 3) !== 3) data[i] = Math.max(0, Math.min(255, data[i] + jitter[i] - amplitude));
  }
  return { width, height, data };
}

/** What native ffmpeg made of a JPEG: its RGBA pixels and everything it printed at `-v error`. */
export interface NativeDecode {
  readonly image: RgbaImage;
  readonly stderr: string;
}

/**
 * Decodes `jpeg` with native ffmpeg (`-f image2pipe`, the mjpeg decoder, swscale to rgb24) at
 * `-v error`, so any complaint about the bitstream ends up in `stderr`. Throws when ffmpeg
 * fails or produces other than `width × height` pixels.
 */
export function ffmpegDecode(jpeg: Uint8Array, width: number, height: number): NativeDecode {
  const run = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'image2pipe', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { input: jpeg, maxBuffer: 256 * 1024 * 1024 },
  );
  const stderr = run.stderr.toString();
  if (run.status !== 0) throw new Error(`ffmpeg exited with ${run.status}: ${stderr}`);
  const rgb = run.stdout;
  if (rgb.length !== width * height * 3) {
    throw new Error(`ffmpeg decoded ${rgb.length} bytes, expected ${width}x${height}x3 = ${width * height * 3}; ${stderr}`);
  }
  const data = new Uint8Array(width * height * 4);
  for (let i = 0, s = 0; s < rgb.length; i += 4, s += 3) {
    data[i] = rgb[s];
    data[i + 1] = rgb[s + 1];
    data[i + 2] = rgb[s + 2];
    data[i + 3] = 255;
  }
  return { image: { width, height, data }, stderr };
}

/** Peak signal-to-noise ratio over R, G and B, in dB (Infinity when identical). */
export function psnr(a: RgbaImage, b: RgbaImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('size mismatch');
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    if ((i & 3) === 3) continue;
    const d = a.data[i] - b.data[i];
    sum += d * d;
  }
  const mse = sum / (a.width * a.height * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** The marker segments of a JPEG up to SOS, as `[marker, payload]` (payload without the length). */
export function segments(jpeg: Uint8Array): Array<[number, Uint8Array]> {
  const out: Array<[number, Uint8Array]> = [];
  let at = 2; // after SOI
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1];
    const length = (jpeg[at + 2] << 8) | jpeg[at + 3];
    out.push([marker, jpeg.subarray(at + 4, at + 2 + length)]);
    if (marker === 0xda) break;
    at += 2 + length;
  }
  return out;
}
