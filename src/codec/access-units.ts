/**
 * Where an access unit (the coded picture and the units that belong with it) starts in an
 * H.264, HEVC or MPEG-4 Visual byte stream, for containers whose packets need not begin with
 * one: an MPEG-TS muxer may start a PES with the last bytes of the previous picture.
 *
 * The rules are the specifications' (H.264 7.4.1.2.3, H.265 7.4.2.4.4): after the last VCL unit
 * of a picture, the first access unit delimiter, parameter set, SEI (or other unit that may only
 * precede a picture), or the first slice of the next picture opens the next access unit. In
 * MPEG-4 Visual, the first configuration header (VOS, VO, VOL), GOV or VOP start code does.
 */
import { H264_NAL, h264NalType } from './h264-headers.js';
import { HEVC_NAL, hevcLayerId, hevcNalType } from './hevc.js';
import { opensMpeg4AccessUnit } from './mpeg4.js';
import { nextStartCode } from './nal-units.js';

/** H.264 units that open an access unit besides slices: SEI, SPS, PPS, AUD, and types 14–18. */
const H264_OPENERS = new Set<number>([H264_NAL.sei, H264_NAL.sps, H264_NAL.pps, H264_NAL.aud, 14, 15, 16, 17, 18]);
/** H.264 slice units (non-IDR, partition A, IDR), which open one when they are a picture's first slice. */
const H264_FIRST_SLICES = new Set<number>([H264_NAL.slice, H264_NAL.slicePartitionA, H264_NAL.idrSlice]);

/** HEVC units that open an access unit besides slices: VPS, SPS, PPS, AUD, prefix SEI, 41–44, 48–55. */
function isHevcOpener(type: number): boolean {
  return (type >= HEVC_NAL.vps && type <= HEVC_NAL.aud) || type === HEVC_NAL.prefixSei || (type >= 41 && type <= 44) || (type >= 48 && type <= 55);
}

/**
 * Position of the first start code from `from` on whose unit opens an access unit — the zero
 * byte before it included when there is one (a 4-byte start code belongs to the unit it opens,
 * as ffmpeg's parsers count it) — or -1. A unit whose deciding bytes lie past the end does not count.
 */
export function findAccessUnitStart(codec: 'h264' | 'hevc' | 'mpeg4', bytes: Uint8Array, from = 0): number {
  for (let i = nextStartCode(bytes, from); i >= 0; i = nextStartCode(bytes, i + 3)) {
    if (codec === 'mpeg4') {
      // MPEG-4 Visual's start codes are three bytes: a zero before one is the stream's stuffing.
      if (i + 3 < bytes.length && opensMpeg4AccessUnit(bytes[i + 3]!)) return i;
    } else if (opensAccessUnit(codec, bytes, i + 3)) {
      return i > 0 && bytes[i - 1] === 0 ? i - 1 : i;
    }
  }
  return -1;
}

/** Whether the unit whose header is at `at` opens an access unit. */
function opensAccessUnit(codec: 'h264' | 'hevc', bytes: Uint8Array, at: number): boolean {
  if (codec === 'h264') {
    if (at + 1 >= bytes.length) return false;
    const type = h264NalType(bytes, at);
    // first_mb_in_slice, the first field of a slice header, is 0 (ue(v) code '1') in a picture's first slice.
    return H264_OPENERS.has(type) || (H264_FIRST_SLICES.has(type) && (bytes[at + 1]! & 0x80) !== 0);
  }
  if (at + 2 >= bytes.length) return false;
  const type = hevcNalType(bytes, at);
  // Units of other layers belong to the base layer's access unit.
  if (hevcLayerId(bytes, at) !== 0) return false;
  // first_slice_segment_in_pic_flag opens every VCL unit's slice segment header.
  return isHevcOpener(type) || (type < 32 && (bytes[at + 2]! & 0x80) !== 0);
}
