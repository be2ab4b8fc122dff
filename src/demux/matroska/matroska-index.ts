/**
 * Indexes the first video track of a Matroska or WebM file into the container-neutral
 * `VideoTrack`: its codec and configuration from `Tracks`, the file's `Tags`, and its samples
 * from the headers of the blocks of its `Cluster`s (the frames themselves are read when a decode
 * needs them). A file with `Cues` (found through the `SeekHead`) becomes a `SegmentedTrack`
 * whose clusters are indexed a cued segment at a time, as queries need them; one without is
 * walked whole. A track with alpha keeps each block's alpha plane with its frame.
 *
 * Matroska stores presentation timestamps, in ticks of the segment's `TimecodeScale`, and blocks
 * in decode order; there are no decode timestamps (`EncodedSample.dts` repeats the presentation
 * time). Clusters of unknown size (live recordings) and laced blocks are read; files whose track
 * content is compressed or encrypted (`ContentEncodings`) are refused.
 */
import { tryParseDecoderConfig, type DecoderConfig } from '../../codec/decoder-config.js';
import { unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';
import { concatColumns, fillMissingDurations, SampleColumnsBuilder, SampleList, type SampleColumns } from '../sample-list.js';
import type { SegmentedTrack, VideoCodec, VideoTrack } from '../video-track.js';
import { mpeg4VopTypes } from '../../codec/mpeg4.js';
import { FLAG_KEYFRAME, readBlockHeader, unpackBlockElement } from './block.js';
import { readCuePoints, readSeekHead, type CuePoint } from './cues.js';
import { childElements, readString, readUint, WindowedReader, type EbmlElement } from './ebml.js';
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

/** ffmpeg's decoders that decode the alpha plane too (its own VP8/VP9 decoders leave it out). */
const ALPHA_DECODERS: Partial<Record<VideoCodec, string>> = { vp8: 'libvpx', vp9: 'libvpx-vp9' };

/** The video track's entry, as `Tracks` gives it. */
interface VideoTrackEntry {
  readonly bytes: Uint8Array;
  readonly number: number;
  readonly codecPrivate: Uint8Array | undefined;
  /** Nanoseconds per frame, when the track says. */
  readonly defaultDurationNs: number | undefined;
  readonly width: number;
  readonly height: number;
  /** The Video element's AlphaMode: blocks may carry an alpha plane in their additions. */
  readonly alphaMode: boolean;
  /** The codec, from the CodecID or (Video-for-Windows style tracks) the FourCC, and how messages name it. */
  readonly codec: VideoCodec;
  readonly codecString: string;
  /**
   * A Video-for-Windows style MPEG-4 Part 2 track: its block times are decode times (as ffmpeg
   * reads them), presentation times only as long as no frame is reordered, so its VOPs are checked.
   */
  readonly scansVops: boolean;
}

/** What precedes the clusters (or the SeekHead points to): all a walk of clusters needs. */
interface SegmentHead {
  readonly source: ByteSource;
  readonly segmentDataStart: number;
  readonly segmentEnd: number;
  readonly timecodeScale: number;
  readonly track: VideoTrackEntry;
  /** The Tags read so far (a walk adds those it meets among the clusters). */
  readonly tags: Map<string, string>;
  /** Where the first Cluster starts (the segment's end when none was found). */
  readonly firstCluster: number;
  /** The video track's cue points, when the file has Cues. */
  readonly cuePoints: readonly CuePoint[];
  /** The track's DefaultDuration in ticks of the TimecodeScale, when it has one. */
  readonly defaultTicks: number | undefined;
  /** The decoder configuration in the track's CodecPrivate (H.264/HEVC), parsed once. */
  readonly config: DecoderConfig | undefined;
}

/**
 * Indexes a Matroska/WebM source by walking every Cluster, whatever its Cues say: the whole
 * track at once (what {@link openMatroska} does without Cues, and what its segments must add up to).
 * Rejects with `unsupported` when it has no usable video track.
 */
export async function indexMatroska(source: ByteSource): Promise<VideoTrack> {
  const head = await readSegmentHead(source);
  return trackOf(head, await indexClusters(head, head.firstCluster, head.segmentEnd, 'whole'));
}


/**
 * Opens a Matroska/WebM source: from its `Cues`, when it has them for the video track, a
 * {@link SegmentedTrack} whose segments run from one cued Cluster to the next, indexed when a
 * query needs them; otherwise (live recordings, files without Cues) the whole track, by walking
 * every Cluster.
 */
export async function openMatroska(source: ByteSource): Promise<VideoTrack | SegmentedTrack> {
  const head = await readSegmentHead(source);
  const segments = cuedSegments(head);
  if (segments.length < 2) return trackOf(head, await indexClusters(head, head.firstCluster, head.segmentEnd, 'whole'));
  const toUs = (ticks: number) => (ticks * head.timecodeScale) / 1000;
  // Every segment indexed is kept (a few bytes a frame, no more than indexing the whole file
  // would hold), so that no window reads a segment's clusters again.
  const indexed = new Map<number, Promise<SampleColumns>>();
  const segmentColumns = (k: number): Promise<SampleColumns> => {
    let columns = indexed.get(k);
    if (!columns) {
      columns = indexClusters(head, segments[k]!.cluster, segments[k + 1]?.cluster ?? head.segmentEnd, 'cued');
      indexed.set(k, columns);
      const attempt = columns;
      // A failure is not kept: the next query tries again.
      attempt.catch(() => {
        if (indexed.get(k) === attempt) indexed.delete(k);
      });
    }
    return columns;
  };
  return {
    segmentStartsUs: segments.map((segment) => toUs(segment.time)),
    async indexSegments(first, last) {
      const parts = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => segmentColumns(first + i)));
      return trackOf(head, concatColumns(parts));
    },
  };
}

