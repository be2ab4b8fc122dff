import { describe, expect, it } from 'vitest';
import { classifySample } from '../../src/codec/entry-points.js';
import { annexB, BitWriter, concat, filler, lengthPrefixed } from './helpers/bytes.js';

const SPS = [0x67, 0x42, 0xc0, 0x1e];
const PPS = [0x68, 0xce, 0x3c, 0x80];
const slice = (refIdc: number, type: number, sliceType: number) => [
  (refIdc << 5) | type,
  ...new BitWriter().ue(0).ue(sliceType).put(0b101, 3).trailing().bytes(),
  ...filler(8),
];
const recoverySei = (count: number) => {
  const payload = new BitWriter().ue(count).put(0b1000, 4).trailing().bytes();
  return [0x06, 6, payload.length, ...payload, 0x80];
};
const hevc = (type: number) => [type << 1, 0x01, 0xaf, 0x12];

describe('classifySample: H.264', () => {
  it('an IDR access unit is an entry point', () => {
    expect(classifySample('h264', lengthPrefixed(4, SPS, PPS, slice(3, 5, 7)), 4)).toEqual({ isEntryPoint: true, isReference: true });
  });

  it('P and B pictures are not entry points; nal_ref_idc 0 is not referenced', () => {
    expect(classifySample('h264', lengthPrefixed(4, slice(2, 1, 5)), 4)).toEqual({ isEntryPoint: false, isReference: true });
    expect(classifySample('h264', lengthPrefixed(4, slice(0, 1, 6)), 4)).toEqual({ isEntryPoint: false, isReference: false });
  });

  it('a non-IDR I-frame is an entry point only with a recovery point SEI (the open-GOP key frame)', () => {
    expect(classifySample('h264', lengthPrefixed(4, slice(3, 1, 7)), 4)).toEqual({ isEntryPoint: false, isReference: true });
    expect(classifySample('h264', lengthPrefixed(4, recoverySei(0), slice(3, 1, 7)), 4)).toEqual({
      isEntryPoint: true,
      isReference: true,
      isRecoveryPoint: true,
    });
  });

  it('flags recovery points only where ffmpeg would honour them: count 0, intra, referenced', () => {
    const flagged = (...units: number[][]) => classifySample('h264', lengthPrefixed(4, ...units), 4).isRecoveryPoint;
    const entry = (...units: number[][]) => classifySample('h264', lengthPrefixed(4, ...units), 4).isEntryPoint;
    expect(flagged(recoverySei(3), slice(3, 1, 7))).toBeUndefined(); // gradual decoding refresh
    expect(entry(recoverySei(3), slice(3, 1, 7))).toBe(false);
    expect(flagged(recoverySei(0), slice(3, 1, 5))).toBeUndefined(); // P slice
    expect(entry(recoverySei(0), slice(3, 1, 5))).toBe(false);
    expect(flagged(recoverySei(0), slice(0, 1, 7))).toBeUndefined(); // nal_ref_idc 0
    expect(entry(recoverySei(0), slice(0, 1, 7))).toBe(false);
    expect(flagged(recoverySei(0), slice(3, 5, 7))).toBeUndefined(); // IDR: already an entry point
  });

  it('reads Annex-B samples and every length size', () => {
    expect(classifySample('h264', annexB(4, [0x09, 0xf0], SPS, PPS, slice(3, 5, 7)), 4).isEntryPoint).toBe(true);
    expect(classifySample('h264', annexB(3, slice(0, 1, 6)), 2)).toEqual({ isEntryPoint: false, isReference: false });
    for (const size of [1, 2, 4]) expect(classifySample('h264', lengthPrefixed(size, slice(3, 5, 7)), size).isEntryPoint).toBe(true);
  });

  it('cannot tell without a slice, or from garbage: trust the container', () => {
    expect(classifySample('h264', lengthPrefixed(4, SPS, PPS), 4)).toEqual({ isEntryPoint: undefined, isReference: true });
    expect(classifySample('h264', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), 4)).toEqual({ isEntryPoint: undefined, isReference: true });
    expect(classifySample('h264', new Uint8Array(0), 4)).toEqual({ isEntryPoint: undefined, isReference: true });
  });

  it('classifies from the first bytes of a sample when told its size', () => {
    const sample = lengthPrefixed(4, [0x06, 5, 200, ...filler(200), 0x80], slice(3, 5, 7), filler(500, 0x41));
    expect(classifySample('h264', sample.subarray(0, 100), 4, { sampleSize: sample.length }).isEntryPoint).toBeUndefined();
    expect(classifySample('h264', sample.subarray(0, 230), 4, { sampleSize: sample.length })).toEqual({ isEntryPoint: true, isReference: true });
  });

  it('rejects a bad length size', () => {
    expect(() => classifySample('h264', lengthPrefixed(4, slice(3, 5, 7)), 0)).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
  });
});

