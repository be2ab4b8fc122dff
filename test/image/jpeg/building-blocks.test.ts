/**
 * The JPEG encoder's parts, each against an independent statement of what it must compute:
 * the fused DCT + quantiser against a plain port of libjpeg's `jpeg_fdct_islow` and its
 * dividing quantiser (and the DCT's definition), the division trick exhaustively, the
 * quantisation and Huffman tables against the T.81 definitions and against what jpeg-js
 * writes, the zigzag order and mask conversion, and the bit writer's stuffing and padding.
 */
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../../src/image/jpeg/bit-writer.js';
import { fdctQuantize } from '../../../src/image/jpeg/fdct.js';
import { AC_CHROMINANCE, AC_LUMINANCE, DC_CHROMINANCE, DC_LUMINANCE, huffmanEncoder, type HuffmanSpec } from '../../../src/image/jpeg/huffman.js';
import { encodeJpegFromRgba } from '../../../src/image/jpeg/jpeg-encoder.js';
import {
  BASE_CHROMINANCE_TABLE,
  BASE_LUMINANCE_TABLE,
  NUMERATOR_BITS,
  qualityScaleFactor,
  quantDivisors,
  scaleQuantTable,
} from '../../../src/image/jpeg/quant-tables.js';
import { ZIGZAG, zigzagMask } from '../../../src/image/jpeg/zigzag.js';
import { noise } from '../../helpers/noise.js';
import { segments, smoothImage } from './helpers.js';

/** libjpeg 6b's `jpeg_fdct_islow` as written there: level shift per sample, `*`, negated constants. */
function referenceIslow(block: ArrayLike<number>): number[] {
  const data = Array.from(block, (v) => v - 128);
  const DESCALE = (x: number, n: number) => (x + (1 << (n - 1))) >> n;
  const [c298, c390, c541, c765, c899, c1175, c1501, c1847, c1961, c2053, c2562, c3072] = [
    2446, 3196, 4433, 6270, 7373, 9633, 12299, 15137, 16069, 16819, 20995, 25172,
  ];
  const pass = (get: (i: number) => number, set: (i: number, v: number) => void, first: boolean) => {
    const tmp0 = get(0) + get(7), tmp1 = get(1) + get(6), tmp2 = get(2) + get(5), tmp3 = get(3) + get(4);
    let tmp7 = get(0) - get(7), tmp6 = get(1) - get(6), tmp5 = get(2) - get(5), tmp4 = get(3) - get(4);
    const tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
    const shift = first ? 11 : 15;
    set(0, first ? (tmp10 + tmp11) << 2 : DESCALE(tmp10 + tmp11, 2));
    set(4, first ? (tmp10 - tmp11) << 2 : DESCALE(tmp10 - tmp11, 2));
    let z1 = (tmp12 + tmp13) * c541;
    set(2, DESCALE(z1 + tmp13 * c765, shift));
    set(6, DESCALE(z1 + tmp12 * -c1847, shift));
    z1 = tmp4 + tmp7;
    let z2 = tmp5 + tmp6, z3 = tmp4 + tmp6, z4 = tmp5 + tmp7;
    const z5 = (z3 + z4) * c1175;
    tmp4 *= c298; tmp5 *= c2053; tmp6 *= c3072; tmp7 *= c1501;
    z1 *= -c899; z2 *= -c2562; z3 *= -c1961; z4 *= -c390;
    z3 += z5; z4 += z5;
    set(7, DESCALE(tmp4 + z1 + z3, shift));
    set(5, DESCALE(tmp5 + z2 + z4, shift));
    set(3, DESCALE(tmp6 + z2 + z3, shift));
    set(1, DESCALE(tmp7 + z1 + z4, shift));
  };
  for (let r = 0; r < 8; r++) pass((i) => data[r * 8 + i], (i, v) => (data[r * 8 + i] = v), true);
  for (let c = 0; c < 8; c++) pass((i) => data[i * 8 + c], (i, v) => (data[i * 8 + c] = v), false);
  return data;
}

/** libjpeg's quantiser (`forward_DCT` in jcdctmgr.c): divide by 8q, rounding half away from zero. */
function referenceQuantize(coefficients: number[], table: Uint8Array): number[] {
  return coefficients.map((c, n) => {
    const d = table[n] * 8;
    const q = Math.floor((Math.abs(c) + (d >> 1)) / d);
    return c < 0 ? 0 - q : q;
  });
}

/** The DCT-II of T.81 A.3.3 in floating point, ×8 like islow's output, for a level-shifted block. */
function floatDct(block: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      let sum = 0;
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          sum += (block[y * 8 + x] - 128) * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        }
      }
      const cu = u === 0 ? Math.SQRT1_2 : 1;
      const cv = v === 0 ? Math.SQRT1_2 : 1;
      out.push(8 * 0.25 * cu * cv * sum);
    }
  }
  return out;
}