/** The track of the samples a walk found (columns it may fill in: their missing durations). */
function trackOf(head: SegmentHead, columns: SampleColumns): VideoTrack {
  if (columns.size.length === 0) throw unsupported('the video track has no frames');
  fillMissingDurations(columns, head.defaultTicks);
  return videoTrack(head, columns);
}

/**
 * The cued Clusters in file order, each with the earliest cue time in it, when the cues are
 * usable: the first at the first Cluster (no frame before it unindexed) and times increasing
 * with position (else a segment's time would not say which frames it holds). Cues past the
 * file's end are left out.
 */
function cuedSegments(head: SegmentHead): CuePoint[] {
  const byCluster = new Map<number, number>();
  for (const { time, cluster } of head.cuePoints) {
    // A cue past the Segment's end (a truncated file) places nothing that can be read.
    if (cluster < head.segmentEnd) byCluster.set(cluster, Math.min(time, byCluster.get(cluster) ?? Infinity));
  }
  const segments = [...byCluster].map(([cluster, time]) => ({ cluster, time })).sort((a, b) => a.cluster - b.cluster);
  const ordered = segments.every((segment, i) => i === 0 || segment.time > segments[i - 1]!.time);
  return ordered && segments[0]?.cluster === head.firstCluster ? segments : [];
}

