/**
 * What the NAL units of one H.264 access unit say about decoding it: IDR or not, whether
 * later pictures may reference it, and whether it carries a recovery point.
 *
 * Only NAL headers, the first two fields of slice headers and SEI message headers are
 * read: enough to classify a sample during indexing without decoding it.
 */

import { H264_NAL, h264NalType } from './h264-headers.js';
import { RbspReader } from './rbsp.js';

/** SEI payloadType of recovery_point (H.264 D.1.8). */
const SEI_RECOVERY_POINT = 6;

/** Facts about one H.264 access unit (MP4 sample). */
export interface H264SampleInfo {
  /** Some NAL unit is an IDR slice (type 5): decoding can start here. */
  isIdr: boolean;
  /**
   * False iff every VCL NAL unit (types 1..5) has nal_ref_idc 0, i.e. no later picture
   * uses this one for prediction and decoding may skip it. True when the sample holds no
   * VCL NAL unit at all, because "cannot tell" must not let a decoder skip a picture.
   */
  isReference: boolean;
  /** A recovery point SEI message (payloadType 6) is present. */
  hasRecoveryPoint: boolean;
  /**
   * recovery_frame_cnt of the first recovery point SEI: 0 means output is correct from
   * this very picture on. `undefined` without a recovery point (or if it is truncated).
   */
  recoveryFrameCount: number | undefined;
  /** Every slice header read has slice_type I or SI; false when none could be read. */
  isIntra: boolean;
  /** At least one VCL NAL unit (types 1..5) is present. */
  hasSlice: boolean;
}

/**
 * Inspects the NAL units of one H.264 sample (as split by `splitNalUnits`).
 *
 * - IDR: any NAL unit of type 5 (the specification makes all slices of an IDR picture
 *   type 5, so "any" and "all" agree on valid streams).
 * - Reference: nal_ref_idc is non-zero on some slice. A picture with nal_ref_idc 0 on
 *   every slice is never used for inter prediction (H.264 7.4.1).
 * - Recovery point: SEI NAL units (type 6) are walked message by message; payloadType
 *   and payloadSize use the 0xFF-continuation coding, sizes count RBSP bytes, so the walk
 *   skips emulation prevention bytes.
 *
 * @param nals NAL units with their header byte, without start codes or length fields.
 */
export function inspectH264Sample(nals: readonly Uint8Array[]): H264SampleInfo {
  let isIdr = false;
  let hasSlice = false;
  let anyReference = false;
  let slicesRead = 0;
  let allIntra = true;
  let recoveryFrameCount: number | undefined;
  let hasRecoveryPoint = false;

  for (const nal of nals) {
    if (nal.length === 0) continue;
    const header = nal[0]!;
    const type = h264NalType(nal);
    if (type >= H264_NAL.slice && type <= H264_NAL.idrSlice) {
      hasSlice = true;
      if (type === H264_NAL.idrSlice) isIdr = true;
      if (header & 0x60) anyReference = true;
      // Partitions B and C (types 3, 4) carry slice_id instead of a slice header.
      if (type === H264_NAL.slice || type === H264_NAL.slicePartitionA || type === H264_NAL.idrSlice) {
        const sliceType = readSliceType(nal);
        if (sliceType === undefined) {
          allIntra = false;
        } else {
          slicesRead++;
          // slice_type 2/7 = I, 4/9 = SI (values 5..9 repeat 0..4 for "all slices alike").
          const base = sliceType % 5;
          if (base !== 2 && base !== 4) allIntra = false;
        }
      }
    } else if (type === H264_NAL.sei && !hasRecoveryPoint) {
      const found = findRecoveryPoint(nal);
      if (found !== null) {
        hasRecoveryPoint = true;
        recoveryFrameCount = found;
      }
    }
  }
  return {
    isIdr,
    isReference: hasSlice ? anyReference : true,
    hasRecoveryPoint,
    recoveryFrameCount,
    isIntra: slicesRead > 0 && allIntra,
    hasSlice,
  };
}

/** slice_type of a slice NAL unit (after first_mb_in_slice), or undefined if unreadable. */
function readSliceType(nal: Uint8Array): number | undefined {
  const reader = new RbspReader(nal, 1);
  if (reader.readUe() === undefined) return undefined; // first_mb_in_slice
  const sliceType = reader.readUe();
  return sliceType !== undefined && sliceType <= 9 ? sliceType : undefined;
}

/**
 * Walks the SEI messages of one SEI NAL unit. Returns the recovery point's
 * recovery_frame_cnt, `undefined` if a recovery point is there but its payload is cut, or
 * `null` when the unit has no recovery point.
 */
function findRecoveryPoint(nal: Uint8Array): number | undefined | null {
  const reader = new RbspReader(nal, 1);
  // Each message needs at least a type byte and a size byte; anything shorter left over is
  // rbsp_trailing_bits (0x80).
  while (reader.rawBytesLeft >= 2) {
    const payloadType = readSeiNumber(reader);
    if (payloadType < 0) return null;
    const payloadSize = readSeiNumber(reader);
    if (payloadSize < 0) return null;
    if (payloadType === SEI_RECOVERY_POINT) {
      // recovery_frame_cnt ue(v) opens the payload; the flags after it do not matter here.
      return reader.readUe();
    }
    if (!reader.skipBytes(payloadSize)) return null;
  }
  return null;
}

/** payloadType / payloadSize: a run of 0xFF bytes (255 each) plus a final byte. */
function readSeiNumber(reader: RbspReader): number {
  let value = 0;
  for (;;) {
    const b = reader.readByte();
    if (b < 0) return -1;
    value += b;
    if (b !== 0xff) return value;
  }
}
