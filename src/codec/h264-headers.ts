/**
 * The H.264 syntax a reference-picture analysis needs: the fields of sequence and picture
 * parameter sets and of slice headers that decide which pictures a slice predicts from and
 * how the decoded picture buffer changes (ITU-T H.264 7.3.2.1, 7.3.2.2, 7.3.3).
 *
 * Parsing stops where those fields end; nothing of the macroblock layer is read. Every
 * parser returns `undefined` for a unit it cannot read completely, and for features the
 * analysis does not model (field pictures, slice groups, redundant slices), so that callers
 * fall back to decoding everything rather than trust a half-read header. The SPS is also read
 * through its VUI, for the picture's cropped size and its colour and aspect description.
 */
import { RbspReader } from './rbsp.js';

/** The H.264 NAL unit types (Table 7-1) stillframe looks at. */
export const H264_NAL = { slice: 1, slicePartitionA: 2, idrSlice: 5, sei: 6, sps: 7, pps: 8, aud: 9 } as const;

/** The nal_unit_type of an H.264 NAL unit whose header byte is at `at`: its low five bits. */
export function h264NalType(unit: Uint8Array, at = 0): number {
  return unit[at]! & 0x1f;
}

/** slice_type % 5 (Table 7-6). */
export const H264_SLICE = { p: 0, b: 1, i: 2, sp: 3, si: 4 } as const;

/** The sequence parameter set fields the analysis uses. */
export interface H264Sps {
  readonly id: number;
  readonly chromaArrayType: number;
  readonly log2MaxFrameNum: number;
  readonly picOrderCntType: number;
  /** pic_order_cnt_type 0 only. */
  readonly log2MaxPicOrderCntLsb: number;
  /** pic_order_cnt_type 1 only (the analysis does not model that type; parsed to read on). */
  readonly deltaPicOrderAlwaysZero: boolean;
  readonly maxNumRefFrames: number;
  readonly gapsInFrameNumAllowed: boolean;
  /** frame_mbs_only_flag: every picture is a frame (no field or MBAFF coding). */
  readonly frameMbsOnly: boolean;
  /** The picture's luma size after the frame cropping (what players show); `undefined` when the SPS is cut short before it. */
  readonly size: { readonly width: number; readonly height: number } | undefined;
  /** What the VUI says of the picture; `undefined` where it says nothing (or is cut short). */
  readonly vui: H264Vui | undefined;
}

/** The VUI fields that describe how to show the picture (E.1.1). */
export interface H264Vui {
  /** Sample aspect ratio from aspect_ratio_idc (Table E-1) or sar_width/sar_height; absent when unspecified. */
  readonly sampleAspectRatio: { readonly num: number; readonly den: number } | undefined;
  /** video_full_range_flag. */
  readonly fullRange: boolean;
  /** matrix_coefficients (Table E-5) when colour_description_present_flag is set. */
  readonly matrixCoefficients: number | undefined;
}

/** The picture parameter set fields the analysis uses. */
export interface H264Pps {
  readonly id: number;
  readonly spsId: number;
  readonly bottomFieldPicOrderInFramePresent: boolean;
  readonly numRefIdxL0DefaultActive: number;
  readonly numRefIdxL1DefaultActive: number;
  readonly weightedPred: boolean;
  readonly weightedBipredIdc: number;
  readonly redundantPicCntPresent: boolean;
}

/** One ref_pic_list_modification operation (7.4.3.1). */
export interface ListModification {
  /** modification_of_pic_nums_idc: 0 subtract, 1 add (short-term), 2 long-term. */
  readonly idc: 0 | 1 | 2;
  /** abs_diff_pic_num_minus1 + 1 for idc 0/1; long_term_pic_num for idc 2. */
  readonly value: number;
}

/** One memory_management_control_operation (7.4.3.3). */
export interface MemoryOperation {
  readonly op: number;
  /** difference_of_pic_nums_minus1 + 1, for operations 1 and 3. */
  readonly differenceOfPicNums?: number;
}

