/**
 * Native-ffmpeg references for the image tests: synthetic frames in any pix_fmt, and the
 * RGB native swscale makes of them, so our conversions are judged against an independent
 * implementation rather than against themselves (measured with `rgbDifference` from
 * `test/helpers/pixels.ts`).
 */
import type { RgbaImage } from '../../src/image/rgba-image.js';
import { ffmpeg } from '../helpers/native.js';

/**
 * One frame of a lavfi source (e.g. `testsrc2`, `mandelbrot`) as raw `pixFmt` planes.
 * The source is rendered slightly larger and scaled, so odd sizes work for every format.
 */
export function lavfiFrame(source: string, width: number, height: number, pixFmt: string): Uint8Array {
  return ffmpeg([
    '-f', 'lavfi', '-i', `${source}=size=${width + (width & 1)}x${height + (height & 1)}`,
    '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-pix_fmt', pixFmt, '-f', 'rawvideo', '-',
  ]);
}

/**
 * Native swscale's RGBA for a raw frame, with the input matrix and range stated explicitly.
 * Formats with an alpha plane (`yuva*`) come back with swscale's alpha; others with alpha 255.
 */
export function nativeYuvToRgba(
  raw: Uint8Array,
  pixFmt: string,
  width: number,
  height: number,
  matrix: 'bt601' | 'bt709' | 'bt2020',
  range: 'limited' | 'full',
): RgbaImage {
  const alpha = pixFmt.startsWith('yuva');
  const rgb = ffmpeg(
    [
      '-f', 'rawvideo', '-pix_fmt', pixFmt, '-s', `${width}x${height}`, '-i', '-',
      '-vf', `scale=in_color_matrix=${matrix}:in_range=${range === 'full' ? 'pc' : 'tv'}:out_range=pc`,
      '-pix_fmt', alpha ? 'rgba' : 'rgb24', '-f', 'rawvideo', '-',
    ],
    raw,
  );
  if (alpha) return { width, height, data: rgb };
  const data = new Uint8Array(width * height * 4);
  for (let i = 0, s = 0; i < width * height; i++, s += 3) {
    data.set(rgb.subarray(s, s + 3), i * 4);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/**
 * Native swscale's resize of an RGBA image, alpha included. The image travels as planar GBRA,
 * because swscale converts packed RGB to YUV internally when scaling, which would blur the
 * comparison with a colour conversion we do not perform.
 */
export function nativeResample(image: RgbaImage, width: number, height: number, flags: string): RgbaImage {
  const order = [1, 2, 0, 3]; // gbrap plane k holds RGBA channel order[k]
  const n = image.width * image.height;
  const planes = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) order.forEach((c, k) => (planes[k * n + i] = image.data[i * 4 + c]));
  const out = ffmpeg(
    [
      '-f', 'rawvideo', '-pix_fmt', 'gbrap', '-s', `${image.width}x${image.height}`, '-i', '-',
      '-vf', `scale=${width}:${height}:flags=${flags}`, '-pix_fmt', 'gbrap', '-f', 'rawvideo', '-',
    ],
    planes,
  );
  const m = width * height;
  const data = new Uint8Array(m * 4);
  for (let i = 0; i < m; i++) order.forEach((c, k) => (data[i * 4 + c] = out[k * m + i]));
  return { width, height, data };
}
