/**
 * Which pictures of an H.264 decode run its targets really depend on, read from slice headers.
 *
 * `nal_ref_idc` only says whether a picture *may* be referenced. Encoders keep reference
 * pictures that later pictures never use: x264's B-pyramid marks the middle B-frame as a
 * reference for its neighbouring B-frames, and with one active reference a P-frame's
 * list modification points past it to the previous P-frame. A P-frame target therefore needs
 * only the I- and P-frames before it, a third of a GOP prefix fewer pictures to decode.
 *
 * The analysis replays the decoded picture buffer twice:
 * 1. as the encoder meant it, every picture decoded: each slice's active reference lists
 *    (initial order, `ref_pic_list_modification`, `num_ref_idx_active`) name the pictures it
 *    predicts from; the targets' transitive references form the set to decode;
 * 2. as ffmpeg will see the reduced run: the left-out reference pictures leave gaps in
 *    `frame_num`, which ffmpeg fills with placeholder frames and sliding-window marking
 *    (h264_field_start; placeholders more than max_num_ref_frames behind are dropped,
 *    ff_h264_execute_ref_pic_marking). Every kept slice must find the very same pictures at
 *    the very same list positions, and every kept picture the same picture order count, or
 *    the reduction is refused.
 * Anything not modelled — field coding, long-term references, B-slices among the kept
 * pictures, SP slices, in-band parameter sets after the entry picture, gaps in the original —
 * refuses the reduction as well (`undefined`): the caller then decodes every reference picture,
 * which is always correct.
 */
import {
  H264_NAL,
  H264_SLICE,
  h264NalType,
  type H264ParameterSets,
  type H264Pps,
  type H264SliceHeader,
  type H264Sps,
  parseH264Pps,
  parseH264SliceHeader,
  parseH264Sps,
} from './h264-headers.js';

/** One picture of the run, as the analysis needs it. */
interface Picture {
  readonly slices: readonly H264SliceHeader[];
  readonly sps: H264Sps;
  /** Some slice is a B slice (references by POC order, not modelled among kept pictures). */
  readonly bidirectional: boolean;
}

/** A short-term reference in the buffer: a run position, or a placeholder for a gap. */
interface Reference {
  readonly picture: number | 'gap';
  readonly frameNum: number;
}

/** Why an analysis gave up; thrown inside this module only. */
class NotModelled extends Error {}

/**
 * The positions in `pictures` that must be decoded for `targets` to come out right: the first
 * picture (an IDR), the targets, and every picture they reference directly or through others.
 * `undefined` when the stream uses anything the analysis does not model, or when leaving
 * pictures out would change what the decoder predicts from.
 *
 * @param pictures the NAL units of each picture of the run, in decode order; the first must be an IDR.
 * @param targets positions of the pictures wanted.
 * @param parameterSets SPS and PPS NAL units from the decoder configuration record.
 */
export function h264PicturesToDecode(
  pictures: readonly (readonly Uint8Array[])[],
  targets: ReadonlySet<number>,
  parameterSets: readonly Uint8Array[],
): Set<number> | undefined {
  try {
    const parsed = parsePictures(pictures, parameterSets);
    const references = replayEveryPicture(parsed);
    const needed = closure(targets, references);
    replayKeptPictures(parsed, needed, references);
    return needed;
  } catch (error) {
    if (error instanceof NotModelled) return undefined;
    throw error;
  }
}

