/**
 * Indexes the first video track of an MP4/MOV/fragmented MP4 with mp4box, reading only the
 * boxes that describe the media (`moov`, `moof`), never `mdat`.
 */
import { createFile, Log } from 'mp4box';
import { ioError, unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';
import type { EditSegment, EncodedSample, Rotation, VideoCodec, VideoTrack } from '../video-track.js';
import { readBox, walkTopLevelBoxes, type TopLevelBox } from './box-walker.js';
import { writeDecodeMp4 } from './mp4-writer.js';

Log.setLogLevel(Log.error);

// mp4box's box classes are typed loosely for our purpose; these are the fields we read.
interface ParsedBox {
  type: string;
  start: number;
  size: number;
}
interface SampleEntryBox extends ParsedBox {
  width?: number;
  height?: number;
  avcC?: { lengthSizeMinusOne: number };
  hvcC?: { lengthSizeMinusOne: number };
}
interface ParsedTrak {
  tkhd: { track_id: number; matrix: ArrayLike<number> };
  edts?: { elst?: { entries: Array<{ segment_duration: number; media_time: number; media_rate_integer: number }> } };
  mdia: {
    mdhd: { timescale: number };
    hdlr: { handler: string };
    minf: { stbl: { stsd: ParsedBox & { entries: SampleEntryBox[] } } };
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

/** Feeds mp4box the descriptive boxes at their real file positions. */
async function parseBoxes(source: ByteSource, boxes: readonly TopLevelBox[]): Promise<ParsedFile> {
  const file = createFile(true);
  let failure: string | undefined;
  file.onError = (_module: string, message: string) => (failure = message);
  for (const box of boxes) {
    if (box.type !== 'ftyp' && box.type !== 'moov' && box.type !== 'moof') continue;
    const bytes = await readBox(source, box);
    const buffer = bytes.slice().buffer as ArrayBuffer & { fileStart: number };
    buffer.fileStart = box.offset;
    file.appendBuffer(buffer);
  }
  file.flush();
  if (failure) throw unsupported(`the MP4 structure cannot be read: ${failure}`);
  return file as unknown as ParsedFile;
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
  const file = await parseBoxes(source, boxes);
  const moov = file.moov;
  if (!moov) throw unsupported('the MP4 movie box (moov) cannot be parsed');
  const trak = moov.traks.find((t) => t.mdia?.hdlr?.handler === 'vide');
  if (!trak) throw unsupported('the file has no video track');

  const entry = trak.mdia.minf.stbl.stsd.entries[0];
  if (!entry) throw unsupported('the video track has no sample description');
  const codec = CODECS[entry.type] ?? 'unknown';
  const timescale = trak.mdia.mdhd.timescale;
  const rawSamples = trak.samples ?? [];
  if (rawSamples.length === 0) throw unsupported('the video track has no samples');
  if (!(timescale > 0)) throw unsupported('the video track has no valid timescale');

  const samples: EncodedSample[] = rawSamples.map((s, index) => ({
    index,
    dts: s.dts,
    cts: s.cts,
    duration: s.duration,
    offset: s.offset,
    size: s.size,
    labeledSync: s.is_sync,
  }));
  const header = {
    timescale,
    width: entry.width ?? 0,
    height: entry.height ?? 0,
    sampleDescription: stsdBytes(moovBytes, moovBox.offset, trak.mdia.minf.stbl.stsd),
  };
  if (header.sampleDescription.length !== trak.mdia.minf.stbl.stsd.size) {
    throw ioError('the sample description lies outside the movie box');
  }

  return {
    codec,
    codecString: entry.type,
    timescale,
    codedWidth: header.width,
    codedHeight: header.height,
    rotation: rotationOf(trak.tkhd.matrix),
    samples,
    edits: editsOf(trak, moov.mvhd.timescale, timescale),
    nalLengthSize: (entry.avcC ?? entry.hvcC)?.lengthSizeMinusOne !== undefined
      ? (entry.avcC ?? entry.hvcC)!.lengthSizeMinusOne + 1
      : 4,
    buildDecodeInput(withData, target) {
      const { bytes, ptsShift } = writeDecodeMp4(header, withData);
      return { fileName: 'input.mp4', bytes, targetPts: target.cts - ptsShift };
    },
  };
}
