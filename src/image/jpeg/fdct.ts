/**
 * The forward 8×8 DCT of libjpeg's `jfdctint.c` ("islow") fused with quantisation.
 *
 * The DCT is the Loeffler–Ligtenberg–Moschytz algorithm in 32-bit integer arithmetic with
 * 13-bit fixed-point constants, libjpeg's accurate default. Integer-only, so every engine
 * produces the same coefficients (a floating-point DCT would too in principle, but only if
 * every engine evaluated the same expression tree without fused multiply-adds; integers leave
 * no room for doubt). libjpeg proves its intermediate values fit in 32 bits for 8-bit
 * samples, so every product is exact as `Math.imul` (measured ~7% faster in V8 than `*`,
 * whose result V8 must be ready to see overflow into a double) and `>>` never wraps.
 *
 * Quantising each coefficient as the column pass produces it, instead of in a second loop,
 * saves a store and a reload per coefficient; the tests check the result is identical to
 * libjpeg's separate `jpeg_fdct_islow` + `quantize` steps.
 */

import type { QuantDivisors } from './quant-tables.js';

const CONST_BITS = 13;
const PASS1_BITS = 2;

// FIX(x) = round(x · 2^13), the constants as libjpeg hard-codes them (no trig at run time).
const FIX_0_298631336 = 2446;
const FIX_0_390180644 = 3196;
const FIX_0_541196100 = 4433;
const FIX_0_765366865 = 6270;
const FIX_0_899976223 = 7373;
const FIX_1_175875602 = 9633;
const FIX_1_501321110 = 12299;
const FIX_1_847759065 = 15137;
const FIX_1_961570560 = 16069;
const FIX_2_053119869 = 16819;
const FIX_2_562915447 = 20995;
const FIX_3_072711026 = 25172;

/** Rounding terms of libjpeg's `DESCALE(x, n) = (x + 2^(n-1)) >> n`. */
const ROUND_P1 = 1 << (CONST_BITS - PASS1_BITS - 1);
const ROUND_P2 = 1 << (CONST_BITS + PASS1_BITS - 1);
const ROUND_DC = 1 << (PASS1_BITS - 1);
const SHIFT_P1 = CONST_BITS - PASS1_BITS;
const SHIFT_P2 = CONST_BITS + PASS1_BITS;

/**
 * Transforms the 8×8 samples at `src[offset + row·stride + col]` (level-shifted by −128, as
 * T.81 requires) and quantises the coefficients with `divisors`, writing them to `out` in
 * natural order. Records which are non-zero in `nonzero` as a natural-order 64-bit mask: bit
 * n of `nonzero[0]` for n < 32, bit n − 32 of `nonzero[1]` otherwise, so the entropy coder
 * can skip zeros without testing them.
 *
 * Reading straight from the plane (any stride) saves copying interior blocks; the encoder
 * copies only the edge blocks that need replication.
 */
