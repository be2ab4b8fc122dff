/**
 * Repacking RGBA stills into the packed formats platform image APIs ask for
 * (HarmonyOS `PixelMap` RGB_888 / RGB_565 / premultiplied RGBA_8888, Android
 * `Bitmap.Config.RGB_565`).
 */

import { assertRgbaImage, type RgbaImage } from './rgba-image.js';

/**
 * Drops alpha: returns `width * height * 3` bytes, R, G, B per pixel, rows top to bottom,
 * no padding.
 *
 * @throws StillframeError `invalid-argument` when `image.data` is not `width * height * 4` bytes.
 */
export function rgbaToRgb888(image: RgbaImage): Uint8Array {
  const n = assertRgbaImage(image);
  const src = image.data;
  const out = new Uint8Array(n * 3);
  for (let i = 0, s = 0, o = 0; i < n; i++, s += 4, o += 3) {
    out[o] = src[s];
    out[o + 1] = src[s + 1];
    out[o + 2] = src[s + 2];
  }
  return out;
}

/**
 * Packs to RGB 5:6:5 as Android and HarmonyOS store `RGB_565`: one 16-bit word per pixel,
 * `R << 11 | G << 5 | B`, written little-endian (low byte first), `width * height * 2`
 * bytes, no padding. Alpha is dropped. Channels are truncated (the top 5/6/5 bits kept),
 * as Skia's and libyuv's RGB565 packing do, so pure colours and black/white map exactly.
 *
 * @throws StillframeError `invalid-argument` when `image.data` is not `width * height * 4` bytes.
 */
export function rgbaToRgb565(image: RgbaImage): Uint8Array {
  const n = assertRgbaImage(image);
  const src = image.data;
  const out = new Uint8Array(n * 2);
  // Bytes are written explicitly rather than through a Uint16Array, whose byte order would
  // follow the host instead of the little-endian layout the platforms define.
  for (let i = 0, s = 0, o = 0; i < n; i++, s += 4, o += 2) {
    const word = ((src[s] & 0xf8) << 8) | ((src[s + 1] & 0xfc) << 3) | (src[s + 2] >> 3);
    out[o] = word & 0xff;
    out[o + 1] = word >> 8;
  }
  return out;
}

/**
 * Premultiplies colour by alpha, as Skia (behind HarmonyOS's and Android's bitmaps) stores
 * premultiplied RGBA: each of R, G and B becomes `round(c · a / 255)`, alpha stays. Writes into
 * `out` (at least `width * height * 4` bytes; new ones by default) and returns it.
 *
 * @throws StillframeError `invalid-argument` when `image.data` is not `width * height * 4` bytes.
 */
export function premultiplyAlpha(image: RgbaImage, out = new Uint8Array(image.data.length)): Uint8Array {
  const n = assertRgbaImage(image);
  const src = image.data;
  for (let s = 0; s < n * 4; s += 4) {
    const a = src[s + 3];
    out[s] = mulDiv255(src[s], a);
    out[s + 1] = mulDiv255(src[s + 1], a);
    out[s + 2] = mulDiv255(src[s + 2], a);
    out[s + 3] = a;
  }
  return out;
}

/** `round(c · a / 255)` for bytes, exactly, in integers (Skia's `SkMulDiv255Round`). */
function mulDiv255(c: number, a: number): number {
  const product = c * a + 128;
  return (product + (product >> 8)) >> 8;
}
