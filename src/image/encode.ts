/**
 * Still-image encoders for RGBA stills, in pure JavaScript so no native codec is needed.
 */

import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { StillframeError } from '../errors.js';
import { assertRgbaImage, type RgbaImage } from './rgba-image.js';

/**
 * Encodes a baseline JPEG (4:4:4 chroma, no EXIF) with `jpeg-js`. Alpha is ignored.
 *
 * @param quality 1 (smallest) to 100 (best), an integer, on the libjpeg/IJG scale.
 * @throws StillframeError `invalid-argument` when `quality` is not an integer in 1–100 or
 *   `image.data` is not `width * height * 4` bytes.
 */
export function encodeJpeg(image: RgbaImage, quality: number): Uint8Array {
  // jpeg-js would silently clamp out-of-range values and turn 0 or NaN into 50.
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new StillframeError('invalid-argument', `JPEG quality must be an integer from 1 to 100, got ${quality}`);
  }
  assertRgbaImage(image);
  const encoded = jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality);
  // jpeg-js returns a Node Buffer, which may be a slice of a shared pool; hand out a plain,
  // exactly-sized Uint8Array instead.
  return new Uint8Array(encoded.data);
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