/** Test blocks: extremes (flat, checkerboards, stripes, the worst case per frequency) and noise. */
function testBlocks(): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  const make = (f: (x: number, y: number) => number) => {
    const b = new Uint8Array(64);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) b[y * 8 + x] = f(x, y);
    blocks.push(b);
  };
  for (const level of [0, 1, 127, 128, 254, 255]) make(() => level);
  make((x, y) => ((x + y) & 1 ? 255 : 0));
  make((x) => (x & 1 ? 255 : 0));
  make((_, y) => (y & 1 ? 0 : 255));
  // Signs of each basis function: the largest coefficient of that frequency a block can have.
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      make((x, y) => (Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16) >= 0 ? 255 : 0));
    }
  }
  const random = noise(64 * 3000, 77);
  for (let i = 0; i < 3000; i++) {
    const b = Uint8Array.from(random.slice(i * 64, i * 64 + 64));
    // Every other random block smoothed, for the small coefficients typical of pictures.
    if (i & 1) for (let k = 1; k < 64; k++) b[k] = (b[k - 1] * 3 + b[k]) >> 2;
    blocks.push(b);
  }
  return blocks;
}

describe('fdctQuantize', () => {
  const blocks = testBlocks();

  it('equals libjpeg islow followed by its dividing quantiser, bit for bit, at every quality', () => {
    const out = new Int32Array(64);
    const nonzero = new Int32Array(2);
    // Each block is read from inside a larger plane (stride 13, offset 5) to exercise addressing.
    const plane = new Uint8Array(5 + 13 * 8);
    for (const quality of [1, 10, 25, 50, 75, 90, 97, 100]) {
      for (const base of [BASE_LUMINANCE_TABLE, BASE_CHROMINANCE_TABLE]) {
        const table = scaleQuantTable(base, quality);
        const divisors = quantDivisors(table);
        for (const block of blocks) {
          for (let r = 0; r < 8; r++) plane.set(block.subarray(r * 8, r * 8 + 8), 5 + r * 13);
          fdctQuantize(plane, 5, 13, divisors, out, nonzero);
          const expected = referenceQuantize(referenceIslow(block), table);
          expect(Array.from(out)).toEqual(expected);
          let low = 0;
          let high = 0;
          expected.forEach((v, n) => {
            if (v !== 0 && n < 32) low |= 1 << n;
            if (v !== 0 && n >= 32) high |= 1 << (n - 32);
          });
          expect([nonzero[0], nonzero[1]]).toEqual([low, high]);
        }
      }
    }
  });

  it('is a DCT: within 2 units of its 8×-scaled output (a quarter level) of the exact transform', () => {
    let worst = 0;
    let largest = 0;
    for (const block of blocks) {
      const exact = floatDct(block);
      const integer = referenceIslow(block);
      exact.forEach((e, i) => {
        worst = Math.max(worst, Math.abs(e - integer[i]));
        largest = Math.max(largest, Math.abs(integer[i]));
      });
    }
    expect(worst).toBeLessThan(2);
    // The quantiser's exactness argument needs |c| + 4q < 2^14 with 4q ≤ 1020.
    expect(largest).toBeLessThanOrEqual(8 * 1024);
    expect(largest + 1020).toBeLessThan(2 ** NUMERATOR_BITS);
  });

  it('divides exactly: ((x + 4q)·m) >> s equals floor((x + 4q) / 8q) for every numerator below 2^14 and every q', () => {
    for (let q = 1; q <= 255; q++) {
      const table = new Uint8Array(64).fill(q);
      const p = quantDivisors(table)[0];
      const half = p & 1023;
      const m = (p >>> 10) & 0xffff;
      const s = p >>> 26;
      expect(half).toBe(4 * q);
      for (let x = 0; x < 2 ** NUMERATOR_BITS; x++) {
        if (((x * m) >> s) !== Math.floor(x / (8 * q))) throw new Error(`q=${q} x=${x}`);
      }
    }
  });
});

describe('quantisation tables', () => {
  it('scale as libjpeg does: 50 is the base table, 100 all ones, 1 clamps to 255, 75 halves', () => {
    expect(Array.from(scaleQuantTable(BASE_LUMINANCE_TABLE, 50))).toEqual(BASE_LUMINANCE_TABLE);
    expect(Array.from(scaleQuantTable(BASE_CHROMINANCE_TABLE, 100))).toEqual(new Array(64).fill(1));
    expect(Math.min(...scaleQuantTable(BASE_LUMINANCE_TABLE, 1))).toBe(255);
    expect(Array.from(scaleQuantTable(BASE_LUMINANCE_TABLE, 75).subarray(0, 8))).toEqual([8, 6, 5, 8, 12, 20, 26, 31]);
    expect([1, 2, 49, 50, 51, 99, 100].map(qualityScaleFactor)).toEqual([5000, 2500, 102, 100, 98, 2, 0]);
  });

  it('are byte for byte the DQT tables jpeg-js writes, at every quality', () => {
    const image = smoothImage(8, 8);
    for (let quality = 1; quality <= 100; quality++) {
      const theirs = segments(new Uint8Array(jpeg.encode(image, quality).data)).filter(([m]) => m === 0xdb);
      const ours = segments(encodeJpegFromRgba(image, quality, { subsampling: '4:4:4' })).filter(([m]) => m === 0xdb);
      const tables = (list: Array<[number, Uint8Array]>) => Buffer.concat(list.map(([, payload]) => payload)).toString('hex');
      expect(tables(ours), `quality ${quality}`).toBe(tables(theirs));
    }
  });
});

