/**
 * Indexes the first video track of an MP4/MOV/fragmented MP4 with mp4box, reading only the
 * boxes that describe the media (`moov`, `moof`), never `mdat`.
 */
import { createFile } from 'mp4box';
import { ioError, unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';
import { allocateColumns, SampleList, setSample, type SampleColumns } from '../sample-list.js';
import type { EditSegment, Rotation, VideoCodec, VideoTrack } from '../video-track.js';
import { readBox, walkTopLevelBoxes, type TopLevelBox } from './box-walker.js';
import { withoutBrokenCodecConfigs } from './codec-config-guard.js';
import { describeSampleEntry } from './sample-entry-config.js';
import { hideSampleTables, readSampleTable } from './sample-table.js';
import { writeDecodeMp4 } from './mp4-writer.js';


// mp4box's box classes are typed loosely for our purpose; these are the fields we read.
interface ParsedBox {
  type: string;
  start: number;
  size: number;
}
interface SampleEntryBox extends ParsedBox {
  width?: number;
  height?: number;
  /** `mp4v`: the elementary stream descriptor, whose objectTypeIndication says what the stream is. */
  esds?: { esd?: { getOTI?(): number } };
}
interface ParsedTrak {
  tkhd: { track_id: number; matrix: ArrayLike<number> };
  edts?: { elst?: { entries: Array<{ segment_duration: number; media_time: number; media_rate_integer: number }> } };
  mdia: {
    mdhd: { timescale: number };
    hdlr: { handler: string };
    minf: { stbl: ParsedBox & { stsd: ParsedBox & { entries: SampleEntryBox[] } } };
  };
  samples?: Array<{ dts: number; cts: number; duration: number; offset: number; size: number; is_sync: boolean }>;
}
interface ParsedFile {
  moov?: { mvhd: { timescale: number }; traks: ParsedTrak[] };
}

const CODECS: Record<string, VideoCodec> = {
  avc1: 'h264', avc2: 'h264', avc3: 'h264', avc4: 'h264',
  hvc1: 'hevc', hev1: 'hevc',
  vp08: 'vp8', vp09: 'vp9', av01: 'av1',
  mp4v: 'mpeg4',
  jpeg: 'mjpeg', mjpa: 'mjpeg', mjpb: 'mjpeg',
  apch: 'prores', apcn: 'prores', apcs: 'prores', apco: 'prores', ap4h: 'prores', ap4x: 'prores',
};

/**
 * What an `mp4v` entry holds, by its esds objectTypeIndication (MPEG-4 Systems): MPEG-4 Visual,
 * or Motion JPEG as ffmpeg writes it into MP4. Any other (MPEG-1/2 video…) is no codec the
 * engine decodes.
 */
const MP4V_OBJECT_TYPES: Readonly<Record<number, VideoCodec>> = { 0x20: 'mpeg4', 0x6c: 'mjpeg' };

/** The entry's codec, and how messages name it (an `mp4v` entry other than MPEG-4 Visual with its object type). */
function entryCodec(entry: SampleEntryBox): { codec: VideoCodec; codecString: string } {
  const objectType = entry.type === 'mp4v' ? entry.esds?.esd?.getOTI?.() : undefined;
  // Without an object type, an mp4v entry is taken for what its name says.
  if (!objectType || objectType === 0x20) return { codec: CODECS[entry.type] ?? 'unknown', codecString: entry.type };
  return { codec: MP4V_OBJECT_TYPES[objectType] ?? 'unknown', codecString: `mp4v (object type 0x${objectType.toString(16)})` };
}

const DESCRIPTIVE = new Set(['ftyp', 'moov', 'moof']);

/**
 * mp4box parses sequentially and needs a header for each box it should jump over; it skips an
 * `mdat` body unread but waits for the whole body of any other box. So every box we do not
 * read (`mdat`, `free`, a multi-gigabyte padding box …) is announced as an `mdat` of its size.
 */
function skippedBoxHeader(box: TopLevelBox): Uint8Array {
  const header = new Uint8Array(box.headerSize);
  const view = new DataView(header.buffer);
  if (box.headerSize === 16) {
    view.setUint32(0, 1);
    view.setBigUint64(8, BigInt(box.size));
  } else {
    view.setUint32(0, box.size);
  }
  header.set([0x6d, 0x64, 0x61, 0x74], 4);
  return header;
}

/** The `moov` box, read once, and whether mp4box builds its sample lists (see `sample-table.ts`). */
interface MovieBox {
  readonly box: TopLevelBox;
  readonly bytes: Uint8Array;
  /** False for progressive files: their video samples are read from `stbl` by `readSampleTable`. */
  readonly parserBuildsSamples: boolean;
}

/** A fresh copy of what mp4box gets for `box` (it keeps the buffers it is given). */
async function bytesForParser(source: ByteSource, box: TopLevelBox, moov: MovieBox): Promise<Uint8Array> {
  if (!DESCRIPTIVE.has(box.type)) return skippedBoxHeader(box);
  if (box !== moov.box) return new Uint8Array(await readBox(source, box));
  const copy = withoutBrokenCodecConfigs(moov.bytes);
  if (!moov.parserBuildsSamples) hideSampleTables(copy);
  return copy;
}

/** Feeds mp4box the descriptive boxes at their real file positions, never a box body it need not see. */
async function parseBoxes(source: ByteSource, boxes: readonly TopLevelBox[], moov: MovieBox): Promise<ParsedFile> {
  const file = createFile(false);
  let failure: string | undefined;
  file.onError = (_module: string, message: string) => (failure = message);
  for (const box of boxes) {
    const buffer = (await bytesForParser(source, box, moov)).buffer as ArrayBuffer & { fileStart: number };
    buffer.fileStart = box.offset;
    try {
      file.appendBuffer(buffer);
    } catch (error) {
      throw unsupported(`the MP4 '${box.type}' box cannot be read: ${String(error)}`, error);
    }
  }
  file.flush();
  if (failure) throw unsupported(`the MP4 structure cannot be read: ${failure}`);
  return file as unknown as ParsedFile;
}

/** The columns of the samples mp4box lists for a fragmented file's track. */
function fragmentColumns(samples: NonNullable<ParsedTrak['samples']>): SampleColumns {
  const columns = allocateColumns(samples.length);
  samples.forEach((s, i) => setSample(columns, i, s.dts, s.cts, s.duration, s.offset, s.size, s.is_sync));
  return columns;
}

/** The clockwise rotation encoded by a track matrix (16.16 fixed point, row-major a b u c d v x y w). */
function rotationOf(matrix: ArrayLike<number>): Rotation {
  const degrees = (Math.round((Math.atan2(matrix[1]!, matrix[0]!) * 180) / Math.PI) + 360) % 360;
  const snapped = (Math.round(degrees / 90) * 90) % 360;
  return snapped as Rotation;
}

function editsOf(trak: ParsedTrak, movieTimescale: number, mediaTimescale: number): EditSegment[] {
  const entries = trak.edts?.elst?.entries ?? [];
  return entries
    .filter((entry) => entry.media_rate_integer !== 0)
    .map((entry) => ({
      mediaTime: entry.media_time < 0 ? null : entry.media_time,
      // A zero duration means "the rest of the media" in files written by some muxers.
      duration:
        entry.segment_duration === 0 ? Infinity : (entry.segment_duration * mediaTimescale) / movieTimescale,
    }));
}

function stsdBytes(moov: Uint8Array, moovOffset: number, stsd: ParsedBox): Uint8Array {
  const start = stsd.start - moovOffset;
  return moov.subarray(start, start + stsd.size);
}

/** Indexes the first video track. Rejects with `unsupported` when there is none. */
export async function indexMp4(source: ByteSource): Promise<VideoTrack> {
  const boxes = await walkTopLevelBoxes(source);
  const moovBox = boxes.find((box) => box.type === 'moov');
  if (!moovBox) {
    throw unsupported('the MP4 has no movie box (moov): it is incomplete or not a playable MP4');
  }
  const moovBytes = await readBox(source, moovBox);
  // Fragmented files list their samples in `moof` boxes, which mp4box reads.
  const fragmented = boxes.some((box) => box.type === 'moof');
  const file = await parseBoxes(source, boxes, { box: moovBox, bytes: moovBytes, parserBuildsSamples: fragmented });
  const moov = file.moov;
  if (!moov) throw unsupported('the MP4 movie box (moov) cannot be parsed');
  const trak = moov.traks.find((t) => t.mdia?.hdlr?.handler === 'vide');
  if (!trak) throw unsupported('the file has no video track');

  const entry = trak.mdia.minf.stbl.stsd.entries[0];
  if (!entry) throw unsupported('the video track has no sample description');
  const { codec, codecString } = entryCodec(entry);
  const timescale = trak.mdia.mdhd.timescale;
  const stbl = trak.mdia.minf.stbl;
  const columns = fragmented
    ? fragmentColumns(trak.samples ?? [])
    : readSampleTable(moovBytes, { at: stbl.start - moovBox.offset, size: stbl.size }, source.size);
  if (columns.size.length === 0) throw unsupported('the video track has no samples');
  if (!(timescale > 0)) throw unsupported('the video track has no valid timescale');

  // Negative composition offsets (ctts v1): ffmpeg delays every presentation time by the most
  // negative one, so that no frame is presented before it is decoded. Times must agree with it.
  let ctsShift = 0;
  for (let i = 0; i < columns.cts.length; i++) ctsShift = Math.max(ctsShift, columns.dts[i]! - columns.cts[i]!);
  if (ctsShift > 0) for (let i = 0; i < columns.cts.length; i++) columns.cts[i] += ctsShift;
  const samples = new SampleList(columns);
  const header = {
    timescale,
    width: entry.width ?? 0,
    height: entry.height ?? 0,
    sampleDescription: stsdBytes(moovBytes, moovBox.offset, trak.mdia.minf.stbl.stsd),
  };
  if (header.sampleDescription.length !== trak.mdia.minf.stbl.stsd.size) {
    throw ioError('the sample description lies outside the movie box');
  }
  const { config: entryConfig, picture } = describeSampleEntry(header.sampleDescription);

  return {
    codec,
    codecString,
    timescale,
    codedWidth: header.width,
    codedHeight: header.height,
    rotation: rotationOf(trak.tkhd.matrix),
    samples,
    edits: editsOf(trak, moov.mvhd.timescale, timescale),
    // Without a usable record the samples are Annex-B, which the bitstream reader detects itself.
    nalLengthSize: entryConfig?.config.lengthSize ?? 4,
    parameterSets: entryConfig?.config.parameterSets ?? [],
    ...(codec === 'hevc' ? { maxTemporalId: entryConfig?.config.maxTemporalId } : {}),
    // Length-prefixed samples only: a record that is Annex-B (or empty) describes nothing a decoder could be configured with.
    ...(entryConfig?.config.framing === 'length-prefixed' ? { decoderConfigRecord: entryConfig.record } : {}),
    containerDescribes: picture,
    buildDecodeInput(withData, targets) {
      const { bytes, ptsShift } = writeDecodeMp4(header, withData);
      return { fileName: 'input.mp4', bytes, targetPts: targets.map((target) => target.cts - ptsShift) };
    },
  };
}