/** Reads the EBML header and the Segment's elements up to its first Cluster, and what its SeekHead points to beyond. */
async function readSegmentHead(source: ByteSource): Promise<SegmentHead> {
  const reader = new WindowedReader(source);
  const header = await reader.element(0);
  if (!header || header.id !== ELEMENT.ebml || header.size === undefined) throw unsupported('the file is not a Matroska/WebM file');
  const docType = childElements(await reader.payload(header)).find((e) => e.id === ELEMENT.docType);
  const kind = docType ? readString(docType.data) : 'matroska';
  if (kind !== 'matroska' && kind !== 'webm') throw unsupported(`the EBML document type '${kind}' is not Matroska or WebM`);
  const segment = await reader.element(header.dataStart + header.size);
  if (!segment || segment.id !== ELEMENT.segment) throw unsupported('the Matroska file has no Segment');
  const segmentEnd = segment.size === undefined ? source.size : Math.min(source.size, segment.dataStart + segment.size);

  const found = new Map<number, Uint8Array>();
  const tags = new Map<string, string>();
  const take = async (element: EbmlElement) => {
    const payload = await reader.payload(element);
    // Every Tags element counts (a Kinesis Video fragment may have one of its own beside the producer's).
    if (element.id === ELEMENT.tags) addSimpleTags(payload, tags);
    // A copy of Tracks: the decode inputs carry its TrackEntry, which should not hold a whole read window.
    else if (!found.has(element.id)) found.set(element.id, element.id === ELEMENT.tracks ? payload.slice() : payload);
  };
  let seekHead = new Map<number, number>();
  let at = segment.dataStart;
  for (; at < segmentEnd; ) {
    const element = await reader.element(at);
    if (!element || element.id === ELEMENT.cluster || element.size === undefined) break;
    if (element.id === ELEMENT.seekHead) seekHead = readSeekHead(await reader.payload(element), segment.dataStart);
    else if (HEAD_ELEMENTS.has(element.id)) await take(element);
    at = element.dataStart + element.size;
  }
  // What the SeekHead places after the clusters (Cues, Tags, as muxers write them last).
  for (const id of HEAD_ELEMENTS) {
    const position = seekHead.get(id);
    if (found.has(id) || position === undefined || position < at || position >= segmentEnd) continue;
    const element = await reader.element(position);
    // A size running past the Segment is a broken pointer, not a reason to read the rest of the file.
    if (element?.id === id && element.size !== undefined && element.dataStart + element.size <= segmentEnd) await take(element);
  }

  const tracks = found.get(ELEMENT.tracks);
  // Blocks before Tracks cannot be told apart: such a file is not what muxers write.
  if (!tracks) throw unsupported(at < segmentEnd ? 'the Matroska file has clusters before its Tracks' : 'the file has no video track');
  const track = videoTrackEntry(tracks);
  if (!track) throw unsupported('the file has no video track');
  const cues = found.get(ELEMENT.cues);
  const timecodeScale = readTimecodeScale(found.get(ELEMENT.info) ?? new Uint8Array(0));
  return {
    source,
    segmentDataStart: segment.dataStart,
    segmentEnd,
    timecodeScale,
    track,
    tags,
    firstCluster: at,
    cuePoints: cues ? readCuePoints(cues, track.number, segment.dataStart) : [],
    defaultTicks: track.defaultDurationNs === undefined ? undefined : track.defaultDurationNs / timecodeScale,
    config: codecConfig(track.codec, track.codecPrivate),
  };
}

/** The Segment children read before the clusters (or found through the SeekHead). */
const HEAD_ELEMENTS: ReadonlySet<number> = new Set([ELEMENT.info, ELEMENT.tracks, ELEMENT.tags, ELEMENT.cues]);

/**
 * The samples of the Clusters in `[from, to)`, read block header by block header, durations as
 * the blocks give them (0 where they do not). A `'whole'` walk (of every Cluster) adds the Tags it
 * meets to the head's; a `'cued'` walk starts where the Cues place a Cluster, and fails if none is there.
 */
async function indexClusters(head: SegmentHead, from: number, to: number, walk: 'whole' | 'cued'): Promise<SampleColumns> {
  const reader = new WindowedReader(head.source, to);
  const samples = new SampleColumnsBuilder();
  for (let at = from; at < to; ) {
    const element = await reader.element(at);
    if (walk === 'cued' && at === from && element?.id !== ELEMENT.cluster) {
      throw unsupported(`the Matroska file has no Cluster at byte ${from}, where its Cues place one`);
    }
    if (!element) break;
    if (element.id === ELEMENT.cluster) {
      at = await readCluster(reader, element, head, samples);
      continue;
    }
    // What a GetMedia payload holds: fragment after fragment, each a file of its own. Taking only
    // the first would drop the others without a word.
    if (element.id === ELEMENT.ebml || element.id === ELEMENT.segment) {
      throw unsupported('the Matroska file holds more than one Segment (several Kinesis Video fragments in one payload?): give each fragment on its own');
    }
    if (element.id === ELEMENT.tags && walk === 'whole' && element.size !== undefined) addSimpleTags(await reader.payload(element), head.tags);
    if (element.size === undefined) break; // an unknown-size element other than a Cluster: nothing after it can be found
    at = element.dataStart + element.size;
  }
  return samples.build();
}

/**
 * Adds the SimpleTags of a Tags, Tag or SimpleTag payload (nested ones too) to `tags`, keeping
 * the first of each name.
 */