function parsePictures(pictures: readonly (readonly Uint8Array[])[], parameterSets: readonly Uint8Array[]): Picture[] {
  const spsById = new Map<number, H264Sps>();
  const ppsById = new Map<number, H264Pps>();
  const sets: H264ParameterSets = { sps: (id) => spsById.get(id), pps: (id) => ppsById.get(id) };
  const addParameterSet = (nal: Uint8Array) => {
    const type = h264NalType(nal);
    if (type === H264_NAL.sps) spsById.set(...keyed(parseH264Sps(nal)));
    else if (type === H264_NAL.pps) ppsById.set(...keyed(parseH264Pps(nal)));
  };
  parameterSets.forEach(addParameterSet);
  return pictures.map((nals, position) => {
    const slices: H264SliceHeader[] = [];
    for (const nal of nals) {
      if (nal.length === 0) continue;
      const type = h264NalType(nal);
      if (type === H264_NAL.sps || type === H264_NAL.pps) {
        // A parameter set inside a picture that may be left out would be lost to the decoder.
        if (position > 0) throw new NotModelled();
        addParameterSet(nal);
      } else if (type === H264_NAL.slice || type === H264_NAL.idrSlice) {
        slices.push(required(parseH264SliceHeader(nal, sets)));
      } else if (type >= 2 && type <= 4) {
        throw new NotModelled(); // data partitioning
      }
    }
    const first = slices[0];
    if (!first) throw new NotModelled();
    if (slices.some((slice) => slice.sliceType === H264_SLICE.sp || slice.sliceType === H264_SLICE.si)) throw new NotModelled();
    if (position === 0 && !first.isIdr) throw new NotModelled();
    const sps = required(sets.sps(required(sets.pps(first.ppsId)).spsId));
    // Field and MBAFF coding make references per field; POC types 1 and 2 are not replayed.
    if (!sps.frameMbsOnly || sps.picOrderCntType !== 0) throw new NotModelled();
    return { slices, sps, bidirectional: slices.some((slice) => slice.sliceType === H264_SLICE.b) };
  });
}

function keyed<T extends { readonly id: number }>(set: T | undefined): [number, T] {
  const parsed = required(set);
  return [parsed.id, parsed];
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new NotModelled();
  return value;
}

/**
 * The decoded picture buffer (frames, short-term references only) and picture order count
 * state, stepped picture by picture the way ffmpeg's H.264 decoder steps them.
 */
class ReferenceBuffer {
  /** Most recently added first, as ffmpeg's short_ref array. */
  private shortTerm: Reference[] = [];
  private prevFrameNum = 0;
  private prevPocMsb = 0;
  private prevPocLsb = 0;

  /** Starts a picture: IDR reset or, for the reduced run, placeholders for skipped frame_nums. */
  begin(slice: H264SliceHeader, sps: H264Sps, fillGaps: boolean): void {
    if (slice.isIdr) {
      this.shortTerm = [];
      this.prevFrameNum = 0;
      this.prevPocMsb = 0;
      this.prevPocLsb = 0;
      return;
    }
    const maxFrameNum = 2 ** sps.log2MaxFrameNum;
    const isNext = (frameNum: number) => frameNum === this.prevFrameNum || frameNum === (this.prevFrameNum + 1) % maxFrameNum;
    if (isNext(slice.frameNum)) return;
    if (!fillGaps) throw new NotModelled(); // the original run has gaps itself
    let unwrapped = this.prevFrameNum > slice.frameNum ? this.prevFrameNum - maxFrameNum : this.prevFrameNum;
    if (slice.frameNum - unwrapped > sps.maxNumRefFrames) {
      unwrapped = slice.frameNum - sps.maxNumRefFrames - 1;
      this.prevFrameNum = (unwrapped + maxFrameNum) % maxFrameNum;
    }
    while (!isNext(slice.frameNum)) {
      this.prevFrameNum = (this.prevFrameNum + 1) % maxFrameNum;
      this.slideWindow(sps);
      this.shortTerm.unshift({ picture: 'gap', frameNum: this.prevFrameNum });
      this.dropStalePlaceholders(sps, this.prevFrameNum);
    }
  }