/** The slice header fields the analysis uses. */
export interface H264SliceHeader {
  /** slice_type % 5: see {@link H264_SLICE}. */
  readonly sliceType: number;
  readonly ppsId: number;
  readonly frameNum: number;
  readonly isIdr: boolean;
  readonly nalRefIdc: number;
  /** pic_order_cnt_type 0: pic_order_cnt_lsb and delta_pic_order_cnt_bottom. */
  readonly picOrderCntLsb: number;
  readonly deltaPicOrderCntBottom: number;
  /** Active reference list sizes (0 where the slice type has no such list). */
  readonly numRefIdxActive: readonly [number, number];
  readonly modifications: readonly [readonly ListModification[], readonly ListModification[]];
  /** IDR only: long_term_reference_flag. */
  readonly longTermReference: boolean;
  /** adaptive_ref_pic_marking_mode_flag's operations; `undefined` for sliding-window marking. */
  readonly memoryOperations: readonly MemoryOperation[] | undefined;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/**
 * Each parameter-set unit's parse, by the unit itself: the parameter sets of a track's decoder
 * configuration are the same arrays on every decode run, so each is parsed once, not once per
 * run. (In-band units, split afresh from each run's samples, are parsed each time: they are few.)
 */
const parsedSps = new WeakMap<Uint8Array, H264Sps | null>();
const parsedPps = new WeakMap<Uint8Array, H264Pps | null>();

function parsedOnce<T>(cache: WeakMap<Uint8Array, T | null>, nal: Uint8Array, parse: (nal: Uint8Array) => T | undefined): T | undefined {
  let parsed = cache.get(nal);
  if (parsed === undefined) {
    parsed = parse(nal) ?? null;
    cache.set(nal, parsed);
  }
  return parsed ?? undefined;
}

/** Parses an SPS NAL unit (header byte included); the same unit is parsed once. */
export function parseH264Sps(nal: Uint8Array): H264Sps | undefined {
  return parsedOnce(parsedSps, nal, readSps);
}

/** Parses a PPS NAL unit (header byte included); the same unit is parsed once. */
export function parseH264Pps(nal: Uint8Array): H264Pps | undefined {
  return parsedOnce(parsedPps, nal, readPps);
}

function readSps(nal: Uint8Array): H264Sps | undefined {
  const r = new RbspReader(nal, 1);
  const profileIdc = r.readBits(8);
  if (r.readBits(16) < 0) return undefined; // constraint flags, level_idc
  const id = r.readUe();
  if (profileIdc < 0 || id === undefined) return undefined;
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    const format = r.readUe();
    if (format === undefined) return undefined;
    chromaFormatIdc = format;
    if (format === 3) separateColourPlane = r.readBit() === 1;
    if (r.readUe() === undefined || r.readUe() === undefined || r.readBit() < 0) return undefined; // bit depths, bypass
    const scalingMatrixPresent = r.readBit();
    if (scalingMatrixPresent < 0) return undefined;
    if (scalingMatrixPresent === 1 && !skipScalingLists(r, chromaFormatIdc === 3 ? 12 : 8)) return undefined;
  }
  const log2MaxFrameNum = readUeAtMost(r, 12);
  const picOrderCntType = readUeAtMost(r, 2);
  if (log2MaxFrameNum === undefined || picOrderCntType === undefined) return undefined;
  let log2MaxPicOrderCntLsb = 0;
  let deltaPicOrderAlwaysZero = false;
  if (picOrderCntType === 0) {
    const lsb = readUeAtMost(r, 12);
    if (lsb === undefined) return undefined;
    log2MaxPicOrderCntLsb = lsb + 4;
  } else if (picOrderCntType === 1) {
    deltaPicOrderAlwaysZero = r.readBit() === 1;
    if (r.readSe() === undefined || r.readSe() === undefined) return undefined;
    const cycle = readUeAtMost(r, 255);
    if (cycle === undefined) return undefined;
    for (let i = 0; i < cycle; i++) if (r.readSe() === undefined) return undefined;
  }
  const maxNumRefFrames = r.readUe();
  const gaps = r.readBit();
  if (maxNumRefFrames === undefined || gaps < 0) return undefined;
  const widthInMbs = r.readUe();
  const heightInMapUnits = r.readUe();
  const frameMbsOnly = r.readBit();
  if (widthInMbs === undefined || heightInMapUnits === undefined || frameMbsOnly < 0) return undefined;
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const size = readCroppedSize(r, { widthInMbs: widthInMbs + 1, heightInMapUnits: heightInMapUnits + 1, frameMbsOnly: frameMbsOnly === 1, chromaArrayType });
  return {
    id,
    chromaArrayType,
    log2MaxFrameNum: log2MaxFrameNum + 4,
    picOrderCntType,
    log2MaxPicOrderCntLsb,
    deltaPicOrderAlwaysZero,
    maxNumRefFrames,
    gapsInFrameNumAllowed: gaps === 1,
    frameMbsOnly: frameMbsOnly === 1,
    size,
    vui: size && readVui(r),
  };
}

