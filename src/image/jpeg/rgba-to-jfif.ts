/**
 * RGBA → JFIF Y'CbCr (full-range BT.601), in integer arithmetic with libjpeg's coefficients.
 */

import type { RgbaImage } from '../rgba-image.js';
import { chroma420Size, type JfifYcbcr420 } from './ycbcr-planes.js';

/**
 * The JFIF matrix in 16.16 fixed point, `round(x · 65536)` exactly as libjpeg's `jccolor.c`
 * has them. Each row of Cb/Cr sums to 0 and the Y row to 65536, so with the offsets below
 * the results always lie in 0–255 and need no clamping.
 */
const Y_R = 19595; // 0.29900
const Y_G = 38470; // 0.58700
const Y_B = 7471; // 0.11400
const CB_R = -11059; // -0.16874
const CB_G = -21709; // -0.33126
const CB_B = 32768; // 0.50000
const CR_R = 32768; // 0.50000
const CR_G = -27439; // -0.41869
const CR_B = -5329; // -0.08131

/** Y rounds half up. */
const Y_ROUND = 1 << 15;
/**
 * Cb/Cr add 128 and round with half − 1, as libjpeg does: with a full half, pure blue's Cb
 * (and pure red's Cr) would round to 256.
 */
const C_OFFSET = (128 << 16) + (1 << 15) - 1;
/** The same for a sum of four pixels, which is shifted by 18 instead of 16. */
const C_OFFSET_4 = (128 << 18) + (1 << 17) - 1;

/** Three full-resolution planes (4:4:4), `width` samples a row. */
export interface JfifYcbcr444 {
  readonly width: number;
  readonly height: number;
  readonly y: Uint8Array;
  readonly u: Uint8Array;
  readonly v: Uint8Array;
}

/**
 * Converts RGBA (alpha ignored) to full-resolution JFIF Y'CbCr planes:
 * `Y = (19595 R + 38470 G + 7471 B + 2^15) >> 16`,
 * `Cb = (−11059 R − 21709 G + 32768 B + 128·2^16 + 2^15 − 1) >> 16`,
 * `Cr = (32768 R − 27439 G − 5329 B + 128·2^16 + 2^15 − 1) >> 16` — libjpeg's `rgb_ycc_convert`.
 * The image is assumed valid (see `assertRgbaImage`).
 */
export function rgbaToJfif444(image: RgbaImage): JfifYcbcr444 {
  const { width, height, data } = image;
  const n = width * height;
  const y = new Uint8Array(n);
  const u = new Uint8Array(n);
  const v = new Uint8Array(n);
  for (let i = 0, s = 0; i < n; i++, s += 4) {
    const r = data[s];
    const g = data[s + 1];
    const b = data[s + 2];
    y[i] = (Y_R * r + Y_G * g + Y_B * b + Y_ROUND) >> 16;
    u[i] = (CB_R * r + CB_G * g + CB_B * b + C_OFFSET) >> 16;
    v[i] = (CR_R * r + CR_G * g + CR_B * b + C_OFFSET) >> 16;
  }
  return { width, height, y, u, v };
}

/**
 * Converts RGBA (alpha ignored) to JFIF Y'CbCr 4:2:0 planes with `yStride = width` and
 * `uvStride = ceil(width / 2)`. Luma is as in {@link rgbaToJfif444}. Each chroma sample is
 * computed from the sums of R, G and B over its 2×2 block — the matrix is linear, so that is
 * the block average of full-resolution Cb/Cr but rounded once instead of twice:
 * `Cb = (−11059 ΣR − 21709 ΣG + 32768 ΣB + 128·2^18 + 2^17 − 1) >> 18`, likewise Cr. At an
 * odd right or bottom edge the last column/row counts twice (edge replication).
 */
export function rgbaToJfif420(image: RgbaImage): JfifYcbcr420 {
  const { width, height, data } = image;
  const c = chroma420Size(width, height);
  const y = new Uint8Array(width * height);
  const u = new Uint8Array(c.width * c.height);
  const v = new Uint8Array(c.width * c.height);
  const rowBytes = width * 4;
  const pairs = width >> 1;
  let ci = 0;
  for (let cy = 0; cy < c.height; cy++) {
    const row0 = 2 * cy;
    // On an odd last row, the row pairs with itself (its luma is just written twice).
    const row1 = row0 + 1 < height ? row0 + 1 : row0;
    let s0 = row0 * rowBytes;
    let s1 = row1 * rowBytes;
    let y0 = row0 * width;
    let y1 = row1 * width;
    for (let p = 0; p < pairs; p++, s0 += 8, s1 += 8, y0 += 2, y1 += 2, ci++) {
      const ra = data[s0], ga = data[s0 + 1], ba = data[s0 + 2];
      const rb = data[s0 + 4], gb = data[s0 + 5], bb = data[s0 + 6];
      const rc = data[s1], gc = data[s1 + 1], bc = data[s1 + 2];
      const rd = data[s1 + 4], gd = data[s1 + 5], bd = data[s1 + 6];
      y[y0] = (Y_R * ra + Y_G * ga + Y_B * ba + Y_ROUND) >> 16;
      y[y0 + 1] = (Y_R * rb + Y_G * gb + Y_B * bb + Y_ROUND) >> 16;
      y[y1] = (Y_R * rc + Y_G * gc + Y_B * bc + Y_ROUND) >> 16;
      y[y1 + 1] = (Y_R * rd + Y_G * gd + Y_B * bd + Y_ROUND) >> 16;
      const r = ra + rb + rc + rd;
      const g = ga + gb + gc + gd;
      const b = ba + bb + bc + bd;
      u[ci] = (CB_R * r + CB_G * g + CB_B * b + C_OFFSET_4) >> 18;
      v[ci] = (CR_R * r + CR_G * g + CR_B * b + C_OFFSET_4) >> 18;
    }
    if ((width & 1) === 1) {
      // The last column of an odd width: its chroma block is that column counted twice.
      const ra = data[s0], ga = data[s0 + 1], ba = data[s0 + 2];
      const rc = data[s1], gc = data[s1 + 1], bc = data[s1 + 2];
      y[y0] = (Y_R * ra + Y_G * ga + Y_B * ba + Y_ROUND) >> 16;
      y[y1] = (Y_R * rc + Y_G * gc + Y_B * bc + Y_ROUND) >> 16;
      const r = 2 * (ra + rc);
      const g = 2 * (ga + gc);
      const b = 2 * (ba + bc);
      u[ci] = (CB_R * r + CB_G * g + CB_B * b + C_OFFSET_4) >> 18;
      v[ci] = (CR_R * r + CR_G * g + CR_B * b + C_OFFSET_4) >> 18;
      ci++;
    }
  }
  return { width, height, y, u, v, yStride: width, uvStride: c.width, chroma: '4:2:0' };
}
