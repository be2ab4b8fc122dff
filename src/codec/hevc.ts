/**
 * What the NAL unit headers of one HEVC access unit say about decoding it: random access
 * point or not (and which kind), leading picture or not, and whether later pictures may
 * reference it. Only the two-byte NAL unit headers are read.
 */

/** The HEVC non-VCL NAL unit types (ITU-T H.265 Table 7-1) stillframe looks at. */
export const HEVC_NAL = { vps: 32, sps: 33, pps: 34, aud: 35, prefixSei: 39 } as const;

/** The nal_unit_type of an HEVC NAL unit whose two-byte header is at `at`. */
export function hevcNalType(unit: Uint8Array, at = 0): number {
  return (unit[at]! >> 1) & 0x3f;
}

/** The nuh_layer_id of an HEVC NAL unit whose two-byte header is at `at`: 0 for the base layer. */
export function hevcLayerId(unit: Uint8Array, at = 0): number {
  return ((unit[at]! & 1) << 5) | (unit[at + 1]! >> 3);
}

/** Kind of intra random access point picture (ITU-T H.265 Table 7-1). */
export type HevcIrapType = 'IDR' | 'CRA' | 'BLA';

/** Facts about one HEVC access unit (MP4 sample). */
export interface HevcSampleInfo {
  /** An IDR, CRA or BLA picture: decoding can start here. */
  isIrap: boolean;
  /** IDR (types 19-20), CRA (21), BLA (16-18), or null when not an IRAP picture. */
  irapType: HevcIrapType | null;
  /**
   * RASL picture (types 8-9): a leading picture that references pictures before its
   * associated IRAP, so it cannot be decoded when decoding starts at that CRA (or BLA);
   * decoders drop it then.
   */
  isRasl: boolean;
  /** RADL picture (types 6-7): a leading picture that is decodable from its IRAP. */
  isRadl: boolean;
  /**
   * False when the picture is a sub-layer non-reference picture (types 0, 2, 4, ... 14)
   * that no picture can use for prediction (see `maxTemporalId`). True when no picture
   * is present, because "cannot tell" must not let a decoder skip a picture.
   */
  isReference: boolean;
  /** A base-layer VCL NAL unit (types 0..31) is present. */
  hasPicture: boolean;
  /** TemporalId of the picture (nuh_temporal_id_plus1 - 1), or undefined without one. */
  temporalId: number | undefined;
}

/**
 * Inspects the NAL units of one HEVC sample (as split by `splitNalUnits`).
 *
 * nal_unit_type is `(byte0 >> 1) & 0x3f`. All VCL NAL units of a picture share one type,
 * so the first base-layer VCL unit decides IRAP/RASL/RADL. Units of other layers
 * (nuh_layer_id > 0, e.g. the second view of MV-HEVC "spatial video") are ignored, as
 * ffmpeg ignores them: only the base layer is decoded.
 *
 * Sub-layer non-reference pictures (even types below 16) are only guaranteed to be
 * unreferenced by pictures of the *same* temporal sub-layer; pictures of higher
 * sub-layers may still reference them (H.265 3.132). So when `maxTemporalId` is known,
 * such a picture is non-reference only if its TemporalId is the highest the stream uses.
 * Without it, the NAL type alone decides, which is exact for the usual single-layer
 * streams (x265 and most hardware encoders) but wrong for temporally scalable ones.
 *
 * @param nals NAL units with their 2-byte header, without start codes or length fields.
 * @param maxTemporalId highest TemporalId of the stream (`DecoderConfig.maxTemporalId`).
 */
export function inspectHevcSample(nals: readonly Uint8Array[], maxTemporalId?: number): HevcSampleInfo {
  let pictureType = -1;
  let temporalId: number | undefined;
  let anyReference = false;

  for (const nal of nals) {
    if (nal.length < 2) continue;
    const type = hevcNalType(nal);
    if (type > 31) continue; // not VCL
    if (hevcLayerId(nal) !== 0) continue;
    const tidPlus1 = nal[1]! & 0x07;
    if (tidPlus1 === 0) continue; // forbidden value: a corrupt header, ignored like ffmpeg does
    const tid = tidPlus1 - 1;
    if (pictureType < 0) {
      pictureType = type;
      temporalId = tid;
    }
    if (!isSubLayerNonReference(type) || (maxTemporalId !== undefined && tid < maxTemporalId)) {
      anyReference = true;
    }
  }

  const hasPicture = pictureType >= 0;
  const irapType = irapTypeOf(pictureType);
  return {
    isIrap: irapType !== null,
    irapType,
    isRasl: pictureType === 8 || pictureType === 9,
    isRadl: pictureType === 6 || pictureType === 7,
    isReference: hasPicture ? anyReference : true,
    hasPicture,
    temporalId,
  };
}

/**
 * TRAIL_N, TSA_N, STSA_N, RADL_N, RASL_N and the reserved RSV_VCL_N10/12/14: even types
 * below 16 (H.265 7.4.2.2).
 */
function isSubLayerNonReference(type: number): boolean {
  return type < 16 && (type & 1) === 0;
}

/** IRAP kind of a NAL type; the reserved IRAP types 22-23 are not treated as IRAP. */
function irapTypeOf(type: number): HevcIrapType | null {
  if (type >= 16 && type <= 18) return 'BLA';
  if (type === 19 || type === 20) return 'IDR';
  if (type === 21) return 'CRA';
  return null;
}
