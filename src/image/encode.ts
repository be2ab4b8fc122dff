/**
 * Still-image encoders for RGBA stills, in pure JavaScript so no native codec is needed: JPEG
 * by stillframe's own integer encoder (`./jpeg/`), PNG by `pngjs`.
 */

import { PNG } from 'pngjs';
import { encodeJpegFromRgba, type JpegEncodeOptions } from './jpeg/index.js';
import { assertRgbaImage, type RgbaImage } from './rgba-image.js';

export type { JpegEncodeOptions, JpegSubsampling } from './jpeg/index.js';

/**
 * Encodes a baseline JFIF JPEG (no EXIF); alpha is ignored. Chroma is kept at full resolution
 * (4:4:4) unless `options.subsampling` says `'4:2:0'`: an RGBA picture may carry chroma detail
 * (a thumbnail scaled down from video has all of it), and 4:2:0 would blur coloured edges.
 * Integer arithmetic throughout: the bytes are the same on every JavaScript engine.
 *
 * @param quality 1 (smallest) to 100 (best), an integer, on the libjpeg/IJG scale.
 * @throws StillframeError `invalid-argument` when `quality` is not an integer in 1–100,
 *   `image.data` is not `width * height * 4` bytes, or a side exceeds 65535.
 */
export function encodeJpeg(image: RgbaImage, quality: number, options?: JpegEncodeOptions): Uint8Array {
  return encodeJpegFromRgba(image, quality, { subsampling: options?.subsampling ?? '4:4:4' });
}

/**
 * Encodes an 8-bit RGBA PNG (colour type 6) with `pngjs`, keeping alpha.
 *
 * @throws StillframeError `invalid-argument` when `image.data` is not `width * height * 4` bytes.
 */
export function encodePng(image: RgbaImage): Uint8Array {
  assertRgbaImage(image);
  // Built empty and then filled, because constructing a PNG with its size allocates (and
  // zeroes) a pixel buffer we would immediately discard.
  const png = new PNG({ width: 0, height: 0 });
  png.width = image.width;
  png.height = image.height;
  // A view over the caller's bytes, not a copy: pngjs only reads them.
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  const encoded = PNG.sync.write(png, { colorType: 6, inputColorType: 6, bitDepth: 8, inputHasAlpha: true });
  return new Uint8Array(encoded);
}