describe('classifySample: HEVC', () => {
  it('IDR, CRA and BLA are entry points', () => {
    for (const type of [16, 17, 18, 19, 20, 21]) {
      expect(classifySample('hevc', lengthPrefixed(4, hevc(32), hevc(33), hevc(34), hevc(type)), 4)).toEqual({
        isEntryPoint: true,
        isReference: true,
        isLeadingUndecodable: false,
      });
    }
  });

  it('RASL pictures are undecodable leading pictures; RADL ones are not', () => {
    expect(classifySample('hevc', lengthPrefixed(4, hevc(8)), 4)).toEqual({ isEntryPoint: false, isReference: false, isLeadingUndecodable: true });
    expect(classifySample('hevc', lengthPrefixed(4, hevc(9)), 4)).toEqual({ isEntryPoint: false, isReference: true, isLeadingUndecodable: true });
    expect(classifySample('hevc', lengthPrefixed(4, hevc(7)), 4)).toEqual({ isEntryPoint: false, isReference: true, isLeadingUndecodable: false });
  });

  it('passes maxTemporalId through', () => {
    expect(classifySample('hevc', lengthPrefixed(4, hevc(0)), 4).isReference).toBe(false);
    expect(classifySample('hevc', lengthPrefixed(4, hevc(0)), 4, { maxTemporalId: 1 }).isReference).toBe(true);
  });

  it('cannot tell from parameter sets alone', () => {
    expect(classifySample('hevc', lengthPrefixed(4, hevc(32), hevc(33)), 4)).toEqual({ isEntryPoint: undefined, isReference: true });
  });
});

describe('classifySample: VP9, VP8, other codecs', () => {
  const vp9Key = new Uint8Array([0x82, 0x49, 0x83, 0x42, 0x00, 0x11]);
  const vp9Inter = new Uint8Array([0x86, 0x00, 0x11]);

  it('VP9: key frame or not; every decoded frame referenced', () => {
    expect(classifySample('vp9', vp9Key, 0)).toEqual({ isEntryPoint: true, isReference: true });
    expect(classifySample('vp9', vp9Inter, 0)).toEqual({ isEntryPoint: false, isReference: true });
    expect(classifySample('vp9', concat(vp9Key, vp9Inter, [0xc1, 6, 3, 0xc1]), 0).isEntryPoint).toBe(true);
  });

  it('VP9: show_existing_frame is not referenced; garbage cannot tell', () => {
    expect(classifySample('vp9', new Uint8Array([0x88]), 0)).toEqual({ isEntryPoint: false, isReference: false });
    expect(classifySample('vp9', new Uint8Array([0x00, 0x00]), 0)).toEqual({ isEntryPoint: undefined, isReference: true });
  });

  it('VP8: key frame or not', () => {
    expect(classifySample('vp8', new Uint8Array([0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0xa0, 0x00]), 0)).toEqual({ isEntryPoint: true, isReference: true });
    expect(classifySample('vp8', new Uint8Array([0x31, 0x06, 0x00]), 0)).toEqual({ isEntryPoint: false, isReference: true });
    expect(classifySample('vp8', new Uint8Array(0), 0).isEntryPoint).toBeUndefined();
  });

  it('other codecs: trust the container', () => {
    expect(classifySample('other', vp9Key, 4)).toEqual({ isEntryPoint: undefined, isReference: true });
  });
});