export function fdctQuantize(
  src: Uint8Array,
  offset: number,
  stride: number,
  divisors: QuantDivisors,
  out: Int32Array,
  nonzero: Int32Array,
): void {
  // Pass 1: rows. Results are scaled up by 2^PASS1_BITS to keep precision for pass 2.
  // The level shift (−128 per sample) cancels in every output but the row sum, so it is
  // applied there once (−8·128), as libjpeg 9 does: the same integers, 64 fewer subtractions.
  for (let row = 0, s = offset, o = 0; row < 8; row++, s += stride, o += 8) {
    const d0 = src[s];
    const d1 = src[s + 1];
    const d2 = src[s + 2];
    const d3 = src[s + 3];
    const d4 = src[s + 4];
    const d5 = src[s + 5];
    const d6 = src[s + 6];
    const d7 = src[s + 7];

    const tmp0 = d0 + d7;
    const tmp7 = d0 - d7;
    const tmp1 = d1 + d6;
    const tmp6 = d1 - d6;
    const tmp2 = d2 + d5;
    const tmp5 = d2 - d5;
    const tmp3 = d3 + d4;
    const tmp4 = d3 - d4;

    // Even part.
    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    out[o] = (tmp10 + tmp11 - 8 * 128) << PASS1_BITS;
    out[o + 4] = (tmp10 - tmp11) << PASS1_BITS;
    const z1 = Math.imul(tmp12 + tmp13, FIX_0_541196100);
    out[o + 2] = (z1 + Math.imul(tmp13, FIX_0_765366865) + ROUND_P1) >> SHIFT_P1;
    out[o + 6] = (z1 - Math.imul(tmp12, FIX_1_847759065) + ROUND_P1) >> SHIFT_P1;

    // Odd part. libjpeg multiplies n1 and n2 by negated constants; subtracting instead
    // gives the same integers without ever producing -0.
    const z5 = Math.imul(tmp4 + tmp5 + tmp6 + tmp7, FIX_1_175875602);
    const n1 = Math.imul(tmp4 + tmp7, FIX_0_899976223);
    const n2 = Math.imul(tmp5 + tmp6, FIX_2_562915447);
    const o3 = z5 - Math.imul(tmp4 + tmp6, FIX_1_961570560);
    const o4 = z5 - Math.imul(tmp5 + tmp7, FIX_0_390180644);
    out[o + 7] = (Math.imul(tmp4, FIX_0_298631336) - n1 + o3 + ROUND_P1) >> SHIFT_P1;
    out[o + 5] = (Math.imul(tmp5, FIX_2_053119869) - n2 + o4 + ROUND_P1) >> SHIFT_P1;
    out[o + 3] = (Math.imul(tmp6, FIX_3_072711026) - n2 + o3 + ROUND_P1) >> SHIFT_P1;
    out[o + 1] = (Math.imul(tmp7, FIX_1_501321110) - n1 + o4 + ROUND_P1) >> SHIFT_P1;
  }

  // Pass 2: columns. Removes the PASS1_BITS scaling, leaving the overall factor of 8 that
  // the divisors (8q) take out; then quantises.
  
  let low = 0;
  let high = 0;
  for (let c = 0; c < 8; c++) {
    const tmp0 = out[c] + out[c + 56];
    const tmp7 = out[c] - out[c + 56];
    const tmp1 = out[c + 8] + out[c + 48];
    const tmp6 = out[c + 8] - out[c + 48];
    const tmp2 = out[c + 16] + out[c + 40];
    const tmp5 = out[c + 16] - out[c + 40];
    const tmp3 = out[c + 24] + out[c + 32];
    const tmp4 = out[c + 24] - out[c + 32];

    const tmp10 = tmp0 + tmp3;
    const tmp13 = tmp0 - tmp3;
    const tmp11 = tmp1 + tmp2;
    const tmp12 = tmp1 - tmp2;
    const z1 = Math.imul(tmp12 + tmp13, FIX_0_541196100);
    const z5 = Math.imul(tmp4 + tmp5 + tmp6 + tmp7, FIX_1_175875602);
    const n1 = Math.imul(tmp4 + tmp7, FIX_0_899976223);
    const n2 = Math.imul(tmp5 + tmp6, FIX_2_562915447);
    const o3 = z5 - Math.imul(tmp4 + tmp6, FIX_1_961570560);
    const o4 = z5 - Math.imul(tmp5 + tmp7, FIX_0_390180644);

    const r0 = c;
    const r1 = c + 8;
    const r2 = c + 16;
    const r3 = c + 24;
    const r4 = c + 32;
    const r5 = c + 40;
    const r6 = c + 48;
    const r7 = c + 56;
    const v0 = quantize((tmp10 + tmp11 + ROUND_DC) >> PASS1_BITS, divisors[r0]);
    const v4 = quantize((tmp10 - tmp11 + ROUND_DC) >> PASS1_BITS, divisors[r4]);
    const v2 = quantize((z1 + Math.imul(tmp13, FIX_0_765366865) + ROUND_P2) >> SHIFT_P2, divisors[r2]);
    const v6 = quantize((z1 - Math.imul(tmp12, FIX_1_847759065) + ROUND_P2) >> SHIFT_P2, divisors[r6]);
    const v7 = quantize((Math.imul(tmp4, FIX_0_298631336) - n1 + o3 + ROUND_P2) >> SHIFT_P2, divisors[r7]);
    const v5 = quantize((Math.imul(tmp5, FIX_2_053119869) - n2 + o4 + ROUND_P2) >> SHIFT_P2, divisors[r5]);
    const v3 = quantize((Math.imul(tmp6, FIX_3_072711026) - n2 + o3 + ROUND_P2) >> SHIFT_P2, divisors[r3]);
    const v1 = quantize((Math.imul(tmp7, FIX_1_501321110) - n1 + o4 + ROUND_P2) >> SHIFT_P2, divisors[r1]);
    out[r0] = v0;
    out[r1] = v1;
    out[r2] = v2;
    out[r3] = v3;
    out[r4] = v4;
    out[r5] = v5;
    out[r6] = v6;
    out[r7] = v7;
    // Rows 0–3 of column c are bits c, c+8, c+16, c+24 of the low word; rows 4–7 likewise high.
    low |= (isNonZero(v0) | (isNonZero(v1) << 8) | (isNonZero(v2) << 16) | (isNonZero(v3) << 24)) << c;
    high |= (isNonZero(v4) | (isNonZero(v5) << 8) | (isNonZero(v6) << 16) | (isNonZero(v7) << 24)) << c;
  }
  nonzero[0] = low;
  nonzero[1] = high;
}

/**
 * `round(c / (8q))`, half away from zero (libjpeg's rounding), for the packed divisor `p`:
 * `h = 4q`, `m = ceil(2^s / 8q)` and `s = 14 + ceil(log2 8q)` (see `quantDivisors`).
 *
 * The division `floor(x / d)` is `(x · m) >> s` (Granlund–Montgomery). Writing
 * `m·d = 2^s + e` with `0 ≤ e < d`: `x·m / 2^s = x/d + x·e / (d·2^s)`, and for `x < 2^14` the
 * excess `x·e / 2^s < 1` cannot carry `x/d` (whose fraction is at most `(d − 1)/d`) past the
 * next integer, so the floor is exact. The numerator `x = |c| + 4q` is below 2^14 because
 * |c| ≤ 8·1024 (plus islow's rounding) and 4q ≤ 1020; `m ≤ 2^15`, so `x·m < 2^29` stays an
 * int32. The tests check every numerator below 2^14 for every q.
 *
 * The sign is handled without a branch (a coefficient's sign is a coin flip, so a branch on
 * it mispredicts half the time; this measured ~3× faster): `sign` is 0 or −1, `(c ^ sign) −
 * sign` is |c|, and the same undoes it on the quotient. Unlike unary minus it never yields −0.
 */
function quantize(c: number, p: number): number {
  const sign = c >> 31;
  const q = (((c ^ sign) - sign + (p & 1023)) * ((p >>> 10) & 0xffff)) >> (p >>> 26);
  return (q ^ sign) - sign;
}

/** 1 when `v` is non-zero, else 0: one of `v` and `−v` has the sign bit set unless v = 0. */
function isNonZero(v: number): number {
  return (v | -v) >>> 31;
}