function addSimpleTags(payload: Uint8Array, tags: Map<string, string>): void {
  for (const element of childElements(payload)) {
    if (element.id === ELEMENT.simpleTag) {
      const fields = childElements(element.data);
      const name = fields.find((field) => field.id === ELEMENT.tagName);
      const value = fields.find((field) => field.id === ELEMENT.tagString);
      if (name && value && !tags.has(readString(name.data))) tags.set(readString(name.data), readString(value.data));
    }
    if (element.id === ELEMENT.tag || element.id === ELEMENT.simpleTag) addSimpleTags(element.data, tags);
  }
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
    const codecId = readString(field(ELEMENT.codecId) ?? new Uint8Array(0));
    const codecPrivate = field(ELEMENT.codecPrivate);
    const codecOf = trackCodec(codecId, codecPrivate);
    return {
      bytes: entry.bytes,
      number: number ? readUint(number) : 1,
      codecPrivate,
      ...codecOf,
      scansVops: codecId === VFW_CODEC_ID && codecOf.codec === 'mpeg4',
      defaultDurationNs: duration ? readUint(duration) : undefined,
      width: readUint(videoField(ELEMENT.pixelWidth) ?? new Uint8Array(0)),
      height: readUint(videoField(ELEMENT.pixelHeight) ?? new Uint8Array(0)),
      alphaMode: readUint(videoField(ELEMENT.alphaMode) ?? new Uint8Array(0)) === 1,
    };
  }
  return undefined;
}

/**
 * Reads the block headers of one Cluster, adding the video track's frames to `samples`.
 * Returns where the next top-level element starts.
 */
async function readCluster(
  reader: WindowedReader,
  cluster: EbmlElement,
  head: SegmentHead,
  samples: SampleColumnsBuilder,
): Promise<number> {
  const end = cluster.size === undefined ? head.segmentEnd : cluster.dataStart + cluster.size;
  let timecode = 0;
  let at = cluster.dataStart;
  while (at < end) {
    const element = await reader.element(at);
    // In a cluster of unknown size, the next top-level element ends it.
    if (!element || (cluster.size === undefined && SEGMENT_CHILDREN.has(element.id))) return at;
    if (element.size === undefined) return end;
    const elementEnd = element.dataStart + element.size;
    if (element.id === ELEMENT.timecode) {
      timecode = readUint(await reader.payload(element));
    } else if (element.id === ELEMENT.simpleBlock) {
      // A VFW track's whole block: a packed bitstream hides a B-VOP after its first VOP.
      const blockHead = await reader.bytes(element.dataStart, head.track.scansVops ? element.size : Math.min(element.size, 4096));
      addFrames(samples, head, { head: blockHead, offset: element.dataStart, size: element.size, clusterTimecode: timecode, element: [element.start, elementEnd] }, undefined, undefined);
    } else if (element.id === ELEMENT.blockGroup) {
      const payload = await reader.payload(element);
      const group = childElements(payload);
      const block = group.find((e) => e.id === ELEMENT.block);
      if (block) {
        const duration = group.find((e) => e.id === ELEMENT.blockDuration);
        // A Block without ReferenceBlock references nothing: a key frame.
        const key = !group.some((e) => e.id === ELEMENT.referenceBlock);
        const offset = element.dataStart + (block.data.byteOffset - payload.byteOffset);
        const blockAt = { head: block.data, offset, size: block.data.length, clusterTimecode: timecode, element: [element.start, elementEnd] as const };
        addFrames(samples, head, blockAt, key, duration ? readUint(duration.data) : undefined);
      }
    }
    at = elementEnd;
  }
  return end;
}

/** A (Simple)Block: its first bytes, where its payload starts in the file and its size, its cluster's timecode, and the whole element's range. */
interface BlockAt {
  readonly head: Uint8Array;
  readonly offset: number;
  readonly size: number;
  readonly clusterTimecode: number;
  readonly element: readonly [start: number, end: number];
}

/**
 * Adds the frames of one block if it belongs to the video track: one frame, or several when
 * laced (Xiph, fixed-size or EBML lacing), the later ones `defaultTicks` apart. `key`: what the
 * BlockGroup says; a SimpleBlock says it in its flags. A track with alpha stores the whole block
 * element as its sample, so that the alpha plane in the BlockGroup's additions comes with it.
 */
