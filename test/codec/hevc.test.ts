import { describe, expect, it } from 'vitest';
import { inspectHevcSample } from '../../src/codec/hevc.js';

/** An HEVC NAL unit: 2-byte header (type, nuh_layer_id, nuh_temporal_id_plus1) + payload. */
const nal = (type: number, options: { layer?: number; tid?: number } = {}) => {
  const layer = options.layer ?? 0;
  const tidPlus1 = (options.tid ?? 0) + 1;
  return new Uint8Array([(type << 1) | (layer >> 5), ((layer & 0x1f) << 3) | tidPlus1, 0xaf, 0x12]);
};
const VPS = nal(32);
const SPS = nal(33);
const PPS = nal(34);
const PREFIX_SEI = nal(39);

describe('inspectHevcSample: random access points', () => {
  it.each([
    [19, 'IDR'],
    [20, 'IDR'],
    [21, 'CRA'],
    [16, 'BLA'],
    [17, 'BLA'],
    [18, 'BLA'],
  ] as const)('type %i is an IRAP picture of kind %s', (type, kind) => {
    expect(inspectHevcSample([VPS, SPS, PPS, PREFIX_SEI, nal(type)])).toMatchObject({
      isIrap: true,
      irapType: kind,
      isReference: true,
      isRasl: false,
      isRadl: false,
      hasPicture: true,
    });
  });

  it('reserved IRAP types 22-23 and non-IRAP types are not random access points', () => {
    for (const type of [0, 1, 6, 8, 9, 15, 22, 23]) {
      expect(inspectHevcSample([nal(type)]), `type ${type}`).toMatchObject({ isIrap: false, irapType: null });
    }
  });
});

describe('inspectHevcSample: leading pictures', () => {
  it('RASL is types 8-9, RADL types 6-7', () => {
    expect(inspectHevcSample([nal(8)])).toMatchObject({ isRasl: true, isRadl: false });
    expect(inspectHevcSample([nal(9)])).toMatchObject({ isRasl: true, isRadl: false });
    expect(inspectHevcSample([nal(6)])).toMatchObject({ isRasl: false, isRadl: true });
    expect(inspectHevcSample([nal(7)])).toMatchObject({ isRasl: false, isRadl: true });
    expect(inspectHevcSample([nal(1)])).toMatchObject({ isRasl: false, isRadl: false });
  });
});

describe('inspectHevcSample: reference pictures', () => {
  it('sub-layer non-reference types (even, below 16) are not referenced', () => {
    for (const type of [0, 2, 4, 6, 8, 10, 12, 14]) expect(inspectHevcSample([nal(type)]).isReference, `type ${type}`).toBe(false);
    for (const type of [1, 3, 5, 7, 9, 11, 13, 15, 16, 19, 21]) expect(inspectHevcSample([nal(type)]).isReference, `type ${type}`).toBe(true);
  });

  it('every slice of the picture must be non-reference', () => {
    expect(inspectHevcSample([nal(0), nal(0)]).isReference).toBe(false);
    expect(inspectHevcSample([nal(0), nal(1)]).isReference).toBe(true);
  });

  it('with maxTemporalId, only the highest sub-layer can be non-reference', () => {
    // TSA_N in sub-layer 1 of a 2-layer stream: nothing above it.
    expect(inspectHevcSample([nal(2, { tid: 1 })], 1)).toMatchObject({ isReference: false, temporalId: 1 });
    // TRAIL_N in sub-layer 0 of a 2-layer stream: sub-layer 1 may reference it.
    expect(inspectHevcSample([nal(0, { tid: 0 })], 1)).toMatchObject({ isReference: true, temporalId: 0 });
    // Single-layer stream.
    expect(inspectHevcSample([nal(0)], 0).isReference).toBe(false);
    // Without the information, the NAL type alone decides.
    expect(inspectHevcSample([nal(0, { tid: 0 })]).isReference).toBe(false);
  });

  it('without a picture: nothing to tell, treated as referenced', () => {
    expect(inspectHevcSample([VPS, SPS, PPS, PREFIX_SEI])).toMatchObject({
      hasPicture: false,
      isIrap: false,
      isReference: true,
      temporalId: undefined,
    });
    expect(inspectHevcSample([]).hasPicture).toBe(false);
  });
});

describe('inspectHevcSample: headers to ignore', () => {
  it('ignores NAL units of other layers (MV-HEVC second view), as ffmpeg does', () => {
    expect(inspectHevcSample([nal(19, { layer: 1 }), nal(0)])).toMatchObject({ isIrap: false, isReference: false });
    expect(inspectHevcSample([nal(1, { layer: 1 }), nal(21)])).toMatchObject({ irapType: 'CRA' });
  });

  it('ignores units with the forbidden nuh_temporal_id_plus1 0 and units shorter than a header', () => {
    const badTid = new Uint8Array([19 << 1, 0x00, 0x11]);
    expect(inspectHevcSample([badTid, new Uint8Array([0x26])])).toMatchObject({ hasPicture: false });
  });
});