/** The SPS fields the picture size is made of (7.4.2.1.1). */
interface CodedSize {
  readonly widthInMbs: number;
  readonly heightInMapUnits: number;
  readonly frameMbsOnly: boolean;
  readonly chromaArrayType: number;
}

/**
 * Reads the SPS from after frame_mbs_only_flag through the frame cropping, and returns the
 * cropped luma size (7-19, 7-20 and the CropUnitX/CropUnitY of 7.4.2.1.1).
 */
function readCroppedSize(r: RbspReader, coded: CodedSize): { width: number; height: number } | undefined {
  if (!coded.frameMbsOnly && r.readBit() < 0) return undefined; // mb_adaptive_frame_field_flag
  if (r.readBit() < 0) return undefined; // direct_8x8_inference_flag
  const cropping = r.readBit();
  if (cropping < 0) return undefined;
  const crop = [0, 0, 0, 0];
  if (cropping === 1) {
    for (let i = 0; i < 4; i++) {
      const offset = r.readUe();
      if (offset === undefined) return undefined;
      crop[i] = offset;
    }
  }
  const [left, right, top, bottom] = crop as [number, number, number, number];
  // 4:2:0 crops in units of two luma samples both ways, 4:2:2 horizontally only; fields double the vertical unit.
  const unitX = coded.chromaArrayType === 1 || coded.chromaArrayType === 2 ? 2 : 1;
  const unitY = (coded.chromaArrayType === 1 ? 2 : 1) * (coded.frameMbsOnly ? 1 : 2);
  const width = coded.widthInMbs * 16 - unitX * (left + right);
  const height = (coded.frameMbsOnly ? 1 : 2) * coded.heightInMapUnits * 16 - unitY * (top + bottom);
  // Cropping away the whole picture is no picture size: a broken SPS.
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Sample aspect ratios of aspect_ratio_idc 1–16 (Table E-1). */
const ASPECT_RATIOS: ReadonlyArray<readonly [number, number]> = [
  [1, 1], [12, 11], [10, 11], [16, 11], [40, 33], [24, 11], [20, 11], [32, 11],
  [80, 33], [18, 11], [15, 11], [64, 33], [160, 99], [4, 3], [3, 2], [2, 1],
];
/** aspect_ratio_idc of an explicit sar_width:sar_height. */
const EXTENDED_SAR = 255;

/** Reads the SPS from vui_parameters_present_flag through the VUI's colour description. */
function readVui(r: RbspReader): H264Vui | undefined {
  if (r.readBit() !== 1) return undefined; // vui_parameters_present_flag
  let sampleAspectRatio: H264Vui['sampleAspectRatio'];
  const aspectInfo = r.readBit();
  if (aspectInfo < 0) return undefined;
  if (aspectInfo === 1) {
    const idc = r.readBits(8);
    if (idc < 0) return undefined;
    if (idc === EXTENDED_SAR) {
      const num = r.readBits(16);
      const den = r.readBits(16);
      if (num < 0 || den < 0) return undefined;
      if (num > 0 && den > 0) sampleAspectRatio = { num, den };
    } else if (idc >= 1 && idc <= ASPECT_RATIOS.length) {
      const [num, den] = ASPECT_RATIOS[idc - 1]!;
      sampleAspectRatio = { num, den };
    }
  }
  const overscan = r.readBit();
  if (overscan < 0 || (overscan === 1 && r.readBit() < 0)) return undefined;
  const signalType = r.readBit();
  if (signalType < 0) return undefined;
  if (signalType === 0) return { sampleAspectRatio, fullRange: false, matrixCoefficients: undefined };
  if (r.readBits(3) < 0) return undefined; // video_format
  const fullRange = r.readBit();
  const colourDescription = r.readBit();
  if (fullRange < 0 || colourDescription < 0) return undefined;
  let matrixCoefficients: number | undefined;
  if (colourDescription === 1) {
    if (r.readBits(16) < 0) return undefined; // colour_primaries, transfer_characteristics
    matrixCoefficients = r.readBits(8);
    if (matrixCoefficients < 0) return undefined;
  }
  return { sampleAspectRatio, fullRange: fullRange === 1, matrixCoefficients };
}

function readPps(nal: Uint8Array): H264Pps | undefined {
  const r = new RbspReader(nal, 1);
  const id = r.readUe();
  const spsId = r.readUe();
  if (id === undefined || spsId === undefined || r.readBit() < 0) return undefined; // entropy_coding_mode_flag
  const bottomField = r.readBit();
  // Slice groups (FMO) change which macroblocks a slice covers: not modelled.
  if (r.readUe() !== 0) return undefined;
  const l0 = readUeAtMost(r, 31);
  const l1 = readUeAtMost(r, 31);
  const weightedPred = r.readBit();
  const weightedBipredIdc = r.readBits(2);
  if (r.readSe() === undefined || r.readSe() === undefined || r.readSe() === undefined) return undefined; // QP fields
  if (r.readBit() < 0 || r.readBit() < 0) return undefined; // deblocking control, constrained intra
  const redundant = r.readBit();
  if (bottomField < 0 || l0 === undefined || l1 === undefined || weightedPred < 0 || weightedBipredIdc < 0 || redundant < 0) return undefined;
  return {
    id,
    spsId,
    bottomFieldPicOrderInFramePresent: bottomField === 1,
    numRefIdxL0DefaultActive: l0 + 1,
    numRefIdxL1DefaultActive: l1 + 1,
    weightedPred: weightedPred === 1,
    weightedBipredIdc,
    redundantPicCntPresent: redundant === 1,
  };
}

/** Looks up the parameter sets a slice names. */
export interface H264ParameterSets {
  pps(id: number): H264Pps | undefined;
  sps(id: number): H264Sps | undefined;
}

/** Parses a slice NAL unit (type 1 or 5, header byte included) up to its reference marking. */
export function parseH264SliceHeader(nal: Uint8Array, sets: H264ParameterSets): H264SliceHeader | undefined {
  const nalRefIdc = (nal[0]! >> 5) & 3;
  const isIdr = h264NalType(nal) === H264_NAL.idrSlice;
  const r = new RbspReader(nal, 1);
  const firstMb = r.readUe();
  const rawType = readUeAtMost(r, 9);
  const ppsId = r.readUe();
  if (firstMb === undefined || rawType === undefined || ppsId === undefined) return undefined;
  const sliceType = rawType % 5;
  const pps = sets.pps(ppsId);
  const sps = pps && sets.sps(pps.spsId);
  if (!pps || !sps) return undefined;
  if (sps.chromaArrayType === 0 && r.readBits(2) < 0) return undefined; // colour_plane_id (4:4:4 separate planes)
  const frameNum = r.readBits(sps.log2MaxFrameNum);
  if (frameNum < 0 || (isIdr && r.readUe() === undefined)) return undefined; // idr_pic_id
  let picOrderCntLsb = 0;
  let deltaPicOrderCntBottom = 0;
  if (sps.picOrderCntType === 0) {
    picOrderCntLsb = r.readBits(sps.log2MaxPicOrderCntLsb);
    if (picOrderCntLsb < 0) return undefined;
    if (pps.bottomFieldPicOrderInFramePresent) {
      const delta = r.readSe();
      if (delta === undefined) return undefined;
      deltaPicOrderCntBottom = delta;
    }
  } else if (sps.picOrderCntType === 1 && !sps.deltaPicOrderAlwaysZero) {
    if (r.readSe() === undefined) return undefined;
    if (pps.bottomFieldPicOrderInFramePresent && r.readSe() === undefined) return undefined;
  }
  // A redundant slice repeats a primary one with other choices: not modelled.
  if (pps.redundantPicCntPresent && r.readUe() !== 0) return undefined;
  const isB = sliceType === H264_SLICE.b;
  const isPredicted = sliceType === H264_SLICE.p || sliceType === H264_SLICE.sp || isB;
  if (isB && r.readBit() < 0) return undefined; // direct_spatial_mv_pred_flag
  const numRefIdxActive: [number, number] = [isPredicted ? pps.numRefIdxL0DefaultActive : 0, isB ? pps.numRefIdxL1DefaultActive : 0];
  if (isPredicted) {
    const override = r.readBit();
    if (override < 0) return undefined;
    if (override === 1) {
      const l0 = readUeAtMost(r, 31);
      const l1 = isB ? readUeAtMost(r, 31) : 0;
      if (l0 === undefined || l1 === undefined) return undefined;
      numRefIdxActive[0] = l0 + 1;
      if (isB) numRefIdxActive[1] = l1 + 1;
    }
  }
  const l0Modifications = isPredicted ? readListModifications(r) : [];
  const l1Modifications = isB ? readListModifications(r) : [];
  if (!l0Modifications || !l1Modifications) return undefined;
  const weighted = (pps.weightedPred && sliceType !== H264_SLICE.b && isPredicted) || (pps.weightedBipredIdc === 1 && isB);
  if (weighted && !skipPredWeightTable(r, sps.chromaArrayType, numRefIdxActive)) return undefined;
  let longTermReference = false;
  let memoryOperations: MemoryOperation[] | undefined;
  if (nalRefIdc !== 0) {
    if (isIdr) {
      if (r.readBit() < 0) return undefined; // no_output_of_prior_pics_flag
      longTermReference = r.readBit() === 1;
    } else {
      const adaptive = r.readBit();
      if (adaptive < 0) return undefined;
      if (adaptive === 1) {
        memoryOperations = readMemoryOperations(r);
        if (!memoryOperations) return undefined;
      }
    }
  }
  return {
    sliceType,
    ppsId,
    frameNum,
    isIdr,
    nalRefIdc,
    picOrderCntLsb,
    deltaPicOrderCntBottom,
    numRefIdxActive,
    modifications: [l0Modifications, l1Modifications],
    longTermReference,
    memoryOperations,
  };
}

/** ue(v) no greater than `max`, else `undefined` (a value past the syntax's range is garbage). */
function readUeAtMost(r: RbspReader, max: number): number | undefined {
  const value = r.readUe();
  return value !== undefined && value <= max ? value : undefined;
}

function readListModifications(r: RbspReader): ListModification[] | undefined {
  const flag = r.readBit();
  if (flag < 0) return undefined;
  const modifications: ListModification[] = [];
  if (flag === 0) return modifications;
  // 32 entries at most (list size), plus the terminating 3.
  for (let i = 0; i <= 32; i++) {
    const idc = r.readUe();
    if (idc === 3) return modifications;
    if (idc !== 0 && idc !== 1 && idc !== 2) return undefined;
    const value = r.readUe();
    if (value === undefined) return undefined;
    modifications.push({ idc, value: idc === 2 ? value : value + 1 });
  }
  return undefined;
}

function readMemoryOperations(r: RbspReader): MemoryOperation[] | undefined {
  const operations: MemoryOperation[] = [];
  for (let i = 0; i < 66; i++) {
    const op = r.readUe();
    if (op === undefined || op > 6) return undefined;
    if (op === 0) return operations;
    let differenceOfPicNums: number | undefined;
    if (op === 1 || op === 3) {
      const diff = r.readUe();
      if (diff === undefined) return undefined;
      differenceOfPicNums = diff + 1;
    }
    if ((op === 2 || op === 3 || op === 6 || op === 4) && r.readUe() === undefined) return undefined;
    operations.push(differenceOfPicNums === undefined ? { op } : { op, differenceOfPicNums });
  }
  return undefined;
}

/** Skips pred_weight_table() (7.3.3.2); false when the unit ends inside it. */
function skipPredWeightTable(r: RbspReader, chromaArrayType: number, numRefIdxActive: readonly [number, number]): boolean {
  if (r.readUe() === undefined) return false; // luma_log2_weight_denom
  if (chromaArrayType !== 0 && r.readUe() === undefined) return false;
  for (const count of numRefIdxActive) {
    for (let i = 0; i < count; i++) {
      const luma = r.readBit();
      if (luma < 0 || (luma === 1 && (r.readSe() === undefined || r.readSe() === undefined))) return false;
      if (chromaArrayType === 0) continue;
      const chroma = r.readBit();
      if (chroma < 0) return false;
      if (chroma === 1) for (let j = 0; j < 4; j++) if (r.readSe() === undefined) return false;
    }
  }
  return true;
}

/** Skips the scaling_list() structures of an SPS (7.3.2.1.1.1). */
function skipScalingLists(r: RbspReader, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const present = r.readBit();
    if (present < 0) return false;
    if (present === 0) continue;
    const size = i < 6 ? 16 : 64;
    let last = 8;
    let next = 8;
    for (let j = 0; j < size; j++) {
      if (next !== 0) {
        const delta = r.readSe();
        if (delta === undefined) return false;
        next = (last + delta + 256) % 256;
      }
      last = next === 0 ? last : next;
    }
  }
  return true;
}