  /** Picture order count of a frame and its PicOrderCntMsb (pic_order_cnt_type 0, 8.2.1.1). */
  pictureOrderCount(slice: H264SliceHeader, sps: H264Sps): { poc: number; msb: number } {
    const maxLsb = 2 ** sps.log2MaxPicOrderCntLsb;
    const lsb = slice.picOrderCntLsb;
    let msb = this.prevPocMsb;
    if (lsb < this.prevPocLsb && this.prevPocLsb - lsb >= maxLsb / 2) msb += maxLsb;
    else if (lsb > this.prevPocLsb && lsb - this.prevPocLsb > maxLsb / 2) msb -= maxLsb;
    const top = msb + lsb;
    return { poc: Math.min(top, top + slice.deltaPicOrderCntBottom), msb };
  }

  /**
   * The active list 0 of a P slice: short-term references in descending PicNum order,
   * reordered by the slice's modifications, cut to `num_ref_idx_l0_active`. `undefined` marks
   * a position with no picture.
   */
  listZero(slice: H264SliceHeader, sps: H264Sps): Array<Reference | undefined> {
    const maxFrameNum = 2 ** sps.log2MaxFrameNum;
    const wrap = (frameNum: number) => (frameNum > slice.frameNum ? frameNum - maxFrameNum : frameNum);
    // ffmpeg lists short_ref as it stands (newest first); disagreeing with descending PicNum order is not modelled.
    for (let i = 1; i < this.shortTerm.length; i++) {
      if (wrap(this.shortTerm[i - 1]!.frameNum) < wrap(this.shortTerm[i]!.frameNum)) throw new NotModelled();
    }
    const active = slice.numRefIdxActive[0];
    const list: Array<Reference | undefined> = this.shortTerm.slice(0, active);
    let predicted = slice.frameNum;
    for (const [index, modification] of slice.modifications[0].entries()) {
      // Long-term references, and holes before the position being filled, are not modelled.
      if (modification.idc === 2 || index > list.length) throw new NotModelled();
      predicted = (predicted + (modification.idc === 0 ? -modification.value : modification.value) + maxFrameNum) % maxFrameNum;
      const found = this.findShortTerm(predicted);
      const rest = list.slice(index).filter((reference) => reference !== found);
      list.splice(index, list.length - index, found, ...rest);
      list.length = Math.min(list.length, active);
    }
    while (list.length < active) list.push(undefined);
    return list;
  }

  /** Reference marking after a picture is decoded, then the state the next picture starts from. */
  finish(slice: H264SliceHeader, sps: H264Sps, picture: number, pocMsb: number): void {
    this.prevFrameNum = slice.frameNum;
    if (slice.nalRefIdc === 0) return;
    if (slice.isIdr) {
      if (slice.longTermReference) throw new NotModelled();
    } else if (slice.memoryOperations) {
      for (const operation of slice.memoryOperations) {
        if (operation.op !== 1) throw new NotModelled(); // long-term and reset operations
        const maxFrameNum = 2 ** sps.log2MaxFrameNum;
        const frameNum = (((slice.frameNum - operation.differenceOfPicNums!) % maxFrameNum) + maxFrameNum) % maxFrameNum;
        const found = this.findShortTerm(frameNum);
        this.shortTerm = this.shortTerm.filter((reference) => reference !== found);
      }
    } else {
      this.slideWindow(sps);
    }
    this.shortTerm.unshift({ picture, frameNum: slice.frameNum });
    if (this.shortTerm.length > Math.max(sps.maxNumRefFrames, 1)) throw new NotModelled();
    this.dropStalePlaceholders(sps, slice.frameNum);
    this.prevPocMsb = pocMsb;
    this.prevPocLsb = slice.picOrderCntLsb;
  }

  private findShortTerm(frameNum: number): Reference {
    // ffmpeg searches from the oldest entry.
    for (let i = this.shortTerm.length - 1; i >= 0; i--) {
      if (this.shortTerm[i]!.frameNum === frameNum) return this.shortTerm[i]!;
    }
    throw new NotModelled();
  }

  private slideWindow(sps: H264Sps): void {
    if (this.shortTerm.length > 0 && this.shortTerm.length >= sps.maxNumRefFrames) this.shortTerm.pop();
  }

