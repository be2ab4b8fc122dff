/**
 * The few fields of an HEVC sequence parameter set (ITU-T H.265 7.3.2.2) a container without a
 * decoder configuration record must take from the bitstream: the picture size and the number of
 * temporal sub-layers. Parsing stops after the conformance window.
 */
import { HEVC_NAL, hevcNalType } from './hevc.js';
import { RbspReader } from './rbsp.js';

/** What {@link parseHevcSps} reads. */
export interface HevcSps {
  /** sps_max_sub_layers_minus1: the highest TemporalId the stream may use. */
  readonly maxTemporalId: number;
  /** Luma size after the conformance window (what players show). */
  readonly width: number;
  readonly height: number;
}

/** Bits of a profile_tier_level's general (or one sub-layer's) profile fields, level excluded (7.3.3). */
const PROFILE_BITS = 88;

/**
 * Parses an HEVC SPS NAL unit (2-byte header included) as far as its conformance window;
 * `undefined` when it is cut short or is not an SPS.
 */
export function parseHevcSps(nal: Uint8Array): HevcSps | undefined {
  if (nal.length < 3 || hevcNalType(nal) !== HEVC_NAL.sps) return undefined;
  const r = new RbspReader(nal, 2);
  r.readBits(4); // sps_video_parameter_set_id
  const maxSubLayersMinus1 = r.readBits(3);
  r.readBit(); // sps_temporal_id_nesting_flag
  // 7 is forbidden: such an SPS is garbage.
  if (maxSubLayersMinus1 < 0 || maxSubLayersMinus1 > 6 || !skipProfileTierLevel(r, maxSubLayersMinus1)) return undefined;
  if (r.readUe() === undefined) return undefined; // sps_seq_parameter_set_id
  const chromaFormatIdc = r.readUe();
  if (chromaFormatIdc === undefined || chromaFormatIdc > 3) return undefined;
  const separateColourPlane = chromaFormatIdc === 3 && r.readBit() === 1;
  const width = r.readUe();
  const height = r.readUe();
  const window = r.readBit();
  if (width === undefined || height === undefined || window < 0) return undefined;
  const offsets = [0, 0, 0, 0];
  for (let i = 0; window === 1 && i < 4; i++) {
    const offset = r.readUe();
    if (offset === undefined) return undefined;
    offsets[i] = offset;
  }
  const [left, right, top, bottom] = offsets as [number, number, number, number];
  // Window offsets count chroma samples: SubWidthC/SubHeightC luma samples each (Table 6-1).
  const chroma = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidth = chroma === 1 || chroma === 2 ? 2 : 1;
  const subHeight = chroma === 1 ? 2 : 1;
  const cropped = { width: width - subWidth * (left + right), height: height - subHeight * (top + bottom) };
  // Cropping away the whole picture is no picture size: a broken SPS.
  if (cropped.width <= 0 || cropped.height <= 0) return undefined;
  return { maxTemporalId: maxSubLayersMinus1, ...cropped };
}

/** Skips profile_tier_level(1, maxSubLayersMinus1); false when the unit ends inside it. */
function skipProfileTierLevel(r: RbspReader, maxSubLayersMinus1: number): boolean {
  if (!r.skipBits(PROFILE_BITS + 8)) return false; // general profile fields, general_level_idc
  const present: Array<{ profile: boolean; level: boolean }> = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    const profile = r.readBit();
    const level = r.readBit();
    if (profile < 0 || level < 0) return false;
    present.push({ profile: profile === 1, level: level === 1 });
  }
  if (maxSubLayersMinus1 > 0 && !r.skipBits(2 * (8 - maxSubLayersMinus1))) return false; // reserved_zero_2bits
  return present.every(({ profile, level }) => r.skipBits((profile ? PROFILE_BITS : 0) + (level ? 8 : 0)));
}

