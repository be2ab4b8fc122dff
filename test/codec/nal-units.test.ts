import { describe, expect, it } from 'vitest';
import { isStillframeError } from '../../src/errors.js';
import { splitNalUnits, splitNalUnitsWithFraming } from '../../src/codec/nal-units.js';
import { annexB, concat, filler, lengthPrefixed } from './helpers/bytes.js';

// H.264 units: SPS, PPS, IDR slice; their contents never hold two zero bytes in a row.
const SPS = [0x67, 0x42, 0xc0, 0x1e, 0xd9];
const PPS = [0x68, 0xce, 0x3c, 0x80];
const IDR = [0x65, 0x88, 0x84, ...filler(40)];
const units = [SPS, PPS, IDR];

const asArrays = (list: Uint8Array[]) => list.map((u) => Array.from(u));

describe('splitNalUnits: length-prefixed samples', () => {
  it.each([1, 2, 3, 4])('splits units behind %i-byte lengths', (lengthSize) => {
    const sample = lengthPrefixed(lengthSize, ...units);
    const split = splitNalUnitsWithFraming(sample, lengthSize);
    expect(split.framing).toBe('length-prefixed');
    expect(asArrays(split.units)).toEqual(units);
  });

  it('returns views into the sample, not copies', () => {
    const sample = lengthPrefixed(4, ...units);
    const [first] = splitNalUnits(sample, 4);
    expect(first!.buffer).toBe(sample.buffer);
    expect(first!.byteOffset).toBe(4);
  });

  it('handles units longer than the 1-byte and 2-byte length ranges', () => {
    const big = [0x41, ...filler(70_000)];
    expect(splitNalUnits(lengthPrefixed(4, big, PPS), 4).map((u) => u.length)).toEqual([70_001, 4]);
    const medium = [0x41, ...filler(300)];
    expect(splitNalUnits(lengthPrefixed(2, medium), 2).map((u) => u.length)).toEqual([301]);
  });

  it('accepts zero padding after the last unit', () => {
    const sample = concat(lengthPrefixed(4, ...units), [0, 0, 0, 0, 0, 0]);
    expect(splitNalUnitsWithFraming(sample, 4)).toMatchObject({ framing: 'length-prefixed' });
    expect(asArrays(splitNalUnits(sample, 4))).toEqual(units);
  });

  it('accepts a 1-byte end-of-sequence / end-of-stream unit', () => {
    expect(asArrays(splitNalUnits(lengthPrefixed(4, IDR, [0x0a], [0x0b]), 4))).toEqual([IDR, [0x0a], [0x0b]]);
  });

  it('keeps a first unit of 256..511 bytes (00 00 01 xx length) length-prefixed', () => {
    // Length 0x0000012c reads like a 3-byte start code followed by 0x2c.
    const slice = [0x41, ...filler(299)];
    const sample = lengthPrefixed(4, slice, PPS);
    expect(Array.from(sample.subarray(0, 4))).toEqual([0, 0, 1, 0x2c]);
    const split = splitNalUnitsWithFraming(sample, 4);
    expect(split.framing).toBe('length-prefixed');
    expect(asArrays(split.units)).toEqual([slice, PPS]);
  });

  it('rejects the length-prefixed reading when a length overruns, is zero, or a header is invalid', () => {
    expect(splitNalUnitsWithFraming(concat([0, 0, 0, 9], PPS), 4).framing).toBeNull();
    expect(splitNalUnitsWithFraming(concat([0, 0, 0, 0], PPS), 4).framing).toBeNull();
    expect(splitNalUnitsWithFraming(lengthPrefixed(4, [0xe5, 0x11]), 4).framing).toBeNull(); // forbidden_zero_bit
    expect(splitNalUnitsWithFraming(concat(lengthPrefixed(4, PPS), [0x12]), 4).framing).toBeNull(); // trailing byte
  });

  it('gives no units for garbage and for an empty sample', () => {
    expect(splitNalUnitsWithFraming(new Uint8Array([0xff, 0xfe, 0xfd, 0xfc, 0xfb]), 4)).toEqual({ framing: null, units: [] });
    expect(splitNalUnitsWithFraming(new Uint8Array(0), 4)).toEqual({ framing: null, units: [] });
  });

  it('rejects a length size outside 1..4 and a sampleSize below the bytes given', () => {
    for (const bad of [0, 5, 2.5, Number.NaN]) {
      expect(() => splitNalUnits(new Uint8Array(4), bad)).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
    }
    try {
      splitNalUnits(new Uint8Array(8), 4, 4);
      expect.unreachable();
    } catch (error) {
      expect(isStillframeError(error, 'invalid-argument')).toBe(true);
    }
  });
});

