/**
 * Writes the smallest Matroska file the decode engine needs: one video track holding only the
 * samples of a decode plan. The source's TrackEntry is copied verbatim (so CodecID,
 * CodecPrivate, colour, alpha mode… reach ffmpeg unchanged) and every block
 * keeps its source timestamp, so the target frame is found by its presentation timestamp, not by
 * counting decoder output. Pure TypeScript, no Node APIs: it runs in browsers and workerd too.
 */
import { invalidArgument } from '../../errors.js';
import { FLAG_KEYFRAME } from './block.js';
import { childElements, readUint } from './ebml.js';
import { ELEMENT } from './element-ids.js';

/** What the decode input copies from the source file. */
export interface MatroskaTrackHeader {
  /** The source's TimecodeScale (nanoseconds per tick), default 1_000_000. */
  readonly timecodeScale: number;
  /**
   * The whole TrackEntry element of the video track (ID 0xAE, its size and its payload) exactly
   * as in the source file: CodecID, CodecPrivate, Video (with Colour, alpha mode…) carried over
   * verbatim.
   */
  readonly trackEntry: Uint8Array;
  /** The TrackNumber that entry declares (blocks must carry it). */
  readonly trackNumber: number;
}

/**
 * A sample to write: its bytes and its presentation time in ticks of the TimecodeScale
 * (absolute, as in the source), in decode order, the first being a keyframe.
 *
 * `data` is the frame as stored in the source block. (Tracks whose TrackEntry declares a
 * ContentEncoding are refused by the index, so no stored frame needs undoing.)
 */
export interface MatroskaSample {
  readonly pts: number;
  readonly data: Uint8Array;
  /** The frame's alpha plane, written as the block's `BlockAdditional` 1 (in a BlockGroup). */
  readonly alphaData?: Uint8Array | undefined;
  readonly keyframe: boolean;
}

/** The range of a SimpleBlock's timestamp relative to its Cluster (a signed 16-bit integer). */
const REL_MIN = -32768;
const REL_MAX = 32767;

const APP_NAME = 'stillframe';

/** Bytes of an element ID: IDs are written with their length marker, so their value says it. */
function idLength(id: number): number {
  return id < 0x100 ? 1 : id < 0x10000 ? 2 : id < 0x1000000 ? 3 : 4;
}

/**
 * Bytes of the shortest vint holding `value`. An n-byte vint has 7n value bits, but its all-ones
 * value is reserved ("unknown size"), so it holds at most 2^(7n) - 2; 8 bytes hold every safe
 * integer.
 */
function vintLength(value: number): number {
  let length = 1;
  while (length < 8 && value > 2 ** (7 * length) - 2) length++;
  return length;
}

/** Bytes of a minimal big-endian two's complement payload. */
function intLength(value: number): number {
  let length = 1;
  while (length < 8 && (value < -(2 ** (8 * length - 1)) || value >= 2 ** (8 * length - 1))) length++;
  return length;
}

/** Bytes of a minimal big-endian unsigned integer payload (at least one, as EBML wants). */
function uintLength(value: number): number {
  let length = 1;
  while (length < 8 && value >= 2 ** (8 * length)) length++;
  return length;
}

/** Writes into one preallocated buffer, so frames are copied once, straight to their place. */
class EbmlWriter {
  private at = 0;

  constructor(readonly out: Uint8Array) {}

  get position(): number {
    return this.at;
  }

