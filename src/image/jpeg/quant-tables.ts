/**
 * Quantisation: the ITU-T T.81 Annex K example tables, scaled by quality exactly as the
 * IJG libjpeg (`jpeg_quality_scaling` + `jpeg_add_quant_table` with `force_baseline`) and
 * `jpeg-js` do, so a given quality means the same tables as in every common encoder.
 */

import { StillframeError } from '../../errors.js';

/** Table K.1, luminance, natural order: the quality-50 table. */
export const BASE_LUMINANCE_TABLE: readonly number[] = Object.freeze([
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
]);

/** Table K.2, chrominance, natural order: the quality-50 table. */
export const BASE_CHROMINANCE_TABLE: readonly number[] = Object.freeze([
  17, 18, 24, 47, 99, 99, 99, 99,
  18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,
]);

/**
 * Throws `invalid-argument` unless `quality` is an integer from 1 to 100. (libjpeg would clamp
 * and jpeg-js would turn 0 or NaN into 50; silently encoding something else hides caller bugs.)
 */
export function assertJpegQuality(quality: number): void {
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new StillframeError('invalid-argument', `JPEG quality must be an integer from 1 to 100, got ${quality}`);
  }
}

/** libjpeg's `jpeg_quality_scaling`: a percentage applied to the base tables. */
export function qualityScaleFactor(quality: number): number {
  return quality < 50 ? Math.floor(5000 / quality) : 200 - quality * 2;
}

/**
 * A base table scaled for `quality` (1–100), natural order, each entry clamped to 1–255 as
 * libjpeg does for baseline (8-bit DQT entries). All integer arithmetic.
 */
export function scaleQuantTable(base: readonly number[], quality: number): Uint8Array {
  const scale = qualityScaleFactor(quality);
  const out = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    const q = Math.floor((base[i] * scale + 50) / 100);
    out[i] = q < 1 ? 1 : q > 255 ? 255 : q;
  }
  return out;
}

/**
 * Per-coefficient divisors for the quantiser, natural order, for coefficients as the islow
 * DCT produces them (8× the true DCT, so the divisor is `d = 8q`, as in libjpeg).
 *
 * The quantiser computes `round(|c| / d)` (half away from zero, libjpeg's rounding) as
 * `((|c| + 4q) · m) >> s` with `s = 14 + ceil(log2 d)` and `m = ceil(2^s / d)`: the integer
 * division by a constant of Granlund and Montgomery, exact for every numerator below 2^14
 * (see `fdct.ts`), and a multiply instead of a divide, which measured several times faster.
 *
 * Each entry packs the three numbers into one non-negative int32 — bits 0–9 the rounding
 * half `4q` (≤ 1020), bits 10–25 `m` (≤ 2^15), bits 26–30 `s` (17–25) — because one load per
 * coefficient instead of three measured ~6% faster over a whole encode.
 */
export type QuantDivisors = Int32Array;

/** Numerators of the quantiser's division stay below 2^NUMERATOR_BITS (see `fdct.ts`). */
export const NUMERATOR_BITS = 14;

/** Builds the {@link QuantDivisors} of a natural-order table. Integer arithmetic only. */
export function quantDivisors(table: Uint8Array): QuantDivisors {
  const packed = new Int32Array(64);
  for (let n = 0; n < 64; n++) {
    const q = table[n];
    const d = q * 8;
    const s = NUMERATOR_BITS + (32 - Math.clz32(d - 1)); // d ≥ 8, so d − 1 > 0
    // ceil(2^s / d) by integer division (operands below 2^26: the quotient is exact).
    const m = Math.floor(((1 << s) + d - 1) / d);
    packed[n] = (q * 4) | (m << 10) | (s << 26);
  }
  return packed;
}
