/**
 * Decoder Y'CbCr (8-bit 4:2:0, limited or full range, BT.601/BT.709/BT.2020 matrix) → JFIF
 * Y'CbCr (full range, BT.601), so decoded frames can be JPEG-encoded without a detour
 * through RGB. Integer arithmetic only, with hard-coded coefficients.
 */

import { StillframeError } from '../../errors.js';
import type { ColorMatrix, ColorRange, RawVideoFrame } from '../raw-frame.js';
import { planarLayout8, rawFrameBytes } from '../yuv-to-rgba.js';
import { assertPlanes420, chroma420Size, type JfifYcbcr420, type Planes420 } from './ycbcr-planes.js';

/**
 * The conversion as 16.16 fixed-point coefficients per input code step, derived as
 * `round(65536 · c)` from the composite real matrix
 * `JFIF(BT.601, full) ∘ RGB←Y'CbCr(matrix) ∘ unscale(range)`; `test/image/jpeg` re-derives
 * them in floating point and checks they equal these. Hard-coded so that no engine ever
 * computes them.
 *
 * Changing the matrix keeps grey grey: luma's own column of the composite matrix is exactly
 * (s, 0, 0), so the output chroma depends on the input chroma alone, and output luma is the
 * rescaled input luma plus a chroma correction. That is why there are seven coefficients,
 * not nine, and why 4:2:0 chroma converts per chroma sample without looking at luma.
 */
interface Coefficients {
  /** Luma scale (255/219 limited, 1 full) and the luma code of black (16 or 0). */
  readonly yScale: number;
  readonly yOffset: number;
  /** Output luma per step of input Cb − 128 and Cr − 128 (0 when the matrix is already BT.601). */
  readonly yCb: number;
  readonly yCr: number;
  /** Output Cb − 128 and Cr − 128 per step of input Cb − 128 and Cr − 128. */
  readonly cbCb: number;
  readonly cbCr: number;
  readonly crCb: number;
  readonly crCr: number;
}

/** Keyed `${matrix}/${range}`. */
const COEFFICIENTS: Readonly<Record<`${ColorMatrix}/${ColorRange}`, Coefficients>> = {
  'bt601/limited': { yScale: 76309, yOffset: 16, yCb: 0, yCr: 0, cbCb: 74606, cbCr: 0, crCb: 0, crCr: 74606 },
  'bt601/full': { yScale: 65536, yOffset: 0, yCb: 0, yCr: 0, cbCb: 65536, cbCr: 0, crCb: 0, crCr: 65536 },
  'bt709/limited': { yScale: 76309, yOffset: 16, yCb: 7578, yCr: 14628, cbCb: 73849, cbCr: -8255, crCb: -5405, crCr: 73367 },
  'bt709/full': { yScale: 65536, yOffset: 0, yCb: 6657, yCr: 12850, cbCb: 64871, cbCr: -7252, crCb: -4748, crCr: 64448 },
  'bt2020/limited': { yScale: 76309, yOffset: 16, yCb: 8795, yCr: 7872, cbCb: 74248, cbCr: -4443, crCb: -6273, crCr: 72854 },
  'bt2020/full': { yScale: 65536, yOffset: 0, yCb: 7726, yCr: 6915, cbCb: 65222, cbCr: -3903, crCb: -5511, crCr: 63997 },
};

/** The coefficients used for `matrix` and `range` (exported for the tests). */
export function jfifConversionCoefficients(matrix: ColorMatrix, range: ColorRange): Coefficients {
  const key = `${matrix}/${range}`;
  if (!Object.prototype.hasOwnProperty.call(COEFFICIENTS, key)) {
    throw new StillframeError('invalid-argument', `Unknown colour matrix/range '${key}'`);
  }
  return COEFFICIENTS[key as keyof typeof COEFFICIENTS];
}

/**
 * Converts 8-bit 4:2:0 planes in `matrix`/`range` to JFIF Y'CbCr 4:2:0 (full-range BT.601, the
 * input contract of `encodeJpegFromYuv`), with the chroma siting unchanged.
 *
 * Per chroma sample: `Cb' = clamp((cbCb·(Cb−128) + cbCr·(Cr−128) + 128·2^16 + 2^15) >> 16)`,
 * likewise Cr'. Per luma sample, with the Cb/Cr of its 2×2 block (repeated, as `yuvToRgba`
 * does for 8-bit planar 4:2:0): `Y' = clamp((yScale·(Y−yOffset) + yCb·(Cb−128) + yCr·(Cr−128)
 * + 2^15) >> 16)`. Clamping to 0–255 happens in Y'CbCr, where `yuvToRgba` clamps in RGB, so
 * the two agree except for colours outside the RGB cube (below black, above white, or
 * over-saturated), which decode ±a few levels apart.
 *
 * Full-range BT.601 input (e.g. `yuvj420p`) is already JFIF and is returned as is: the same
 * arrays and strides, no copy. Otherwise new planes are returned with `yStride = width` and
 * `uvStride = ceil(width / 2)`; the input is never modified.
 *
 * @throws StillframeError `invalid-argument` for an unknown matrix/range, sides outside
 *   1–65535, or planes too small for their sides and strides.
 */