  /** Big-endian `value` over `length` bytes; division, not shifts, keeps values above 2^32 exact. */
  private bigEndian(value: number, length: number): void {
    let rest = value;
    for (let i = length - 1; i >= 0; i--) {
      this.out[this.at + i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    this.at += length;
  }

  id(id: number): void {
    this.bigEndian(id, idLength(id));
  }

  vint(value: number, length = vintLength(value)): void {
    const start = this.at;
    this.bigEndian(value, length);
    // The length marker: a 1 bit after `length - 1` zero bits, in bits the value leaves free.
    this.out[start]! |= 0x80 >> (length - 1);
  }

  /** An element header for a payload of `size` bytes. */
  header(id: number, size: number): void {
    this.id(id);
    this.vint(size);
  }

  intElement(id: number, value: number): void {
    const length = intLength(value);
    this.header(id, length);
    // Two's complement over `length` bytes: a negative value is written as 2^(8·length) + value.
    this.bigEndian(value < 0 ? 2 ** (8 * length) + value : value, length);
  }

  uintElement(id: number, value: number): void {
    const length = uintLength(value);
    this.header(id, length);
    this.bigEndian(value, length);
  }

  stringElement(id: number, text: string): void {
    this.header(id, text.length);
    for (let i = 0; i < text.length; i++) this.out[this.at + i] = text.charCodeAt(i);
    this.at += text.length;
  }

  i16(value: number): void {
    this.out[this.at] = (value >> 8) & 0xff;
    this.out[this.at + 1] = value & 0xff;
    this.at += 2;
  }

  u8(value: number): void {
    this.out[this.at++] = value;
  }

  bytes(data: Uint8Array): void {
    this.out.set(data, this.at);
    this.at += data.length;
  }
}

/** Total bytes of an element whose payload is `size` bytes. */
function elementSize(id: number, size: number): number {
  return idLength(id) + vintLength(size) + size;
}

function uintElementSize(id: number, value: number): number {
  return elementSize(id, uintLength(value));
}

/** A run of consecutive samples sharing one Cluster, and the Cluster's timecode. */
interface ClusterPlan {
  readonly timecode: number;
  readonly blocks: readonly BlockLayout[];
  /** Payload bytes: the Timecode element and the blocks. */
  readonly size: number;
}

/** Payload bytes of the block (track number, timestamp, flags, frame). */
function blockSize(trackNumber: number, sample: MatroskaSample): number {
  return vintLength(trackNumber) + 2 + 1 + sample.data.length;
}

/**
 * How a sample is written: a SimpleBlock, or, when it has an alpha plane, a BlockGroup holding
 * the Block, a ReferenceBlock unless it is the key frame (a BlockGroup says "key" by having
 * none), and the alpha plane as BlockAdditional 1.
 */
interface BlockLayout {
  readonly sample: MatroskaSample;
  /** The ReferenceBlock's value: the previous block's time, relative to this one. */
  readonly reference: number | undefined;
  /** Payload bytes of the BlockGroup, its BlockAdditions and its BlockMore; undefined for a SimpleBlock. */
  readonly group: { readonly payload: number; readonly additions: number; readonly more: number } | undefined;
  /** Bytes of the whole element. */
  readonly size: number;
}

function blockLayout(trackNumber: number, sample: MatroskaSample, previous: MatroskaSample | undefined): BlockLayout {
  const block = blockSize(trackNumber, sample);
  if (!sample.alphaData) return { sample, reference: undefined, group: undefined, size: elementSize(ELEMENT.simpleBlock, block) };
  const reference = sample.keyframe || !previous ? undefined : previous.pts - sample.pts;
  const more = uintElementSize(ELEMENT.blockAddId, 1) + elementSize(ELEMENT.blockAdditional, sample.alphaData.length);
  const additions = elementSize(ELEMENT.blockMore, more);
  const payload =
    elementSize(ELEMENT.block, block) +
    (reference === undefined ? 0 : elementSize(ELEMENT.referenceBlock, intLength(reference))) +
    elementSize(ELEMENT.blockAdditions, additions);
  return { sample, reference, group: { payload, additions, more }, size: elementSize(ELEMENT.blockGroup, payload) };
}

/** Writes a sample as its layout says. */
function writeBlock(w: EbmlWriter, trackNumber: number, clusterTimecode: number, { sample, reference, group }: BlockLayout): void {
  const writeBlockPayload = (flags: number) => {
    w.vint(trackNumber);
    w.i16(sample.pts - clusterTimecode);
    w.u8(flags);
    w.bytes(sample.data);
  };
  const block = blockSize(trackNumber, sample);
  if (!group) {
    w.header(ELEMENT.simpleBlock, block);
    writeBlockPayload(sample.keyframe ? FLAG_KEYFRAME : 0);
    return;
  }
  w.header(ELEMENT.blockGroup, group.payload);
  w.header(ELEMENT.block, block);
  writeBlockPayload(0);
  if (reference !== undefined) w.intElement(ELEMENT.referenceBlock, reference);
  w.header(ELEMENT.blockAdditions, group.additions);
  w.header(ELEMENT.blockMore, group.more);
  w.uintElement(ELEMENT.blockAddId, 1);
  w.header(ELEMENT.blockAdditional, sample.alphaData!.length);
  w.bytes(sample.alphaData!);
}

/**
 * Splits the samples, in decode order, into Clusters whose block times all fit the int16 offset
 * from the Cluster timecode. A Cluster takes samples while some timecode `T >= 0` (Cluster
 * timecodes are unsigned) has every `pts - T` in [-32768, 32767]: B-frames stored in decode
 * order may step back in time, so the whole range is checked, not just the next sample against
 * the first. `T` is the first sample's pts when it fits (the usual layout: the keyframe at
 * offset 0), otherwise the nearest timecode that does.
 */
function planClusters(trackNumber: number, samples: readonly MatroskaSample[]): ClusterPlan[] {
  const layouts = samples.map((sample, i) => blockLayout(trackNumber, sample, samples[i - 1]));
  const plans: ClusterPlan[] = [];
  let start = 0;
  while (start < samples.length) {
    let min = samples[start]!.pts;
    let max = min;
    let end = start + 1;
    for (; end < samples.length; end++) {
      const pts = samples[end]!.pts;
      const nextMin = Math.min(min, pts);
      const nextMax = Math.max(max, pts);
      if (Math.max(0, nextMax - REL_MAX) > nextMin - REL_MIN) break;
      min = nextMin;
      max = nextMax;
    }
    const lowest = Math.max(0, max - REL_MAX);
    const highest = min - REL_MIN;
    const timecode = Math.min(highest, Math.max(lowest, samples[start]!.pts));
    const blocks = layouts.slice(start, end);
    const size = blocks.reduce((sum, block) => sum + block.size, uintElementSize(ELEMENT.timecode, timecode));
    plans.push({ timecode, blocks, size });
    start = end;
  }
  return plans;
}

/**
 * Checks that `entry` is one whole TrackEntry declaring `trackNumber`. A cut or mismatched copy
 * would otherwise make a file ffmpeg rejects or, worse, one whose blocks it silently drops as
 * belonging to no track.
 */
function checkTrackEntry(entry: Uint8Array, trackNumber: number): void {
  const [whole, ...rest] = childElements(entry);
  if (!whole || whole.id !== ELEMENT.trackEntry || whole.bytes.length !== entry.length || rest.length > 0) {
    throw invalidArgument('writeDecodeMatroska: trackEntry is not one complete TrackEntry element (0xAE)');
  }
  const number = childElements(whole.data).find((child) => child.id === ELEMENT.trackNumber);
  const declared = number ? readUint(number.data) : undefined;
  if (declared !== trackNumber) {
    throw invalidArgument(`writeDecodeMatroska: trackNumber ${trackNumber} differs from the TrackEntry's TrackNumber ${declared ?? '(none)'}`);
  }
}

/**
 * Builds a minimal Matroska file: an EBML header (DocType "matroska"), then one Segment of known
 * size holding Info (TimecodeScale, MuxingApp, WritingApp), Tracks (the copied TrackEntry) and
 * Clusters of SimpleBlocks, one block per sample in the given (decode) order. ffmpeg demuxes
 * every block with pts equal to the sample's `pts`, in the stream time base TimecodeScale ns
 * (as for the source, a CodecDelay or TrackTimecodeScale in the copied entry applies alike).
 *
 * No SeekHead, Cues or Duration: the engine reads the file front to back and never seeks in it.
 * Only the keyframe flag is kept of the source block flags; lacing is never used. A sample with
 * an alpha plane is written as a BlockGroup carrying it as BlockAdditional 1.
 */
export function writeDecodeMatroska(header: MatroskaTrackHeader, samples: readonly MatroskaSample[]): Uint8Array {
  if (samples.length === 0) throw invalidArgument('writeDecodeMatroska needs at least one sample');
  const { timecodeScale, trackEntry, trackNumber } = header;
  if (!Number.isSafeInteger(timecodeScale) || timecodeScale <= 0) throw new RangeError(`writeDecodeMatroska: bad timecodeScale ${timecodeScale}`);
  if (!Number.isSafeInteger(trackNumber) || trackNumber <= 0) throw new RangeError(`writeDecodeMatroska: bad trackNumber ${trackNumber}`);
  checkTrackEntry(trackEntry, trackNumber);
  for (const { pts } of samples) {
    // Cluster timecodes are unsigned and ffmpeg drops the pts of blocks before 0, so a
    // negative time cannot be written so that it reads back equal.
    if (!Number.isSafeInteger(pts) || pts < 0) throw new RangeError(`writeDecodeMatroska: pts ${pts} is not a non-negative integer`);
  }

  const ebmlPayload =
    uintElementSize(ELEMENT.ebmlVersion, 1) +
    uintElementSize(ELEMENT.ebmlReadVersion, 1) +
    uintElementSize(ELEMENT.ebmlMaxIdLength, 4) +
    uintElementSize(ELEMENT.ebmlMaxSizeLength, 8) +
    elementSize(ELEMENT.docType, 'matroska'.length) +
    uintElementSize(ELEMENT.docTypeVersion, 4) +
    uintElementSize(ELEMENT.docTypeReadVersion, 2);
  const infoPayload =
    uintElementSize(ELEMENT.timecodeScale, timecodeScale) + elementSize(ELEMENT.muxingApp, APP_NAME.length) + elementSize(ELEMENT.writingApp, APP_NAME.length);
  const clusters = planClusters(trackNumber, samples);
  const segmentPayload =
    elementSize(ELEMENT.info, infoPayload) +
    elementSize(ELEMENT.tracks, trackEntry.length) +
    clusters.reduce((sum, cluster) => sum + elementSize(ELEMENT.cluster, cluster.size), 0);
  const total = elementSize(ELEMENT.ebml, ebmlPayload) + elementSize(ELEMENT.segment, segmentPayload);

  const w = new EbmlWriter(new Uint8Array(total));
  w.header(ELEMENT.ebml, ebmlPayload);
  w.uintElement(ELEMENT.ebmlVersion, 1);
  w.uintElement(ELEMENT.ebmlReadVersion, 1);
  w.uintElement(ELEMENT.ebmlMaxIdLength, 4);
  w.uintElement(ELEMENT.ebmlMaxSizeLength, 8);
  w.stringElement(ELEMENT.docType, 'matroska');
  // Version 4 is what the copied TrackEntry may need (e.g. Colour, BlockAdditionMapping);
  // SimpleBlock only needs 2 to read.
  w.uintElement(ELEMENT.docTypeVersion, 4);
  w.uintElement(ELEMENT.docTypeReadVersion, 2);

  w.header(ELEMENT.segment, segmentPayload);
  w.header(ELEMENT.info, infoPayload);
  w.uintElement(ELEMENT.timecodeScale, timecodeScale);
  w.stringElement(ELEMENT.muxingApp, APP_NAME);
  w.stringElement(ELEMENT.writingApp, APP_NAME);
  w.header(ELEMENT.tracks, trackEntry.length);
  w.bytes(trackEntry);

  for (const cluster of clusters) {
    w.header(ELEMENT.cluster, cluster.size);
    w.uintElement(ELEMENT.timecode, cluster.timecode);
    for (const block of cluster.blocks) writeBlock(w, trackNumber, cluster.timecode, block);
  }
  // Every size above was computed before writing; a mismatch here is a bug in this file.
  if (w.position !== total) throw invalidArgument(`writeDecodeMatroska: wrote ${w.position} bytes, planned ${total}`);
  return w.out;
}