  /** ffmpeg forgets placeholders of a gap that is not allowed once they are out of reach. */
  private dropStalePlaceholders(sps: H264Sps, currentFrameNum: number): void {
    if (sps.gapsInFrameNumAllowed) return;
    const maxFrameNum = 2 ** sps.log2MaxFrameNum;
    this.shortTerm = this.shortTerm.filter(
      (reference) => reference.picture !== 'gap' || (currentFrameNum - reference.frameNum + maxFrameNum) % maxFrameNum <= sps.maxNumRefFrames,
    );
  }
}

/** What one picture saw when every picture was decoded. */
interface Replayed {
  readonly poc: number;
  /** Per slice, its active list 0 as run positions; `undefined` for B pictures (not modelled). */
  readonly lists: ReadonlyArray<ReadonlyArray<ListEntry>> | undefined;
}

/**
 * Replays the reference marking of the pictures at `positions` (decode order), as a decoder that
 * sees only them would — `fillGaps`: with ffmpeg's placeholders for the frame_num gaps that
 * leaving pictures out makes — and what each saw.
 */
function replay(pictures: readonly Picture[], positions: readonly number[], fillGaps: boolean): Replayed[] {
  const buffer = new ReferenceBuffer();
  return positions.map((position) => {
    const picture = pictures[position]!;
    const first = picture.slices[0]!;
    buffer.begin(first, picture.sps, fillGaps);
    const { poc, msb } = buffer.pictureOrderCount(first, picture.sps);
    const lists = picture.bidirectional ? undefined : picture.slices.map((slice) => listPositions(buffer, slice, picture.sps));
    buffer.finish(first, picture.sps, position, msb);
    return { poc, lists };
  });
}

function replayEveryPicture(pictures: readonly Picture[]): Replayed[] {
  return replay(pictures, pictures.map((_, position) => position), false);
}

/** A list position: the run position of its picture, a gap placeholder, or no picture. */
type ListEntry = number | 'gap' | undefined;

function listPositions(buffer: ReferenceBuffer, slice: H264SliceHeader, sps: H264Sps): ListEntry[] {
  if (slice.sliceType === H264_SLICE.i) return [];
  return buffer.listZero(slice, sps).map((reference) => reference?.picture);
}

/** The targets, the first picture, and everything they reference, transitively. */
function closure(targets: ReadonlySet<number>, replayed: readonly Replayed[]): Set<number> {
  const needed = new Set<number>([0]);
  const pending = [...targets];
  for (let position = pending.pop(); position !== undefined; position = pending.pop()) {
    if (needed.has(position)) continue;
    needed.add(position);
    // B pictures have no replayed lists: their references are not modelled.
    const lists = replayed[position]!.lists;
    if (!lists) throw new NotModelled();
    for (const list of lists) {
      for (const reference of list) if (typeof reference === 'number' && !needed.has(reference)) pending.push(reference);
    }
  }
  return needed;
}

/** Replays only the kept pictures, as ffmpeg will; refuses if any kept slice would see other references. */
function replayKeptPictures(pictures: readonly Picture[], kept: ReadonlySet<number>, replayed: readonly Replayed[]): void {
  const positions = [...kept].sort((a, b) => a - b);
  let lastPoc = -Infinity;
  replay(pictures, positions, true).forEach(({ poc, lists }, k) => {
    const expected = replayed[positions[k]!]!;
    // Without B-slices output order is decode order: the kept run must not reorder.
    if (poc !== expected.poc || poc <= lastPoc) throw new NotModelled();
    lastPoc = poc;
    // Kept pictures are never B pictures (closure refuses them), so both have their lists.
    lists!.forEach((seen, i) => {
      const list = expected.lists![i]!;
      if (seen.length !== list.length || seen.some((reference, j) => reference !== list[j])) throw new NotModelled();
    });
  });
}
