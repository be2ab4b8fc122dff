/**
 * Decoder configuration records of MP4 sample entries: `avcC`
 * (AVCDecoderConfigurationRecord) and `hvcC` (HEVCDecoderConfigurationRecord), ISO/IEC
 * 14496-15. They give the size of the NAL length fields used in the samples and the
 * out-of-band parameter sets a decode input must carry.
 *
 * The parsers take the box payload (the bytes after the 8-byte box header) and return
 * views into it, never copies.
 */

import { unsupported } from '../errors.js';
import { HEVC_NAL, hevcNalType } from './hevc.js';
import { nextStartCode, type NalFraming } from './nal-units.js';

/** What a decoder configuration record says about the samples of its track. */
export interface DecoderConfig {
  /**
   * Size in bytes of the NAL length fields in the samples: 1, 2 or 4 (3 is not allowed by
   * ISO/IEC 14496-15 but ffmpeg reads it, so it is passed through). Nominally 4 when
   * `framing` is `'annex-b'`.
   */
  lengthSize: number;
  /**
   * Parameter-set NAL units carried by the record, header included, in record order:
   * SPS then PPS for avcC; every array of hvcC (normally VPS, SPS, PPS, sometimes SEI).
   * Views into the payload.
   */
  parameterSets: Uint8Array[];
  /**
   * `'annex-b'` when the record is empty or is itself an Annex-B byte stream, as some
   * muxers write it. ffmpeg then reads the samples as Annex-B too, and so should we
   * (`splitNalUnits` detects it per sample anyway). `'length-prefixed'` otherwise.
   */
  framing: NalFraming;
  /**
   * HEVC only: the highest TemporalId the stream may use, from the SPS
   * (`sps_max_sub_layers_minus1`, the largest over all SPSs) or else from the record's
   * `numTemporalLayers`; `undefined` when neither says. Pass it to
   * `inspectHevcSample` / `classifySample` so that sub-layer non-reference pictures are only called
   * non-reference when no higher sub-layer can reference them.
   */
  maxTemporalId?: number;
}

/**
 * Parses an `avcC` box payload (AVCDecoderConfigurationRecord).
 *
 * Mirrors ffmpeg's reading, because ffmpeg is the decoder these records feed: a payload
 * whose first byte is not configurationVersion 1 but a start code is taken as Annex-B
 * parameter sets, and an empty payload (seen in real files whose samples are Annex-B,
 * e.g. the media corpus's annex-b.mp4) yields `framing: 'annex-b'` with no parameter sets.
 * Bytes after the PPS list (the High-profile chroma/bit-depth extension) are ignored.
 *
 * @param payload the box content after the box header.
 * @throws StillframeError `unsupported` when the record is truncated or is neither an
 *   avcC record nor Annex-B.
 */
export function parseAvcC(payload: Uint8Array): DecoderConfig {
  if (payload.length === 0) return { lengthSize: 4, parameterSets: [], framing: 'annex-b' };
  if (payload[0] !== 1) {
    const annexB = annexBParameterSets(payload);
    if (annexB) return annexB;
    throw unsupported(`avcC record has configurationVersion ${payload[0]}, expected 1`);
  }
  // configurationVersion, profile, compatibility, level, lengthSizeMinusOne, numOfSPS.
  if (payload.length < 7) throw truncated('avcC', payload.length);
  const lengthSize = (payload[4]! & 0x03) + 1;
  const parameterSets: Uint8Array[] = [];
  let pos = readNalList(payload, 6, payload[5]! & 0x1f, parameterSets, 'avcC');
  if (pos >= payload.length) throw truncated('avcC', payload.length);
  const ppsCount = payload[pos]!;
  readNalList(payload, pos + 1, ppsCount, parameterSets, 'avcC');
  return { lengthSize, parameterSets, framing: 'length-prefixed' };
}

/**
 * Parses an `hvcC` box payload (HEVCDecoderConfigurationRecord).
 *
 * Like ffmpeg, any configurationVersion is accepted (early muxers wrote 0) unless the
 * payload starts with a start code, in which case it is Annex-B parameter sets; an empty
 * payload yields `framing: 'annex-b'`.
 *
 * @param payload the box content after the box header.
 * @throws StillframeError `unsupported` when the record is truncated.
 */