function addFrames(
  samples: SampleColumnsBuilder,
  { track, defaultTicks }: SegmentHead,
  { head, offset, size, clusterTimecode, element }: BlockAt,
  key: boolean | undefined,
  durationTicks: number | undefined,
): void {
  const header = readBlockHeader(head, size);
  if (!header || header.trackNumber !== track.number) return;
  const isKey = key ?? (header.flags & FLAG_KEYFRAME) !== 0;
  const pts = clusterTimecode + header.relativeTimecode;
  if (track.scansVops && mpeg4VopTypes(head.subarray(header.headerBytes)).includes('B')) {
    throw unsupported(`a ${VFW_CODEC_ID} track with B-frames: its block times are decode times, and the frames' presentation times are not known`);
  }
  if (track.alphaMode) {
    if (header.frameSizes.length !== 1) throw unsupported('a laced block in a video track with alpha');
    samples.add(pts, pts, durationTicks ?? 0, element[0], element[1] - element[0], isKey);
    return;
  }
  let frameOffset = offset + header.headerBytes;
  header.frameSizes.forEach((frameSize, i) => {
    const time = pts + i * (defaultTicks ?? 0);
    samples.add(time, time, durationTicks ?? 0, frameOffset, frameSize, isKey && i === 0);
    frameOffset += frameSize;
  });
}

/** The decoder configuration of an H.264/HEVC track's CodecPrivate, when it is one. */
function codecConfig(codec: VideoCodec, codecPrivate: Uint8Array | undefined): DecoderConfig | undefined {
  if (!codecPrivate || (codec !== 'h264' && codec !== 'hevc')) return undefined;
  return tryParseDecoderConfig(codec === 'h264' ? 'avcC' : 'hvcC', codecPrivate);
}

/** The CodecID of a track stored Video-for-Windows style: its CodecPrivate is a BITMAPINFOHEADER naming the codec by FourCC. */
const VFW_CODEC_ID = 'V_MS/VFW/FOURCC';

/** The FourCCs (biCompression) of VFW tracks the engine decodes: MPEG-4 Part 2 encoders' (XviD, DivX remuxes) and Motion JPEG's. */
const VFW_FOURCCS: Readonly<Record<string, VideoCodec>> = { XVID: 'mpeg4', DIVX: 'mpeg4', DX50: 'mpeg4', FMP4: 'mpeg4', MP4V: 'mpeg4', MJPG: 'mjpeg' };

/** Bytes of a BITMAPINFOHEADER, and where its biCompression FourCC lies. */
const BITMAPINFOHEADER_BYTES = 40;
const BITMAPINFOHEADER_COMPRESSION = 16;

/** A track's codec, from its CodecID or, for a VFW track, its FourCC; and how messages name it. */
function trackCodec(codecId: string, codecPrivate: Uint8Array | undefined): { codec: VideoCodec; codecString: string } {
  if (codecId !== VFW_CODEC_ID) return { codec: CODECS[codecId] ?? 'unknown', codecString: codecId };
  if (!codecPrivate || codecPrivate.length < BITMAPINFOHEADER_BYTES) return { codec: 'unknown', codecString: codecId };
  const fourcc = String.fromCharCode(...codecPrivate.subarray(BITMAPINFOHEADER_COMPRESSION, BITMAPINFOHEADER_COMPRESSION + 4));
  return { codec: VFW_FOURCCS[fourcc.toUpperCase()] ?? 'unknown', codecString: `${codecId} (${fourcc})` };
}

function videoTrack({ track, timecodeScale, config, tags }: SegmentHead, columns: SampleColumns): VideoTrack {
  const { codec, codecString } = track;
  const header = { timecodeScale, trackEntry: track.bytes, trackNumber: track.number };
  return {
    codec,
    codecString,
    timescale: 1e9 / timecodeScale,
    codedWidth: track.width,
    codedHeight: track.height,
    rotation: 0,
    samples: new SampleList(columns),
    edits: [],
    nalLengthSize: config?.lengthSize ?? 4,
    parameterSets: config?.parameterSets ?? [],
    ...(codec === 'hevc' ? { maxTemporalId: config?.maxTemporalId } : {}),
    // No decoderConfigRecord: Matroska's Colour and display-size elements are not read here, so
    // WebCodecs, which would need them to match ffmpeg, stays out of Matroska tracks.
    containerDescribes: undefined,
    tags,
    ...(track.alphaMode ? { unpackSample: unpackBlockElement } : {}),
    buildDecodeInput(withData, targets) {
      const bytes = writeDecodeMatroska(
        header,
        withData.map(({ sample, data, alphaData }, i) => ({ pts: sample.cts, data, alphaData, keyframe: i === 0 })),
      );
      const decoder = withData.some((item) => item.alphaData) ? ALPHA_DECODERS[codec] : undefined;
      return { fileName: 'input.mkv', bytes, targetPts: targets.map((target) => target.cts), ...(decoder ? { decoder } : {}) };
    },
  };
}