describe('splitNalUnits: Annex-B start codes inside MP4 samples', () => {
  it.each([1, 2, 4])('detects 4-byte start codes whatever the declared length size (%i)', (lengthSize) => {
    const split = splitNalUnitsWithFraming(annexB(4, ...units), lengthSize);
    expect(split.framing).toBe('annex-b');
    expect(asArrays(split.units)).toEqual(units);
  });

  it.each([1, 2, 4])('detects 3-byte start codes whatever the declared length size (%i)', (lengthSize) => {
    const split = splitNalUnitsWithFraming(annexB(3, ...units), lengthSize);
    expect(split.framing).toBe('annex-b');
    expect(asArrays(split.units)).toEqual(units);
  });

  it('handles mixed start codes, trailing zeros and back-to-back start codes', () => {
    const sample = concat([0, 0, 0, 1], SPS, [0, 0, 1], PPS, [0, 0, 0, 0, 0, 1], [0, 0, 1], IDR, [0, 0]);
    const split = splitNalUnitsWithFraming(sample, 4);
    expect(split.framing).toBe('annex-b');
    expect(asArrays(split.units)).toEqual(units);
  });

  it('keeps emulation prevention bytes inside units (they are payload, not start codes)', () => {
    const withEpb = [0x65, 0x88, 0x00, 0x00, 0x03, 0x01, 0x22];
    expect(asArrays(splitNalUnits(annexB(4, SPS, withEpb), 4))).toEqual([SPS, withEpb]);
  });

  it('returns views into the sample', () => {
    const sample = annexB(4, ...units);
    const [first] = splitNalUnits(sample, 4);
    expect(first!.buffer).toBe(sample.buffer);
    expect(first!.byteOffset).toBe(4);
  });

  it('unmasks 3-byte start codes that a 4-byte length walk would consume exactly', () => {
    // 00 00 01 09 reads as a 4-byte length 0x109 = 265 covering exactly the rest. The
    // unit that walk produces would contain the next start code: impossible in a NAL unit.
    const first = [0x09, 0xf0];
    const second = [0x41, ...filler(260)];
    const sample = annexB(3, first, second);
    expect(sample.length).toBe(4 + 0x109);
    expect(splitNalUnitsWithFraming(sample, 4).framing).toBe('annex-b');
  });

  it('documented ambiguity: one unit of 257 + first-byte bytes behind a 3-byte start code reads as length-prefixed', () => {
    const lone = [0x01, ...filler(257)]; // 258 = 257 + 0x01 bytes
    const sample = annexB(3, lone);
    expect(splitNalUnitsWithFraming(sample, 4).framing).toBe('length-prefixed');
    // The same unit behind a 4-byte start code (what conforming streams use) is not ambiguous.
    expect(asArrays(splitNalUnits(annexB(4, lone), 4))).toEqual([lone]);
  });

  it('keeps the units before trailing garbage (a cut file running into the next box)', () => {
    const sample = concat(annexB(4, SPS, IDR), [0, 0, 1, 0xff, 0xee]);
    const split = splitNalUnitsWithFraming(sample, 4);
    expect(split.framing).toBe('annex-b');
    expect(asArrays(split.units)).toEqual([SPS, IDR]);
  });

  it('gives no units when even the first Annex-B unit is invalid', () => {
    expect(splitNalUnitsWithFraming(new Uint8Array([0, 0, 0, 1, 0xff, 0x00]), 4)).toEqual({ framing: null, units: [] });
  });
});

describe('splitNalUnits: only the first bytes of a sample (sampleSize)', () => {
  it('cuts the last length-prefixed unit at the end of the bytes given', () => {
    const sample = lengthPrefixed(4, SPS, PPS, IDR);
    const prefix = sample.subarray(0, 24);
    const split = splitNalUnitsWithFraming(prefix, 4, sample.length);
    expect(split.framing).toBe('length-prefixed');
    expect(split.units.map((u) => u.length)).toEqual([5, 4, 24 - 4 - 5 - 4 - 4 - 4]);
    expect(Array.from(split.units[2]!.subarray(0, 3))).toEqual(IDR.slice(0, 3));
  });

  it('stops cleanly when the prefix ends inside a length field or at a unit boundary', () => {
    const sample = lengthPrefixed(4, SPS, PPS, IDR);
    expect(asArrays(splitNalUnits(sample.subarray(0, 11), 4, sample.length))).toEqual([SPS]);
    expect(asArrays(splitNalUnits(sample.subarray(0, 9), 4, sample.length))).toEqual([SPS]);
  });

  it('rejects a length that claims more than the whole sample', () => {
    const sample = lengthPrefixed(4, SPS, PPS, IDR);
    expect(splitNalUnitsWithFraming(sample.subarray(0, 24), 4, 30).framing).toBeNull();
  });

  it('prefers the declared length-prefixed framing when a prefix fits both readings', () => {
    const slice = [0x41, ...filler(299)];
    const sample = lengthPrefixed(4, slice, PPS);
    const split = splitNalUnitsWithFraming(sample.subarray(0, 64), 4, sample.length);
    expect(split.framing).toBe('length-prefixed');
    expect(split.units[0]![0]).toBe(0x41);
  });

  it('recognises an Annex-B prefix with 3-byte start codes read against 4-byte lengths', () => {
    const sample = annexB(3, [0x09, 0xf0], SPS, PPS, [0x65, ...filler(1000)]);
    const split = splitNalUnitsWithFraming(sample.subarray(0, 40), 4, sample.length);
    expect(split.framing).toBe('annex-b');
    expect(split.units.map((u) => u[0]! & 0x1f)).toEqual([9, 7, 8, 5]);
  });
});
