/**
 * The planar Y'CbCr picture the JPEG encoder takes, and its validation.
 */

import { StillframeError } from '../../errors.js';

/** JPEG's baseline frame header stores each side in 16 bits. */
export const MAX_JPEG_SIDE = 65535;

/**
 * An 8-bit 4:2:0 Y'CbCr picture already in JFIF's colour space — the contract of
 * `encodeJpegFromYuv`:
 *
 * - **Full range**: every code 0–255 is used; Y' 0 is black and 255 white, Cb/Cr 128 is
 *   neutral. (Not the 16–235/16–240 "limited" range most video decoders output.)
 * - **BT.601 matrix, as JFIF 1.02 defines it**: Y' = 0.299 R' + 0.587 G' + 0.114 B',
 *   Cb = 128 + (B' − Y') / 1.772, Cr = 128 + (R' − Y') / 1.402, on gamma-encoded R'G'B' in
 *   0–255. (Not BT.709, which HD video uses.) `yuv420ToJfif` converts decoder output.
 * - **4:2:0**: `u` (Cb) and `v` (Cr) hold one sample per 2×2 luma block, the block's average
 *   (JFIF sites chroma at the centre of the block), `ceil(width / 2)` × `ceil(height / 2)`
 *   samples; an odd last column/row of chroma covers the single remaining luma column/row.
 * - **Layout**: row `r` of luma starts at `y[r * yStride]` and holds `width` samples; row `r`
 *   of chroma starts at `u[r * uvStride]` / `v[r * uvStride]`. Strides may exceed the row
 *   length (padded decoder buffers) and the arrays may be longer than needed.
 */
export interface JfifYcbcr420 extends Planes420 {
  readonly chroma: '4:2:0';
}

/**
 * Three 8-bit planes of a 4:2:0 picture, whatever their colour space: luma `width` × `height`
 * with rows `yStride` apart, chroma `ceil(width / 2)` × `ceil(height / 2)` with rows `uvStride`
 * apart, in `u` (Cb) and `v` (Cr).
 */
export interface Planes420 {
  readonly width: number;
  readonly height: number;
  readonly y: Uint8Array;
  readonly u: Uint8Array;
  readonly v: Uint8Array;
  readonly yStride: number;
  readonly uvStride: number;
}

/** Chroma plane sides of a 4:2:0 picture: halved, rounding up (ffmpeg's `AV_CEIL_RSHIFT`). */
export function chroma420Size(width: number, height: number): { width: number; height: number } {
  return { width: (width + 1) >> 1, height: (height + 1) >> 1 };
}

/** Throws `invalid-argument` unless the sides are whole numbers from 1 to 65535. */
export function assertJpegSize(width: number, height: number): void {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width > MAX_JPEG_SIDE ||
    height > MAX_JPEG_SIDE
  ) {
    throw new StillframeError('invalid-argument', `A JPEG must be 1 to ${MAX_JPEG_SIDE} pixels a side, got ${width}x${height}`);
  }
}

/** Throws `invalid-argument` unless `plane` holds `rows` rows of `rowLength` samples `stride` apart. */
function assertPlane(name: string, plane: Uint8Array, stride: number, rowLength: number, rows: number): void {
  if (!(plane instanceof Uint8Array)) {
    throw new StillframeError('invalid-argument', `Plane ${name} must be a Uint8Array`);
  }
  if (!Number.isInteger(stride) || stride < rowLength) {
    throw new StillframeError('invalid-argument', `Plane ${name} stride must be an integer of at least ${rowLength}, got ${stride}`);
  }
  const needed = stride * (rows - 1) + rowLength;
  if (plane.length < needed) {
    throw new StillframeError('invalid-argument', `Plane ${name} needs at least ${needed} bytes, got ${plane.length}`);
  }
}

/** Checks a {@link JfifYcbcr420} against its declared sizes; `invalid-argument` otherwise. */
export function assertJfifYcbcr420(planes: JfifYcbcr420): void {
  if (planes.chroma !== '4:2:0') {
    throw new StillframeError('invalid-argument', `Only 4:2:0 chroma is supported, got '${String(planes.chroma)}'`);
  }
  assertPlanes420(planes);
}

/**
 * Checks that the sides are 1–65535 and each plane holds its rows at its stride;
 * `invalid-argument` otherwise.
 */
export function assertPlanes420(planes: Planes420): void {
  const { width, height } = planes;
  assertJpegSize(width, height);
  const c = chroma420Size(width, height);
  assertPlane('y', planes.y, planes.yStride, width, height);
  assertPlane('u', planes.u, planes.uvStride, c.width, c.height);
  assertPlane('v', planes.v, planes.uvStride, c.width, c.height);
}
