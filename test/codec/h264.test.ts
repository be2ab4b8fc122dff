import { describe, expect, it } from 'vitest';
import { inspectH264Sample } from '../../src/codec/h264.js';
import { BitWriter, filler } from './helpers/bytes.js';

const u = (...bytes: number[]) => new Uint8Array(bytes);
/** NAL header byte. */
const hdr = (refIdc: number, type: number) => (refIdc << 5) | type;
/** A slice NAL: first_mb_in_slice 0, then slice_type, then some slice data. */
const slice = (refIdc: number, type: number, sliceType: number) =>
  u(hdr(refIdc, type), ...new BitWriter().ue(0).ue(sliceType).put(0b101, 3).trailing().bytes(), ...filler(8));
const SPS = u(0x67, 0x42, 0xc0, 0x1e);
const PPS = u(0x68, 0xce, 0x3c, 0x80);

/** An SEI NAL unit holding the given raw message bytes, then rbsp_trailing_bits. */
const sei = (...messages: number[][]) => u(0x06, ...messages.flat(), 0x80);
/** recovery_point() payload: recovery_frame_cnt, exact_match 1, broken_link 0, changing_slice_group_idc 0. */
const recoveryPayload = (count: number) => new BitWriter().ue(count).put(1, 1).put(0, 1).put(0, 2).trailing().bytes();
const recoveryMessage = (count: number) => {
  const payload = recoveryPayload(count);
  return [6, payload.length, ...payload];
};

describe('inspectH264Sample: IDR and reference', () => {
  it('an IDR slice (type 5) makes the sample IDR', () => {
    const info = inspectH264Sample([SPS, PPS, slice(3, 5, 7)]);
    expect(info).toMatchObject({ isIdr: true, isReference: true, hasSlice: true, isIntra: true, hasRecoveryPoint: false });
  });

  it('a non-IDR slice (type 1) is not IDR, even when intra', () => {
    expect(inspectH264Sample([slice(2, 1, 7)])).toMatchObject({ isIdr: false, isIntra: true });
    expect(inspectH264Sample([slice(2, 1, 5)])).toMatchObject({ isIdr: false, isIntra: false });
  });

  it('IDR if any NAL unit has type 5', () => {
    expect(inspectH264Sample([slice(3, 1, 7), slice(3, 5, 7)]).isIdr).toBe(true);
  });

  it('is non-reference only when every slice has nal_ref_idc 0', () => {
    expect(inspectH264Sample([slice(0, 1, 6)]).isReference).toBe(false);
    expect(inspectH264Sample([slice(0, 1, 6), slice(0, 1, 6)]).isReference).toBe(false);
    expect(inspectH264Sample([slice(0, 1, 6), slice(1, 1, 6)]).isReference).toBe(true);
    for (const refIdc of [1, 2, 3]) expect(inspectH264Sample([slice(refIdc, 1, 5)]).isReference).toBe(true);
  });

  it('ignores nal_ref_idc of non-VCL units (SPS/PPS are always "referenced")', () => {
    expect(inspectH264Sample([SPS, PPS, slice(0, 1, 6)]).isReference).toBe(false);
  });

  it('counts data partitions A-C (types 2-4) as slices', () => {
    expect(inspectH264Sample([u(hdr(0, 2), 0x88), u(hdr(0, 3), 0x80)])).toMatchObject({ hasSlice: true, isReference: false });
    expect(inspectH264Sample([u(hdr(0, 2), 0x88), u(hdr(2, 4), 0x80)]).isReference).toBe(true);
  });

  it('without any slice: not IDR, and treated as referenced (cannot tell)', () => {
    expect(inspectH264Sample([SPS, PPS])).toMatchObject({ hasSlice: false, isIdr: false, isReference: true, isIntra: false });
    expect(inspectH264Sample([])).toMatchObject({ hasSlice: false, isReference: true });
  });

  it('reads slice types I (2, 7) and SI (4, 9) as intra, others not', () => {
    for (const t of [2, 4, 7, 9]) expect(inspectH264Sample([slice(3, 1, t)]).isIntra, `slice_type ${t}`).toBe(true);
    for (const t of [0, 1, 3, 5, 6, 8]) expect(inspectH264Sample([slice(3, 1, t)]).isIntra, `slice_type ${t}`).toBe(false);
    // One P slice makes the picture non-intra.
    expect(inspectH264Sample([slice(3, 1, 7), slice(3, 1, 5)]).isIntra).toBe(false);
  });

  it('does not treat a truncated slice header as intra', () => {
    expect(inspectH264Sample([u(hdr(3, 1))]).isIntra).toBe(false);
    expect(inspectH264Sample([u(hdr(3, 1), 0x00)]).isIntra).toBe(false);
  });
});

describe('inspectH264Sample: recovery point SEI', () => {
  it('finds a recovery point and its recovery_frame_cnt', () => {
    expect(inspectH264Sample([sei(recoveryMessage(0)), slice(3, 1, 7)])).toMatchObject({ hasRecoveryPoint: true, recoveryFrameCount: 0 });
    expect(inspectH264Sample([sei(recoveryMessage(3)), slice(3, 1, 7)])).toMatchObject({ hasRecoveryPoint: true, recoveryFrameCount: 3 });
  });

  it('has no recovery point without SEI, or with other SEI messages only', () => {
    expect(inspectH264Sample([slice(3, 1, 7)])).toMatchObject({ hasRecoveryPoint: false, recoveryFrameCount: undefined });
    expect(inspectH264Sample([sei([5, 3, 1, 2, 3])]).hasRecoveryPoint).toBe(false);
  });

  it('finds it after other messages in the same SEI unit', () => {
    const userData = [5, 20, ...filler(20)];
    const picTiming = [1, 2, 0x12, 0x34];
    expect(inspectH264Sample([sei(userData, picTiming, recoveryMessage(0))]).recoveryFrameCount).toBe(0);
  });

  it('applies the 0xFF continuation rule to payloadType and payloadSize', () => {
    // Type 0xFF 0x06 = 261 is not a recovery point; its size 0xFF 0x0A = 265 bytes is skipped.
    const type261 = [0xff, 0x06, 0xff, 0x0a, ...filler(265)];
    expect(inspectH264Sample([sei(type261)]).hasRecoveryPoint).toBe(false);
    expect(inspectH264Sample([sei(type261, recoveryMessage(2))]).recoveryFrameCount).toBe(2);
  });

  it('skips emulation prevention bytes: payload sizes count RBSP bytes', () => {
    // RBSP 00 00 01 00 00 02 (6 bytes) is stored as 00 00 03 01 00 00 03 02 (8 bytes).
    const withEpb = [5, 6, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x02];
    expect(inspectH264Sample([sei(withEpb, recoveryMessage(1))]).recoveryFrameCount).toBe(1);
  });

  it('finds it in a second SEI unit', () => {
    expect(inspectH264Sample([sei([5, 1, 0x11]), sei(recoveryMessage(0)), slice(3, 1, 7)]).recoveryFrameCount).toBe(0);
  });

  it('reports a recovery point whose payload is cut, without a count', () => {
    expect(inspectH264Sample([u(0x06, 6, 1)])).toMatchObject({ hasRecoveryPoint: true, recoveryFrameCount: undefined });
  });

  it('survives SEI garbage: sizes running past the end, empty units', () => {
    expect(inspectH264Sample([u(0x06, 5, 200, 1, 2), u(0x06), u(0x06, 0xff)]).hasRecoveryPoint).toBe(false);
  });
});
