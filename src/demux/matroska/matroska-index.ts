/**
 * Indexes the first video track of a Matroska or WebM file into the container-neutral
 * `VideoTrack`: its codec and configuration from `Tracks`, its samples from the blocks of every
 * `Cluster` (block headers only; the frames themselves are read when a decode needs them).
 *
 * Matroska stores presentation timestamps, in ticks of the segment's `TimecodeScale`, and blocks
 * in decode order; there are no decode timestamps (`EncodedSample.dts` repeats the presentation
 * time). Clusters of unknown size (live recordings) and laced blocks are read; files whose track
 * content is compressed or encrypted (`ContentEncodings`) are refused.
 */
import { tryParseDecoderConfig, type DecoderConfig } from '../../codec/decoder-config.js';
import { ioError, unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';
import { columnsFromRecords, SampleList, type SampleRecord } from '../sample-list.js';
import type { VideoCodec, VideoTrack } from '../video-track.js';
import { childElements, readString, readUint, readVint, WindowedReader, type EbmlElement } from './ebml.js';
import { ELEMENT } from './element-ids.js';
import { writeDecodeMatroska } from './matroska-writer.js';

/** Top-level children of a Segment: where a Cluster of unknown size ends. */
const SEGMENT_CHILDREN = new Set<number>([ELEMENT.seekHead, ELEMENT.info, ELEMENT.tracks, ELEMENT.cluster, ELEMENT.cues, ELEMENT.chapters, ELEMENT.tags, ELEMENT.attachments]);

const TRACK_TYPE_VIDEO = 1;
const DEFAULT_TIMECODE_SCALE = 1_000_000;

const CODECS: Record<string, VideoCodec> = {
  V_VP8: 'vp8',
  V_VP9: 'vp9',
  V_AV1: 'av1',
  'V_MPEG4/ISO/AVC': 'h264',
  'V_MPEGH/ISO/HEVC': 'hevc',
  V_MJPEG: 'mjpeg',
  'V_MPEG4/ISO/ASP': 'mpeg4',
  'V_MPEG4/ISO/SP': 'mpeg4',
  'V_MPEG4/ISO/AP': 'mpeg4',
  V_PRORES: 'prores',
};

/** The video track's entry, as `Tracks` gives it. */
interface VideoTrackEntry {
  readonly bytes: Uint8Array;
  readonly number: number;
  readonly codecId: string;
  readonly codecPrivate: Uint8Array | undefined;
  /** Nanoseconds per frame, when the track says. */
  readonly defaultDurationNs: number | undefined;
  readonly width: number;
  readonly height: number;
}

/** Indexes a Matroska/WebM source. Rejects with `unsupported` when it has no usable video track. */
export async function indexMatroska(source: ByteSource): Promise<VideoTrack> {
  const reader = new WindowedReader(source);
  const header = await reader.element(0);
  if (!header || header.id !== ELEMENT.ebml || header.size === undefined) throw unsupported('the file is not a Matroska/WebM file');
  const docType = childElements(await reader.payload(header)).find((e) => e.id === ELEMENT.docType);
  const kind = docType ? readString(docType.data) : 'matroska';
  if (kind !== 'matroska' && kind !== 'webm') throw unsupported(`the EBML document type '${kind}' is not Matroska or WebM`);
  const segment = await reader.element(header.dataStart + header.size);
  if (!segment || segment.id !== ELEMENT.segment) throw unsupported('the Matroska file has no Segment');
  const segmentEnd = segment.size === undefined ? source.size : Math.min(source.size, segment.dataStart + segment.size);

  let timecodeScale = DEFAULT_TIMECODE_SCALE;
  let track: VideoTrackEntry | undefined;
  const records: SampleRecord[] = [];
  for (let at = segment.dataStart; at < segmentEnd; ) {
    const element = await reader.element(at);
    if (!element) break;
    if (element.id === ELEMENT.info) timecodeScale = readTimecodeScale(await reader.payload(element));
    else if (element.id === ELEMENT.tracks && !track) {
      // A copy: the entry's bytes outlive the read window (the decode inputs carry them).
      track = videoTrackEntry((await reader.payload(element)).slice());
      if (!track) throw unsupported('the file has no video track');
    }
    if (element.id === ELEMENT.cluster) {
      // Blocks before Tracks cannot be told apart: such a file is not what muxers write.
      if (!track) throw unsupported('the Matroska file has clusters before its Tracks');
      at = await readCluster(reader, element, track, frameTicks(track, timecodeScale), segmentEnd, records);
      continue;
    }
    if (element.size === undefined) break; // an unknown-size element other than a Cluster: nothing after it can be found
    at = element.dataStart + element.size;
  }
  if (!track) throw unsupported('the file has no video track');
  if (records.length === 0) throw unsupported('the video track has no frames');
  fillDurations(records, frameTicks(track, timecodeScale));
  return videoTrack(track, timecodeScale, records);
}

/** The track's DefaultDuration in ticks of the TimecodeScale, when it has one. */
function frameTicks(track: VideoTrackEntry, timecodeScale: number): number | undefined {
  return track.defaultDurationNs === undefined ? undefined : track.defaultDurationNs / timecodeScale;
}

function readTimecodeScale(info: Uint8Array): number {
  const scale = childElements(info).find((e) => e.id === ELEMENT.timecodeScale);
  const value = scale ? readUint(scale.data) : DEFAULT_TIMECODE_SCALE;
  return value > 0 ? value : DEFAULT_TIMECODE_SCALE;
}

/** The first video TrackEntry of a Tracks payload. */
function videoTrackEntry(tracks: Uint8Array): VideoTrackEntry | undefined {
  for (const entry of childElements(tracks)) {
    if (entry.id !== ELEMENT.trackEntry) continue;
    const fields = childElements(entry.data);
    const field = (id: number) => fields.find((e) => e.id === id)?.data;
    const type = field(ELEMENT.trackType);
    if (!type || readUint(type) !== TRACK_TYPE_VIDEO) continue;
    if (field(ELEMENT.contentEncodings)) throw unsupported('the video track is compressed or encrypted in the container (ContentEncodings)');
    const video = childElements(field(ELEMENT.video) ?? new Uint8Array(0));
    const videoField = (id: number) => video.find((e) => e.id === id)?.data;
    const number = field(ELEMENT.trackNumber);
    const duration = field(ELEMENT.defaultDuration);
    return {
      bytes: entry.bytes,
      number: number ? readUint(number) : 1,
      codecId: readString(field(ELEMENT.codecId) ?? new Uint8Array(0)),
      codecPrivate: field(ELEMENT.codecPrivate),
      defaultDurationNs: duration ? readUint(duration) : undefined,
      width: readUint(videoField(ELEMENT.pixelWidth) ?? new Uint8Array(0)),
      height: readUint(videoField(ELEMENT.pixelHeight) ?? new Uint8Array(0)),
    };
  }
  return undefined;
}

/**
 * Reads the block headers of one Cluster, adding the video track's frames to `records`.
 * Returns where the next top-level element starts.
 */
async function readCluster(
  reader: WindowedReader,
  cluster: EbmlElement,
  track: VideoTrackEntry,
  defaultTicks: number | undefined,
  segmentEnd: number,
  records: SampleRecord[],
): Promise<number> {
  const end = cluster.size === undefined ? segmentEnd : cluster.dataStart + cluster.size;
  let timecode = 0;
  let at = cluster.dataStart;
  while (at < end) {
    const element = await reader.element(at);
    // In a cluster of unknown size, the next top-level element ends it.
    if (!element || (cluster.size === undefined && SEGMENT_CHILDREN.has(element.id))) return at;
    if (element.size === undefined) return end;
    if (element.id === ELEMENT.timecode) {
      timecode = readUint(await reader.payload(element));
    } else if (element.id === ELEMENT.simpleBlock) {
      const head = await reader.bytes(element.dataStart, Math.min(element.size, 4096));
      addFrames(records, track, { head, offset: element.dataStart, size: element.size, clusterTimecode: timecode }, undefined, undefined, defaultTicks);
    } else if (element.id === ELEMENT.blockGroup) {
      const payload = await reader.payload(element);
      const group = childElements(payload);
      const block = group.find((e) => e.id === ELEMENT.block);
      if (block) {
        const duration = group.find((e) => e.id === ELEMENT.blockDuration);
        // A Block without ReferenceBlock references nothing: a key frame.
        const key = !group.some((e) => e.id === ELEMENT.referenceBlock);
        const offset = element.dataStart + (block.data.byteOffset - payload.byteOffset);
        const blockAt = { head: block.data, offset, size: block.data.length, clusterTimecode: timecode };
        addFrames(records, track, blockAt, key, duration ? readUint(duration.data) : undefined, defaultTicks);
      }
    }
    at = element.dataStart + element.size;
  }
  return end;
}

/** A (Simple)Block: its first bytes, where its payload starts in the file and its size, and its cluster's timecode. */
interface BlockAt {
  readonly head: Uint8Array;
  readonly offset: number;
  readonly size: number;
  readonly clusterTimecode: number;
}

/**
 * Adds the frames of one block if it belongs to the video track: one frame, or several when
 * laced (Xiph, fixed-size or EBML lacing), the later ones `defaultTicks` apart. `key`: what the
 * BlockGroup says; a SimpleBlock says it in its flags.
 */
function addFrames(
  records: SampleRecord[],
  track: VideoTrackEntry,
  { head, offset, size, clusterTimecode }: BlockAt,
  key: boolean | undefined,
  durationTicks: number | undefined,
  defaultTicks: number | undefined,
): void {
  const number = readVint(head, 0, false);
  if (!number || number.value !== track.number || head.length < number.length + 3) return;
  const relative = new DataView(head.buffer, head.byteOffset + number.length, 2).getInt16(0);
  const flags = head[number.length + 2]!;
  const isKey = key ?? (flags & 0x80) !== 0;
  const pts = clusterTimecode + relative;
  const frames = laceSizes(head, number.length + 3, size, (flags >> 1) & 3);
  let frameOffset = offset + frames.headerBytes;
  frames.sizes.forEach((frameSize, i) => {
    records.push({
      dts: pts + i * (defaultTicks ?? 0),
      cts: pts + i * (defaultTicks ?? 0),
      duration: durationTicks ?? 0,
      offset: frameOffset,
      size: frameSize,
      isSync: isKey && i === 0,
    });
    frameOffset += frameSize;
  });
}

/** The sizes of the frames of a block with `lacing` (0 none, 1 Xiph, 2 fixed, 3 EBML), and the header bytes before them. */
function laceSizes(head: Uint8Array, at: number, blockSize: number, lacing: number): { headerBytes: number; sizes: number[] } {
  if (lacing === 0) return { headerBytes: at, sizes: [blockSize - at] };
  const count = head[at]! + 1;
  let pos = at + 1;
  const sizes: number[] = [];
  if (lacing === 2) {
    const each = (blockSize - pos) / count;
    if (!Number.isInteger(each)) throw ioError('a fixed-size laced Matroska block does not divide evenly');
    return { headerBytes: pos, sizes: Array(count).fill(each) };
  }
  for (let i = 0; i < count - 1; i++) {
    if (lacing === 1) {
      let laceSize = 0;
      for (let byte = 255; byte === 255; pos++) {
        byte = head[pos]!;
        laceSize += byte;
      }
      sizes.push(laceSize);
    } else {
      const read = readLaceVint(head, pos, i > 0);
      pos += read.length;
      sizes.push(i === 0 ? read.value : sizes[i - 1]! + read.value);
    }
  }
  if (pos > head.length) throw ioError('a laced Matroska block header is cut short');
  const used = sizes.reduce((sum, s) => sum + s, 0);
  sizes.push(blockSize - pos - used);
  if (sizes.some((s) => s < 0)) throw ioError('a laced Matroska block declares more bytes than it holds');
  return { headerBytes: pos, sizes };
}

/** An EBML lace size: unsigned for the first, signed (value minus the middle of its range) for the others. */
function readLaceVint(bytes: Uint8Array, at: number, signed: boolean): { value: number; length: number } {
  const size = readVint(bytes, at, false);
  if (!size) throw ioError('a laced Matroska block has an invalid lace size');
  return { value: signed ? size.value - (2 ** (7 * size.length - 1) - 1) : size.value, length: size.length };
}

/** Frames without a duration get the gap to the next frame in presentation order (the last, the one before it). */
function fillDurations(records: SampleRecord[], defaultTicks: number | undefined): void {
  const order = records.map((_, i) => i).sort((a, b) => records[a]!.cts - records[b]!.cts || a - b);
  order.forEach((index, k) => {
    const record = records[index]!;
    if (record.duration > 0) return;
    const next = order[k + 1];
    const gap = next === undefined ? undefined : records[next]!.cts - record.cts;
    const previous = order[k - 1];
    const fallback = previous === undefined ? 0 : record.cts - records[previous]!.cts;
    records[index] = { ...record, duration: defaultTicks ?? (gap !== undefined && gap > 0 ? gap : fallback) };
  });
}

/** The decoder configuration of an H.264/HEVC track's CodecPrivate, when it is one. */
function codecConfig(codec: VideoCodec, codecPrivate: Uint8Array | undefined): DecoderConfig | undefined {
  if (!codecPrivate || (codec !== 'h264' && codec !== 'hevc')) return undefined;
  return tryParseDecoderConfig(codec === 'h264' ? 'avcC' : 'hvcC', codecPrivate);
}

function videoTrack(track: VideoTrackEntry, timecodeScale: number, records: SampleRecord[]): VideoTrack {
  const codec = CODECS[track.codecId] ?? 'unknown';
  const config = codecConfig(codec, track.codecPrivate);
  const header = { timecodeScale, trackEntry: track.bytes, trackNumber: track.number };
  return {
    codec,
    codecString: track.codecId,
    timescale: 1e9 / timecodeScale,
    codedWidth: track.width,
    codedHeight: track.height,
    rotation: 0,
    samples: new SampleList(columnsFromRecords(records)),
    edits: [],
    nalLengthSize: config?.lengthSize ?? 4,
    parameterSets: config?.parameterSets ?? [],
    ...(codec === 'hevc' ? { maxTemporalId: config?.maxTemporalId } : {}),
    // No decoderConfigRecord: Matroska's Colour and display-size elements are not read here, so
    // WebCodecs, which would need them to match ffmpeg, stays out of Matroska tracks.
    containerDescribes: undefined,
    buildDecodeInput(withData, targets) {
      const bytes = writeDecodeMatroska(
        header,
        withData.map(({ sample, data }, i) => ({ pts: sample.cts, data, keyframe: i === 0 })),
      );
      return { fileName: 'input.mkv', bytes, targetPts: targets.map((target) => target.cts) };
    },
  };
}