export function yuv420ToJfif(planes: Planes420, matrix: ColorMatrix, range: ColorRange): JfifYcbcr420 {
  const k = jfifConversionCoefficients(matrix, range);
  assertPlanes420(planes);
  const { width, height, y, u, v, yStride, uvStride } = planes;
  if (matrix === 'bt601' && range === 'full') return { width, height, y, u, v, yStride, uvStride, chroma: '4:2:0' };

  const c = chroma420Size(width, height);
  const outY = new Uint8Array(width * height);
  const outU = new Uint8Array(c.width * c.height);
  const outV = new Uint8Array(c.width * c.height);
  // Stores into clamped views saturate to 0–255: the clamp, without a branch per sample.
  const clampedY = new Uint8ClampedArray(outY.buffer);
  const clampedU = new Uint8ClampedArray(outU.buffer);
  const clampedV = new Uint8ClampedArray(outV.buffer);

  // Luma's own contribution, with the rounding half, per input code.
  const lumaTerm = new Int32Array(256);
  for (let i = 0; i < 256; i++) lumaTerm[i] = k.yScale * (i - k.yOffset) + (1 << 15);
  // Each chroma sample's contribution to the luma of its block, for one chroma row.
  const chromaTerm = new Int32Array(c.width);

  for (let cy = 0; cy < c.height; cy++) {
    convertChromaRow(u, v, cy * uvStride, clampedU, clampedV, cy * c.width, c.width, k, chromaTerm);
    const lastRow = Math.min(2 * cy + 2, height);
    for (let row = 2 * cy; row < lastRow; row++) {
      convertLumaRow(y, row * yStride, clampedY, row * width, width, lumaTerm, chromaTerm);
    }
  }
  return { width, height, y: outY, u: outU, v: outV, yStride: width, uvStride: c.width, chroma: '4:2:0' };
}

/**
 * Whether {@link rawFrameToJfif420} takes frames of `pixelFormat`: 8-bit planar 4:2:0, as the
 * conversion table lays formats out (`yuva420p`'s alpha plane after them is ignored: JPEG has
 * no alpha).
 */
export function hasDirectJfifConversion(pixelFormat: string): boolean {
  const layout = planarLayout8(pixelFormat);
  return layout !== undefined && layout.hShift === 1 && layout.vShift === 1;
}

/**
 * {@link yuv420ToJfif} for a decoded `yuv420p`, `yuvj420p` or `yuva420p` frame (packed planes,
 * as `RawVideoFrame` holds them), honouring its matrix and range (`yuvj420p` is always full
 * range). The alpha plane of `yuva420p` is left out: the result is the JPEG of the colour
 * planes alone. The result may share the frame's buffer (full-range BT.601 needs no
 * conversion).
 *
 * @throws StillframeError `unsupported` for any other pixel format (use `yuvToRgba` and
 *   `encodeJpegFromRgba` for those); `invalid-argument` when `data` is not exactly the size
 *   the format implies, or the matrix is unknown.
 */
export function rawFrameToJfif420(frame: RawVideoFrame): JfifYcbcr420 {
  const { width, height, pixelFormat, data } = frame;
  if (!hasDirectJfifConversion(pixelFormat)) {
    throw new StillframeError('unsupported', `Pixel format '${pixelFormat}' has no direct JFIF conversion (only 8-bit planar 4:2:0: yuv420p, yuvj420p, yuva420p)`);
  }
  const c = chroma420Size(width, height);
  const lumaBytes = width * height;
  const chromaBytes = c.width * c.height;
  const colourBytes = lumaBytes + 2 * chromaBytes;
  const expectedBytes = rawFrameBytes(pixelFormat, width, height);
  if (data.length !== expectedBytes) {
    throw new StillframeError('invalid-argument', `A ${width}x${height} ${pixelFormat} frame has ${expectedBytes} bytes, got ${data.length}`);
  }
  const range: ColorRange = pixelFormat === 'yuvj420p' ? 'full' : frame.colorRange;
  return yuv420ToJfif(
    {
      width,
      height,
      y: data.subarray(0, lumaBytes),
      u: data.subarray(lumaBytes, lumaBytes + chromaBytes),
      v: data.subarray(lumaBytes + chromaBytes, colourBytes),
      yStride: width,
      uvStride: c.width,
    },
    frame.matrix,
    range,
  );
}

/**
 * Converts one row of chroma samples (from offset `from` of `u`/`v` to offset `to` of the
 * outputs) and records each sample's contribution to the luma of its block in `chromaTerm`.
 * Separate small functions for the chroma and luma rows measured faster in V8 than one
 * function with nested loops.
 */
function convertChromaRow(
  u: Uint8Array,
  v: Uint8Array,
  from: number,
  outU: Uint8ClampedArray,
  outV: Uint8ClampedArray,
  to: number,
  count: number,
  k: Coefficients,
  chromaTerm: Int32Array,
): void {
  const { yCb, yCr, cbCb, cbCr, crCb, crCr } = k;
  const offset = (128 << 16) + (1 << 15);
  for (let i = 0; i < count; i++) {
    const cb = u[from + i] - 128;
    const cr = v[from + i] - 128;
    chromaTerm[i] = yCb * cb + yCr * cr;
    outU[to + i] = (cbCb * cb + cbCr * cr + offset) >> 16;
    outV[to + i] = (crCb * cb + crCr * cr + offset) >> 16;
  }
}

/** Converts one luma row of `width` samples, each pair sharing a `chromaTerm` entry. */
function convertLumaRow(
  y: Uint8Array,
  from: number,
  out: Uint8ClampedArray,
  to: number,
  width: number,
  lumaTerm: Int32Array,
  chromaTerm: Int32Array,
): void {
  const pairs = width >> 1;
  let s = from;
  let o = to;
  let i = 0;
  for (; i < pairs; i++, s += 2, o += 2) {
    const t = chromaTerm[i];
    out[o] = (lumaTerm[y[s]] + t) >> 16;
    out[o + 1] = (lumaTerm[y[s + 1]] + t) >> 16;
  }
  if ((width & 1) === 1) out[o] = (lumaTerm[y[s]] + chromaTerm[i]) >> 16;
}