export function parseHvcC(payload: Uint8Array): DecoderConfig {
  if (payload.length === 0) return { lengthSize: 4, parameterSets: [], framing: 'annex-b' };
  // ffmpeg's test (hevcdec.c): the first three bytes 00 00 00 or 00 00 01 mean Annex-B.
  if (payload.length >= 3 && payload[0] === 0 && payload[1] === 0 && payload[2]! <= 1) {
    const annexB = annexBParameterSets(payload);
    if (annexB) return annexB;
    throw unsupported('hvcC record is neither an HEVCDecoderConfigurationRecord nor Annex-B');
  }
  // 22 bytes of fixed fields, then numOfArrays.
  if (payload.length < 23) throw truncated('hvcC', payload.length);
  const lengthSize = (payload[21]! & 0x03) + 1;
  const numTemporalLayers = (payload[21]! >> 3) & 0x07;
  const parameterSets: Uint8Array[] = [];
  const arrayCount = payload[22]!;
  let pos = 23;
  for (let a = 0; a < arrayCount; a++) {
    // array_completeness(1) reserved(1) NAL_unit_type(6), then numNalus(16).
    if (pos + 3 > payload.length) throw truncated('hvcC', payload.length);
    const count = (payload[pos + 1]! << 8) | payload[pos + 2]!;
    pos = readNalList(payload, pos + 3, count, parameterSets, 'hvcC');
  }
  const maxTemporalId = maxSubLayersFromSps(parameterSets) ?? (numTemporalLayers > 0 ? numTemporalLayers - 1 : undefined);
  const config: DecoderConfig = { lengthSize, parameterSets, framing: 'length-prefixed' };
  if (maxTemporalId !== undefined) config.maxTemporalId = maxTemporalId;
  return config;
}

/** Reads `count` entries of `u16 length, bytes`; returns the offset after them. */
function readNalList(payload: Uint8Array, pos: number, count: number, out: Uint8Array[], box: string): number {
  for (let i = 0; i < count; i++) {
    if (pos + 2 > payload.length) throw truncated(box, payload.length);
    const length = (payload[pos]! << 8) | payload[pos + 1]!;
    pos += 2;
    if (pos + length > payload.length) throw truncated(box, payload.length);
    // Zero-length entries exist in the wild; they carry nothing, so they are dropped.
    if (length > 0) out.push(payload.subarray(pos, pos + length));
    pos += length;
  }
  return pos;
}

/** Parameter sets of a record that is an Annex-B byte stream, or null if it is not one. */
function annexBParameterSets(payload: Uint8Array): DecoderConfig | null {
  let i = 0;
  while (i < payload.length && payload[i] === 0) i++;
  if (i < 2 || payload[i] !== 1) return null;
  const units: Uint8Array[] = [];
  let start = i + 1;
  for (let p = nextStartCode(payload, start); p >= 0; p = nextStartCode(payload, p + 3)) {
    pushTrimmed(payload, start, p, units);
    start = p + 3;
  }
  pushTrimmed(payload, start, payload.length, units);
  return { lengthSize: 4, parameterSets: units, framing: 'annex-b' };
}

function pushTrimmed(bytes: Uint8Array, start: number, end: number, out: Uint8Array[]): void {
  while (end > start && bytes[end - 1] === 0) end--;
  if (end > start) out.push(bytes.subarray(start, end));
}

/**
 * Highest `sps_max_sub_layers_minus1` over the HEVC SPS units (NAL type 33) in the list.
 * The field sits in the first payload byte (after sps_video_parameter_set_id), which can
 * never be an emulation prevention byte, so no RBSP decoding is needed.
 */
function maxSubLayersFromSps(units: Uint8Array[]): number | undefined {
  let max: number | undefined;
  for (const unit of units) {
    if (unit.length < 3 || hevcNalType(unit) !== HEVC_NAL.sps) continue;
    const subLayersMinus1 = (unit[2]! >> 1) & 0x07;
    // 7 is forbidden by the specification: ignore such an SPS rather than trust it.
    if (subLayersMinus1 <= 6) max = Math.max(max ?? 0, subLayersMinus1);
  }
  return max;
}

function truncated(box: string, size: number) {
  return unsupported(`${box} record is truncated (${size} bytes)`);
}

/**
 * The record parsed as `avcC` (H.264) or `hvcC` (HEVC); `undefined` where it cannot be, for the
 * callers that then do without it (a record ffmpeg would still cope with, a track to classify
 * less finely).
 */
export function tryParseDecoderConfig(kind: 'avcC' | 'hvcC', payload: Uint8Array): DecoderConfig | undefined {
  try {
    return kind === 'avcC' ? parseAvcC(payload) : parseHvcC(payload);
  } catch {
    return undefined;
  }
}