describe('Huffman tables', () => {
  it('hold the symbols T.81 Annex K defines: 12 DC categories; EOB, ZRL and every run 0–15 × size 1–10', () => {
    const acSymbols = [0x00, 0xf0];
    for (let run = 0; run < 16; run++) for (let size = 1; size <= 10; size++) acSymbols.push((run << 4) | size);
    for (const spec of [AC_LUMINANCE, AC_CHROMINANCE]) {
      expect(spec.bits.reduce((a, b) => a + b)).toBe(162);
      expect([...spec.values].sort((a, b) => a - b)).toEqual([...acSymbols].sort((a, b) => a - b));
    }
    for (const spec of [DC_LUMINANCE, DC_CHROMINANCE]) {
      expect([...spec.values]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    }
  });

  it('get canonical, prefix-free codes (the K.3 luminance DC codes as printed in Table K.3)', () => {
    const dc = huffmanEncoder(DC_LUMINANCE);
    const printed = ['00', '010', '011', '100', '101', '110', '1110', '11110', '111110', '1111110', '11111110', '111111110'];
    expect(printed.map((_, i) => dc.codes[i].toString(2).padStart(dc.lengths[i], '0'))).toEqual(printed);
    for (const spec of [DC_LUMINANCE, DC_CHROMINANCE, AC_LUMINANCE, AC_CHROMINANCE] as HuffmanSpec[]) {
      const { codes, lengths } = huffmanEncoder(spec);
      const words = spec.values.map((s) => codes[s].toString(2).padStart(lengths[s], '0'));
      for (const a of words) for (const b of words) if (a !== b) expect(b.startsWith(a)).toBe(false);
      // No code is all ones (T.81 reserves it, so 1-bit padding can never complete a code).
      for (const w of words) expect(/^1+$/.test(w)).toBe(false);
    }
  });

  it('are the DHT tables jpeg-js writes', () => {
    const image = smoothImage(8, 8);
    const dht = (bytes: Uint8Array) =>
      Buffer.concat(segments(bytes).filter(([m]) => m === 0xc4).map(([, payload]) => payload)).toString('hex');
    expect(dht(encodeJpegFromRgba(image, 80))).toBe(dht(new Uint8Array(jpeg.encode(image, 80).data)));
  });
});

describe('zigzag order', () => {
  it('is the zigzag walk of T.81 Figure A.6', () => {
    const walk: number[] = [];
    for (let s = 0; s < 15; s++) {
      const diagonal: number[] = [];
      for (let y = 0; y < 8; y++) if (s - y >= 0 && s - y < 8) diagonal.push(y * 8 + (s - y));
      walk.push(...(s % 2 === 1 ? diagonal : diagonal.reverse()));
    }
    expect(Array.from(ZIGZAG)).toEqual(walk);
  });

  it('zigzagMask reorders any natural-order mask', () => {
    const words = noise(2000, 3, 2 ** 16);
    const natural = new Int32Array(2);
    const zigzag = new Int32Array(2);
    for (let i = 0; i < 1000; i++) {
      // Sparse and dense masks alike.
      natural[0] = (words[2 * i] << 16) ^ words[2 * i + 1];
      natural[1] = i & 1 ? natural[0] ^ 0x5a5a5a5a : natural[0] & (natural[0] >>> 3);
      zigzagMask(natural, zigzag);
      for (let k = 0; k < 64; k++) {
        const n = ZIGZAG[k];
        const inNatural = (natural[n >> 5] >>> (n & 31)) & 1;
        const inZigzag = (zigzag[k >> 5] >>> (k & 31)) & 1;
        expect(inZigzag).toBe(inNatural);
      }
    }
  });
});

describe('BitWriter', () => {
  it('packs bits MSB first, stuffs a 0x00 after every 0xFF, and pads the last byte with ones', () => {
    const out = new BitWriter(0);
    out.ensure(64);
    out.bits(0b101, 3);
    out.bits(0b11111, 5); // completes 0xBF
    out.bits(0xff, 8); // stuffed
    out.bits(0x3ff, 10); // 0xFF stuffed, then 2 pending bits "11"
    out.bits(0, 1); // "110", padded with ones → 0xDF
    out.flushBits();
    expect(Array.from(out.finish())).toEqual([0xbf, 0xff, 0x00, 0xff, 0x00, 0xdf]);
  });

  it('writes nothing when flushing on a byte boundary, and grows past its initial capacity', () => {
    const out = new BitWriter(0);
    for (let i = 0; i < 5000; i++) {
      out.ensure(3);
      out.bits(0xabcdef, 24);
    }
    out.flushBits();
    const bytes = out.finish();
    expect(bytes.length).toBe(15000);
    expect(Array.from(bytes.subarray(14997))).toEqual([0xab, 0xcd, 0xef]);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
  });
});
