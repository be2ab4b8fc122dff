/**
 * The one call the indexer/seeker makes per sample: is this sample a true decode entry
 * point, can decoding skip it, and is it an HEVC leading picture that cannot be decoded
 * when decoding starts at its CRA. Containers mislabel sync samples (an open-GOP I-frame
 * flagged sync, every sample flagged sync, or real key frames left unflagged), so the
 * answer comes from the bitstream.
 */

import { inspectH264Sample } from './h264.js';
import { inspectHevcSample } from './hevc.js';
import { splitNalUnits } from './nal-units.js';
import { mpeg4VopType } from './mpeg4.js';
import { inspectVp9Sample, isVp8Keyframe } from './vp9.js';

/** Codecs whose bitstream {@link classifySample} can read; anything else is `'other'`. */
export type SampleCodec = 'h264' | 'hevc' | 'vp9' | 'vp8' | 'mpeg4' | 'other';

/** What the bitstream of one sample says about decoding it. */
export interface SampleClass {
  /**
   * True when decoding can start at this sample and produce it and every later picture
   * in output order; false when it cannot. `undefined` when the bitstream cannot tell
   * (codec `'other'`, unreadable bytes, no picture in the sample): trust the container.
   */
  isEntryPoint: boolean | undefined;
  /**
   * False when no later sample needs this one to decode, so a decoder heading for a later
   * target may skip it. True whenever that is not certain.
   */
  isReference: boolean;
  /**
   * HEVC only: a RASL picture. It follows its CRA/BLA in decode order but references
   * pictures before it, so decoding that starts at that CRA drops it: a RASL target must
   * be decoded from an earlier entry point.
   */
  isLeadingUndecodable?: boolean;
  /**
   * H.264 only: a non-IDR I picture (nal_ref_idc != 0) carrying a recovery point SEI with
   * recovery_frame_cnt 0 — the open-GOP "key frame" of x264 and other encoders, which
   * containers flag sync and ffmpeg calls a key frame. It is an entry point like an HEVC CRA:
   * the B-frames after it in decode order but shown before it reference the previous GOP, so
   * a target among them is decoded from the entry point before.
   */
  isRecoveryPoint?: boolean;
}

/** Extra knowledge the caller may have about the sample or the stream. */
export interface ClassifyOptions {
  /**
   * Full size of the sample when `sample` holds only its first bytes. Classification then
   * uses what is visible and answers `undefined` when the deciding bytes are cut off.
   */
  sampleSize?: number;
  /**
   * HEVC: highest TemporalId of the stream (`DecoderConfig.maxTemporalId` from the hvcC).
   * Without it, sub-layer non-reference NAL types alone decide `isReference`, which is
   * wrong for temporally scalable streams (see `inspectHevcSample`).
   */
  maxTemporalId?: number;
}

/**
 * Classifies one sample from its bitstream.
 *
 * Entry points:
 * - H.264: IDR pictures, and I-frames with a recovery point SEI of recovery_frame_cnt 0
 *   (`isRecoveryPoint`, the open-GOP key frame). ffmpeg (lavc 59.37: native 5.1 and the
 *   @ffmpeg/core 0.12.10 wasm build behave the same) decodes every picture shown after such
 *   an I-frame bit-exact, but by default withholds those still in its reorder queue when the
 *   input ends, because pictures only count as "recovered" once the I-frame has been output;
 *   the engine therefore decodes with `-flags2 +showall` (test/codec/real-streams.test.ts
 *   shows both). A non-IDR I-frame without a recovery point recovers nothing and is no entry
 *   point.
 * - HEVC: IRAP pictures (IDR, CRA, BLA). When decoding starts at a CRA, ffmpeg drops its
 *   RASL pictures (`isLeadingUndecodable`) and decodes its RADL pictures.
 * - VP9: the first frame of the sample is a key frame. VP8: key frame.
 * - MPEG-4 Part 2: an I-VOP; a B-VOP is never referenced.
 * - Anything else: `undefined`.
 *
 * Never throws on bad sample bytes: garbage gives `isEntryPoint: undefined`,
 * `isReference: true`.
 *
 * @param codec the track's codec.
 * @param sample the sample's bytes (or its first bytes, with `options.sampleSize`).
 * @param lengthSize H.264/HEVC NAL length field size from the avcC/hvcC record; ignored
 *   for other codecs.
 * @throws StillframeError `invalid-argument` for an H.264/HEVC `lengthSize` outside 1..4.
 */
export function classifySample(
  codec: SampleCodec,
  sample: Uint8Array,
  lengthSize: number,
  options: ClassifyOptions = {},
): SampleClass {
  switch (codec) {
    case 'h264': {
      const info = inspectH264Sample(splitNalUnits(sample, lengthSize, options.sampleSize));
      if (!info.hasSlice) return unknown();
      // ffmpeg only honours a recovery point on a reference picture (h264_field_start:
      // `recovery_frame == frame_num && nal->ref_idc`).
      const isRecoveryPoint = !info.isIdr && info.recoveryFrameCount === 0 && info.isIntra && info.isReference;
      const result: SampleClass = { isEntryPoint: info.isIdr || isRecoveryPoint, isReference: info.isReference };
      if (isRecoveryPoint) result.isRecoveryPoint = true;
      return result;
    }
    case 'hevc': {
      const nals = splitNalUnits(sample, lengthSize, options.sampleSize);
      const info = inspectHevcSample(nals, options.maxTemporalId);
      if (!info.hasPicture) return unknown();
      return { isEntryPoint: info.isIrap, isReference: info.isReference, isLeadingUndecodable: info.isRasl };
    }
    case 'vp9': {
      const info = inspectVp9Sample(sample);
      if (info === null) return unknown();
      return { isEntryPoint: info.isKeyframe, isReference: info.isReference };
    }
    case 'vp8':
      // VP8's refresh flags sit inside the boolean-coded first partition: every frame is
      // treated as referenced rather than decoding that far.
      if (sample.length === 0) return unknown();
      return { isEntryPoint: isVp8Keyframe(sample), isReference: true };
    case 'mpeg4': {
      const vop = mpeg4VopType(sample);
      if (vop === undefined) return unknown();
      return { isEntryPoint: vop === 'I', isReference: vop !== 'B' };
    }
    default:
      return unknown();
  }
}

function unknown(): SampleClass {
  return { isEntryPoint: undefined, isReference: true };
}
