/**
 * Test media: what the project makes itself with native ffmpeg (`fixture(name)`, cached in
 * `.cache/fixtures/<hash of this file>`, never committed), and the real-world corpus in
 * `../shared/media` (`sharedMedia(name)`, read in place, never copied).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpeg, requireNativeTool, unavailable } from './native.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE_DIR = join(ROOT, '.cache', 'fixtures');
/**
 * Where this version of the recipes keeps its fixtures: named after a hash of this file, so a
 * changed recipe can never be served from a stale cache.
 */
const FIXTURE_DIR = join(CACHE_DIR, createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex').slice(0, 12));
const SHARED_MEDIA = resolve(ROOT, '../shared/media');

let sharedMediaPresent: boolean | undefined;

/**
 * True when the shared real-world corpus is present. When it is not: throws under `CI=true`;
 * otherwise logs why the dependent tests are skipped and returns false (see `native.ts`).
 */
export function requireSharedMedia(): boolean {
  sharedMediaPresent ??= existsSync(join(SHARED_MEDIA, 'README.md'));
  return sharedMediaPresent || unavailable(`the shared media corpus (${SHARED_MEDIA}) is not present`);
}

/** Absolute path of a file in the shared corpus (guard its tests with `requireSharedMedia()`). */
export function sharedMedia(name: string): string {
  return join(SHARED_MEDIA, name);
}

/**
 * A copy of an MP4 whose (first) track header carries the display matrix `[a b 0; c d 0; 0 0 1]`
 * (a, b, c, d as plain numbers; written as 16.16 fixed point, w as 2.30).
 */
export function withTrackMatrix(mp4: Uint8Array, [a, b, c, d]: readonly [number, number, number, number]): Buffer {
  const bytes = Buffer.from(mp4);
  const box = (start: number, end: number, type: string): { start: number; end: number } => {
    for (let at = start; at + 8 <= end; ) {
      let size = bytes.readUInt32BE(at);
      if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
      if (size === 0) size = end - at;
      if (size < 8) break;
      if (bytes.toString('latin1', at + 4, at + 8) === type) return { start: at, end: at + size };
      at += size;
    }
    throw new Error(`withTrackMatrix: no ${type} box`);
  };
  const moov = box(0, bytes.length, 'moov');
  const trak = box(moov.start + 8, moov.end, 'trak');
  const tkhd = box(trak.start + 8, trak.end, 'tkhd');
  // Whatever the tkhd version, the matrix is the 36 bytes before its final width and height.
  const matrix = [a * 0x10000, b * 0x10000, 0, c * 0x10000, d * 0x10000, 0, 0, 0, 0x40000000];
  matrix.forEach((value, i) => bytes.writeInt32BE(value, tkhd.end - 44 + i * 4));
  return bytes;
}

/** An EBML variable-length integer at `at`: its value (marker removed) and its length. */
function ebmlVint(bytes: Buffer, at: number): { value: number; length: number } {
  const length = Math.clz32(bytes[at]!) - 23;
  let value = bytes[at]! & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  return { value, length };
}

/** 2026-11-21T10:00:00Z in epoch seconds: the Kinesis tests' T0. */
const KVS_T0_S = 1_795_255_200;

/**
 * A Matroska fragment as Kinesis Video Streams returns it: frame times on the producer's epoch
 * clock (`startS` after T0) and the tags GetMedia adds, timestamps in decimal seconds.
 */
function kvsFragment(source: string, startS: number, out: string): void {
  const producer = KVS_T0_S + startS;
  ffmpeg([
    '-i', source, '-map', '0:v', '-c', 'copy', '-output_ts_offset', String(producer),
    '-metadata', `AWS_KINESISVIDEO_FRAGMENT_NUMBER=9134385233318150${String(startS).padStart(3, '0')}`,
    '-metadata', `AWS_KINESISVIDEO_PRODUCER_TIMESTAMP=${producer}.000`,
    '-metadata', `AWS_KINESISVIDEO_SERVER_TIMESTAMP=${producer + 1}.250`,
    out,
  ]);
}

/** A copy of a Matroska file whose cue point number `which` (from 0) places its Cluster one byte further on. */
function withCueMoved(mkv: Buffer, which: number): Buffer {
  const bytes = Buffer.from(mkv);
  // The Cues are the last element of an ffmpeg-written file: walk their CuePoints, then each one's children.
  const cues = bytes.lastIndexOf(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
  const cuesSize = ebmlVint(bytes, cues + 4);
  const children = (from: number, end: number) => {
    const found: Array<{ id: number; at: number; dataStart: number; end: number }> = [];
    for (let at = from; at < end; ) {
      const idLength = Math.clz32(bytes[at]!) - 23;
      const id = bytes.readUIntBE(at, idLength);
      const size = ebmlVint(bytes, at + idLength);
      const dataStart = at + idLength + size.length;
      found.push({ id, at, dataStart, end: dataStart + size.value });
      at = dataStart + size.value;
    }
    return found;
  };
  const point = children(cues + 4 + cuesSize.length, cues + 4 + cuesSize.length + cuesSize.value).filter((e) => e.id === 0xbb)[which]!;
  const positions = children(point.dataStart, point.end).find((e) => e.id === 0xb7)!;
  const cluster = children(positions.dataStart, positions.end).find((e) => e.id === 0xf1)!;
  bytes[cluster.end - 1]! += 1;
  return bytes;
}

/** A copy of a Matroska file whose SeekHead entry for the Cues (SeekID 0x1C53BB6B) names an unknown ID instead. */
function withCuesHidden(mkv: Buffer): Buffer {
  const bytes = Buffer.from(mkv);
  // SeekID element (0x53AB), size 4, then the Cues ID: the first such entry is the SeekHead's.
  const at = bytes.indexOf(Buffer.from([0x53, 0xab, 0x84, 0x1c, 0x53, 0xbb, 0x6b]));
  if (at < 0) throw new Error('withCuesHidden: no SeekHead entry for the Cues');
  bytes[at + 6] = 0x6c;
  return bytes;
}

/**
 * A copy of a Matroska file whose Segment and Clusters have unknown sizes (every value bit of the
 * size field set, the field keeping its length), found by walking the top-level elements.
 */
function withUnknownSizes(mkv: Buffer): Buffer {
  const bytes = Buffer.from(mkv);
  const unknown = (at: number, length: number) => {
    bytes[at] = 0xff >> (length - 1);
    bytes.fill(0xff, at + 1, at + length);
  };
  const header = ebmlVint(bytes, 4);
  const segmentAt = 4 + header.length + header.value;
  const segmentSize = ebmlVint(bytes, segmentAt + 4);
  unknown(segmentAt + 4, segmentSize.length);
  for (let at = segmentAt + 4 + segmentSize.length; at < bytes.length; ) {
    const idLength = Math.clz32(bytes[at]!) - 23;
    const size = ebmlVint(bytes, at + idLength);
    if (bytes.readUInt32BE(at) === 0x1f43b675) unknown(at + idLength, size.length);
    at += idLength + size.length + size.value;
  }
  return bytes;
}

const LAVFI_VIDEO = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25'];
const LAVFI_AUDIO = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
/** The small picture of the codec tests, which decode their streams many times over. */
const LAVFI_SMALL = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25'];
const X264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];
const X265 = ['-c:v', 'libx265', '-preset', 'fast', '-pix_fmt', 'yuv420p'];

/** How each fixture is made: ffmpeg arguments (the output path is appended). */
const RECIPES = {
  /** H.264, B-frames (pyramid), 1 s GOP, AAC audio, moov first; ffmpeg writes an edit list for the B-frame delay. */
  'h264-bframes.mp4': [...LAVFI_VIDEO, ...LAVFI_AUDIO, '-t', '4', ...X264, '-g', '25', '-bf', '3', '-c:a', 'aac', '-shortest', '-movflags', '+faststart'],
  /**
   * H.264 open GOPs (x264 --open-gop): only the first picture is an IDR; every 1 s an I-frame with
   * a recovery point SEI, after it in decode order leading B-frames that reference the GOP before.
   */
  'h264-open-gop.mp4': [...LAVFI_VIDEO, '-t', '4', ...X264, '-bf', '2', '-x264-params', 'keyint=25:min-keyint=25:open-gop=1:scenecut=0'],
  /** H.264 without B-frames, short 0.48 s GOPs. */
  'h264-no-bframes.mp4': [...LAVFI_VIDEO, '-t', '3', ...X264, '-g', '12', '-bf', '0'],
  /** H.264 with irregular keyframe spacing (forced keyframes, no scene cuts), moov at the end. */
  'h264-irregular-gop.mp4': [...LAVFI_VIDEO, '-t', '4', ...X264, '-bf', '2', '-x264-params', 'keyint=1000:min-keyint=1:scenecut=0', '-force_key_frames', '0,0.72,0.8,2.12,3.5'],
  /** HEVC (x265) with B-frames, closed GOPs (x265 opens them unless told not to): IDR pictures only. */
  'hevc.mp4': [...LAVFI_VIDEO, '-t', '3', ...X265, '-x265-params', 'keyint=20:min-keyint=20:bframes=3:open-gop=0:log-level=error', '-tag:v', 'hvc1'],
  /** HEVC with open GOPs: CRA pictures with RASL leading pictures. */
  'hevc-open-gop.mp4': [...LAVFI_VIDEO, '-t', '3', ...X265, '-x265-params', 'keyint=20:min-keyint=20:bframes=3:open-gop=1:log-level=error', '-tag:v', 'hvc1'],
  /** Fragmented MP4 (moof/traf), one fragment per GOP. */
  'fragmented.mp4': [...LAVFI_VIDEO, '-t', '4', ...X264, '-g', '25', '-bf', '2', '-movflags', '+frag_keyframe+empty_moov+default_base_moof'],
  /** Anamorphic: 2:1 pixels, displayed 640×240. */
  'anamorphic.mp4': [...LAVFI_VIDEO, '-t', '2', ...X264, '-g', '25', '-vf', 'setsar=2/1'],
  /** Full-range BT.709 H.264. */
  'full-range.mp4': [...LAVFI_VIDEO, '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuvj420p', '-g', '25', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'pc'],
  /** 10-bit BT.709 H.264 (High 10). */
  'h264-10bit.mp4': [...LAVFI_VIDEO, '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p10le', '-g', '25', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709'],
  /** QuickTime MOV with H.264 and B-frames. */
  'h264.mov': [...LAVFI_VIDEO, '-t', '2', ...X264, '-g', '25', '-bf', '2', '-f', 'mov'],
  /** ProRes 422 in MOV: intra-only, 10-bit 4:2:2. */
  'prores.mov': [...LAVFI_VIDEO, '-t', '1', '-c:v', 'prores_ks', '-profile:v', '2', '-pix_fmt', 'yuv422p10le', '-f', 'mov'],
  /** MPEG-4 Part 2 with B-frames. */
  'mpeg4.mp4': [...LAVFI_VIDEO, '-t', '2', '-c:v', 'mpeg4', '-q:v', '3', '-g', '12', '-bf', '2'],
  /** Audio only. */
  'audio-only.m4a': [...LAVFI_AUDIO, '-t', '1', '-c:a', 'aac'],

  /** 160×120 H.264, closed GOPs of 10: every I-frame an IDR; the B-pyramid gives referenced and unreferenced Bs. */
  'small-h264-closed-gop.mp4': [...LAVFI_SMALL, '-t', '2', ...X264, '-g', '10', '-bf', '2'],
  /**
   * 160×120 H.264, open GOPs: only the first picture is an IDR; later key frames are I-frames with
   * a recovery point SEI, followed in decode order by leading B-frames (keyint 12 puts the
   * I-frame at the end of a mini-GOP).
   */
  'small-h264-open-gop.mp4': [...LAVFI_SMALL, '-t', '4', ...X264, '-bf', '2', '-x264-params', 'keyint=12:min-keyint=12:open-gop=1:scenecut=0'],
  /** 160×120 HEVC, open GOPs of 10: CRA pictures with RASL leading pictures. */
  'small-hevc-open-gop.mp4': [...LAVFI_SMALL, '-t', '2', ...X265, '-x265-params', 'keyint=10:min-keyint=10:open-gop=1:scenecut=0:bframes=3:log-level=error'],
  /**
   * 160×120 HEVC with temporal scalability: unreferenced B-frames in sub-layer 1 (TSA_N), so the
   * SPS says sps_max_sub_layers_minus1 = 1.
   */
  'small-hevc-temporal-layers.mp4': [
    ...LAVFI_SMALL, '-t', '2', ...X265,
    '-x265-params', 'keyint=10:min-keyint=10:open-gop=1:scenecut=0:bframes=3:temporal-layers=1:log-level=error',
  ],
  /*
   * H.264 reference structures for the reference analysis, 160×120, fixed B-frame patterns
   * (b-adapt 0), 1 s GOPs. Only their slice headers differ in what a P-frame predicts from.
   */
  /** One active reference and a B-pyramid: P-frames skip the pyramid's reference B-frame by list modification. */
  'small-h264-pyramid-ref1.mp4': [...LAVFI_SMALL, '-t', '2', ...X264, '-g', '25', '-bf', '3', '-x264-params', 'ref=1:b-pyramid=normal:b-adapt=0:scenecut=0'],
  /** Three references, strict pyramid (Blu-ray style): P-frames never reference B-frames. */
  'small-h264-pyramid-strict.mp4': [...LAVFI_SMALL, '-t', '2', ...X264, '-g', '25', '-bf', '3', '-x264-params', 'ref=3:b-pyramid=strict:b-adapt=0:scenecut=0'],
  /** Three references, normal pyramid: P-frames may use the reference B-frames, which must stay. */
  'small-h264-pyramid-ref3.mp4': [...LAVFI_SMALL, '-t', '2', ...X264, '-g', '25', '-bf', '3', '-x264-params', 'ref=3:b-pyramid=normal:b-adapt=0:scenecut=0'],
  /** One reference, four slices per picture, weighted prediction on: every slice header counts. */
  'small-h264-sliced.mp4': [...LAVFI_SMALL, '-t', '2', ...X264, '-g', '25', '-bf', '3', '-x264-params', 'ref=1:slices=4:weightp=2:b-adapt=0:scenecut=0'],
  /** WebM with an Opus track and no video. */
  'audio-only.webm': [...LAVFI_AUDIO, '-t', '1', '-c:a', 'libopus'],
  /*
   * MPEG-TS: ffmpeg's muxer starts the video at 1.4 s (its default mux delay) and writes one PES
   * per frame, with PTS and DTS.
   */
  /**
   * 320×240 H.264 with B-frames whose 33-bit PES time stamps wrap 2.3 s into the 4 s video
   * (`-output_ts_offset` puts its start 3.7 s before 2^33 ticks of 90 kHz).
   */
  'h264-wrap.ts': [...LAVFI_VIDEO, '-t', '4', ...X264, '-g', '25', '-bf', '3', '-output_ts_offset', '95440'],
  /** AAC audio alone in MPEG-TS: a PMT without a video stream. */
  'audio-only.ts': [...LAVFI_AUDIO, '-t', '1', '-c:a', 'aac'],
  /** 160×120 MPEG-2 video in MPEG-TS (stream type 0x02), a codec stillframe does not read there. */
  'mpeg2video.ts': [...LAVFI_SMALL, '-t', '1', '-c:v', 'mpeg2video'],
  /** 320×240 VP8 in WebM, a key frame every 25 frames (the Matroska conformance checks). */
  'vp8.webm': [...LAVFI_VIDEO, '-t', '3', '-c:v', 'libvpx', '-g', '25', '-b:v', '400k'],
  /** 160×120 VP8 in WebM, a key frame every 10 frames. */
  'small-vp8.webm': [...LAVFI_SMALL, '-t', '3', '-c:v', 'libvpx', '-g', '10', '-b:v', '200k'],
  /**
   * 320×240 VP9 with alpha in WebM (alpha_mode 1, the alpha plane in each block's
   * BlockAdditional), a key frame every 25 frames: a diagonal alpha ramp with fully transparent
   * and fully opaque bands, moving 4 px a frame. libvpx cannot code alpha with alt-ref frames.
   */
  'vp9-alpha.webm': [
    '-f', 'lavfi', '-i', "testsrc2=size=320x240:rate=25,format=yuva420p,geq=lum='lum(X,Y)':cb='cb(X,Y)':cr='cr(X,Y)':a='clip(abs(mod(X+Y+T*100,320)-160)*2-40,0,255)'",
    '-t', '2', '-c:v', 'libvpx-vp9', '-auto-alt-ref', '0', '-g', '25', '-b:v', '400k', '-deadline', 'realtime', '-cpu-used', '8',
  ],
  /** One 64×32 frame (MPEG-4 part 2, near lossless), moov at the end. */
  'mpeg4-64x32.mp4': ['-f', 'lavfi', '-i', 'testsrc2=size=64x32', '-frames:v', '1', '-c:v', 'mpeg4', '-q:v', '2'],

  /*
   * Kinesis Video stream fragments: consecutive 2 s stretches of one 160×120 testsrc2 picture (its
   * content changes every frame), each starting at media time 0, 1 s GOPs with B-frames. A stream
   * of 0–2 s, 2–4 s and 6–8 s is a continuous video with a gap, whose every frame is distinct.
   */
  /** Seconds 0–2, moov first. */
  'kinesis-0-2s.mp4': [...LAVFI_SMALL, '-t', '2', ...X264, '-g', '25', '-bf', '2', '-movflags', '+faststart'],
  /** Seconds 2–4, fragmented MP4 (one moof per GOP). */
  'kinesis-2-4s-fragmented.mp4': [...LAVFI_SMALL, '-ss', '2', '-t', '2', ...X264, '-g', '25', '-bf', '2', '-movflags', '+frag_keyframe+empty_moov+default_base_moof'],
  /** Seconds 6–8, moov at the end. */
  'kinesis-6-8s.mp4': [...LAVFI_SMALL, '-ss', '6', '-t', '2', ...X264, '-g', '25', '-bf', '2'],
} satisfies Record<string, string[]>;

/** IVF (the simplest container to read VP8/VP9 frames from) holding the video of `input`, stream copied. */
const toIvf = (input: string, out: string) => ffmpeg(['-i', input, '-map', '0:v:0', '-c', 'copy', '-f', 'ivf', out]);

/** Fixtures made from other fixtures, by more than one ffmpeg run, or from the shared corpus. */
const DERIVED = {
  /** Cut with stream copy from 1.3 s: the edit list starts mid-GOP, so leading samples are decoded but never shown. */
  'edit-list-cut.mp4': (out: string) =>
    ffmpeg(['-ss', '1.3', '-i', fixture('h264-bframes.mp4'), '-map', '0:v', '-c', 'copy', '-t', '2', out]),
  /**
   * Rotated by a quarter turn in the track matrix (set on a stream-copy remux): players show it
   * 240×320. ffmpeg 5.1 writes `rotate=90` as the matrix [0 -1; 1 0], a counter-clockwise turn.
   */
  'rotated-90.mp4': (out: string) =>
    ffmpeg(['-i', fixture('h264-no-bframes.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', out]),
  /**
   * A 320×240 H.264 video (2 s, 25 fps, moov first) whose track matrix turns it a quarter turn
   * clockwise, as iPhones record portrait video, so players show it 240×320.
   *
   * The matrix is written into `tkhd` directly: Debian's ffmpeg 5.1 lacks `-display_rotation`,
   * and writes `-metadata:s:v rotate=90` as the counter-clockwise matrix (see rotated-90.mp4).
   */
  'portrait-h264.mp4': (out: string) => {
    ffmpeg([...LAVFI_VIDEO, '-t', '2', ...X264, '-g', '25', '-movflags', '+faststart', out]);
    writeFileSync(out, withTrackMatrix(readFileSync(out), [0, 1, -1, 0]));
  },
  /**
   * A sync table that lies: `stss` renamed to `free`, so by the MP4 rules every sample is a sync
   * sample, though only every 25th is an IDR picture.
   */
  'lying-sync-table.mp4': (out: string) => {
    const bytes = readFileSync(fixture('h264-bframes.mp4'));
    const stss = bytes.indexOf(Buffer.from('stss'));
    if (stss < 0) throw new Error('lying-sync-table.mp4: no stss box to hide');
    bytes.write('free', stss, 'latin1');
    writeFileSync(out, bytes);
  },
  /**
   * A sync table that names no sample at all (its entry count zeroed), though every 25th sample
   * is an IDR picture: the opposite lie to lying-sync-table.mp4.
   */
  'empty-sync-table.mp4': (out: string) => {
    const bytes = readFileSync(fixture('h264-bframes.mp4'));
    const stss = bytes.indexOf(Buffer.from('stss'));
    if (stss < 0) throw new Error('empty-sync-table.mp4: no stss box to empty');
    bytes.writeUInt32BE(0, stss + 8);
    writeFileSync(out, bytes);
  },
  /** The first 45 % of a faststart file: moov intact, later samples missing. */
  'truncated.mp4': (out: string) => {
    const whole = readFileSync(fixture('h264-bframes.mp4'));
    writeFileSync(out, whole.subarray(0, Math.floor(whole.length * 0.45)));
  },
  /** The first 60 % of kinesis-0-2s.mp4: moov intact, the samples of its last part missing. */
  'kinesis-0-2s-truncated.mp4': (out: string) => {
    const whole = readFileSync(fixture('kinesis-0-2s.mp4'));
    writeFileSync(out, whole.subarray(0, Math.floor(whole.length * 0.6)));
  },
  /** A file whose moov is missing: everything before the trailing moov of a moov-at-end file. */
  'moov-missing.mp4': (out: string) => {
    const whole = readFileSync(fixture('h264-irregular-gop.mp4'));
    const moovAt = whole.lastIndexOf(Buffer.from('moov')) - 4;
    writeFileSync(out, whole.subarray(0, moovAt));
  },
  /** 160×120 VP9 in MP4, two-pass with alt-ref frames, so that superframes (hidden alt-ref + shown frame) occur. */
  'small-vp9-altref.mp4': (out: string) => {
    const log = `${out}.pass`;
    const vp9 = ['-c:v', 'libvpx-vp9', '-g', '30', '-b:v', '200k', '-passlogfile', log];
    try {
      ffmpeg([...LAVFI_SMALL, '-t', '3', ...vp9, '-pass', '1', '-f', 'null', '-']);
      ffmpeg([...LAVFI_SMALL, '-t', '3', ...vp9, '-pass', '2', '-auto-alt-ref', '1', '-lag-in-frames', '25', out]);
    } finally {
      rmSync(`${log}-0.log`, { force: true });
    }
  },
  /*
   * Matroska and WebM (issue 6): stream copies of MP4 fixtures, so that the same pictures are
   * checked through another container, and a VP9 WebM.
   */
  /** h264-bframes.mp4's video in Matroska: B-frames, blocks stored in decode order with presentation times. */
  'h264-bframes.mkv': (out: string) => ffmpeg(['-i', fixture('h264-bframes.mp4'), '-map', '0:v', '-c', 'copy', out]),
  /** hevc-open-gop.mp4's video in Matroska: CRA pictures and their leading pictures. */
  'hevc-open-gop.mkv': (out: string) => ffmpeg(['-i', fixture('hevc-open-gop.mp4'), '-map', '0:v', '-c', 'copy', out]),
  /** The Kinesis fixtures in Matroska, the container Kinesis Video Streams stores fragments in. */
  'kinesis-0-2s.mkv': (out: string) => ffmpeg(['-i', fixture('kinesis-0-2s.mp4'), '-map', '0:v', '-c', 'copy', out]),
  'kinesis-2-4s.mkv': (out: string) => ffmpeg(['-i', fixture('kinesis-2-4s-fragmented.mp4'), '-map', '0:v', '-c', 'copy', out]),
  'kinesis-6-8s.mkv': (out: string) => ffmpeg(['-i', fixture('kinesis-6-8s.mp4'), '-map', '0:v', '-c', 'copy', out]),
  /**
   * The same fragments as Kinesis Video Streams hands them out (GetMedia): absolute cluster
   * timecodes and the service's tags, the producer timestamp being 2026-11-21T10:00:00Z plus the
   * fragment's start, the server one 1.25 s later.
   */
  'kvs-fragment-0s.mkv': (out: string) => kvsFragment(fixture('kinesis-0-2s.mkv'), 0, out),
  'kvs-fragment-2s.mkv': (out: string) => kvsFragment(fixture('kinesis-2-4s.mkv'), 2, out),
  'kvs-fragment-6s.mkv': (out: string) => kvsFragment(fixture('kinesis-6-8s.mkv'), 6, out),
  /**
   * 20 s of noisy 320×240 H.264 in Matroska (about 14 MB), a key frame every second exactly: ffmpeg writes
   * its Cues at the end and a SeekHead at the start that points to them.
   */
  'cues-long.mkv': (out: string) =>
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25,noise=alls=20:allf=t', '-t', '20', ...X264, '-g', '25', '-sc_threshold', '0', '-bf', '2', '-crf', '18', out]),
  /** cues-long.mkv with its SeekHead's entry for the Cues made to name no element: a file whose Cues cannot be found. */
  'cues-hidden.mkv': (out: string) => writeFileSync(out, withCuesHidden(readFileSync(fixture('cues-long.mkv')))),
  /** cues-long.mkv with its fifth cue point's CueClusterPosition one byte off: Cues that place a segment where no Cluster is. */
  'cues-broken.mkv': (out: string) => writeFileSync(out, withCueMoved(readFileSync(fixture('cues-long.mkv')), 4)),
  /** cues-long.mkv with its first cue point off the first Cluster: Cues that leave the frames before them unindexed. */
  'cues-first-moved.mkv': (out: string) => writeFileSync(out, withCueMoved(readFileSync(fixture('cues-long.mkv')), 0)),
  /** mpeg4.mp4's video (MPEG-4 Part 2 with B-frames) in Matroska. */
  'mpeg4.mkv': (out: string) => ffmpeg(['-i', fixture('mpeg4.mp4'), '-map', '0:v', '-c', 'copy', out]),
  /** 320×240 Motion JPEG in Matroska: every frame a key frame. */
  'mjpeg.mkv': (out: string) => ffmpeg([...LAVFI_VIDEO, '-t', '2', '-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p', out]),
  /** 320×240 VP9 in WebM, a key frame every 25 frames, with its audio (so clusters interleave). */
  'vp9.webm': (out: string) =>
    ffmpeg([...LAVFI_VIDEO, ...LAVFI_AUDIO, '-t', '3', '-c:v', 'libvpx-vp9', '-b:v', '300k', '-g', '25', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-shortest', out]),
  /**
   * vp9.webm as a live recorder leaves it: the Segment and every Cluster of unknown size (their
   * size fields set to all ones, as a muxer that cannot seek back writes them).
   */
  'vp9-live.webm': (out: string) => writeFileSync(out, withUnknownSizes(readFileSync(fixture('vp9.webm')))),
  /** VP9 WebM as a recorder writing to a pipe leaves it: no Cues, no SeekHead, a Segment of unknown size. */
  'vp9-piped.webm': (out: string) =>
    writeFileSync(out, ffmpeg([...LAVFI_VIDEO, '-t', '3', '-c:v', 'libvpx-vp9', '-g', '25', '-b:v', '300k', '-deadline', 'realtime', '-cpu-used', '8', '-f', 'webm', '-'])),
  /** vp9.webm's video in MP4 (`vp09` with its `vpcC`). */
  'vp9.mp4': (out: string) => ffmpeg(['-i', fixture('vp9.webm'), '-map', '0:v', '-c', 'copy', out]),
  /** 320×240 Motion JPEG in MP4, as ffmpeg writes it: an `mp4v` entry whose esds says JPEG (object type 0x6C). */
  'mjpeg.mp4': (out: string) => ffmpeg([...LAVFI_VIDEO, '-t', '2', '-c:v', 'mjpeg', '-q:v', '3', '-pix_fmt', 'yuvj420p', out]),
  /** 160×120 MPEG-2 video in MP4: an `mp4v` entry of object type 0x61, a codec the engine does not decode. */
  'mpeg2video.mp4': (out: string) => ffmpeg([...LAVFI_SMALL, '-t', '1', '-c:v', 'mpeg2video', out]),
  /** mjpeg.mkv's video in QuickTime (`jpeg`), where cameras write Motion JPEG. */
  'mjpeg.mov': (out: string) => ffmpeg(['-i', fixture('mjpeg.mkv'), '-map', '0:v', '-c', 'copy', out]),
  /** small-vp8.webm's frames in IVF. */
  'small-vp8.ivf': (out: string) => toIvf(fixture('small-vp8.webm'), out),
  /** The VP9 frames of the corpus's frames.webm in IVF (needs the shared corpus). */
  'corpus-frames.ivf': (out: string) => toIvf(sharedMedia('frames.webm'), out),
  /** The VP9 frames of the corpus's transparency.webm in IVF (needs the shared corpus). */
  'corpus-transparency.ivf': (out: string) => toIvf(sharedMedia('transparency.webm'), out),
  /*
   * MPEG-TS: stream copies of MP4 fixtures (ffmpeg turns the samples into Annex-B, with SPS/PPS
   * before each key frame), so that the same pictures are checked through another container.
   */
  /** h264-bframes.mp4 with its AAC audio in MPEG-TS: B-frames, audio packets between the video's. */
  'h264-bframes.ts': (out: string) => ffmpeg(['-i', fixture('h264-bframes.mp4'), '-c', 'copy', out]),
  /** h264-open-gop.mp4's video in MPEG-TS: I-frames with recovery point SEIs as the key frames. */
  'h264-open-gop.ts': (out: string) => ffmpeg(['-i', fixture('h264-open-gop.mp4'), '-map', '0:v', '-c', 'copy', out]),
  /** hevc-open-gop.mp4's video in MPEG-TS: CRA pictures and their leading pictures. */
  'hevc-open-gop.ts': (out: string) => ffmpeg(['-i', fixture('hevc-open-gop.mp4'), '-map', '0:v', '-c', 'copy', out]),
  /** h264-bframes.mp4's video in Blu-ray M2TS: 192-byte packets, each behind a 4-byte arrival time stamp. */
  /**
   * 320×240 MPEG-4 Part 2 with B-frames in MPEG-TS (stream type 0x10), as ffmpeg encodes into a
   * transport stream: the VOL header in-band before the first VOP only.
   */
  'mpeg4.ts': (out: string) => ffmpeg([...LAVFI_VIDEO, '-t', '3', '-c:v', 'mpeg4', '-bf', '2', '-g', '25', '-q:v', '4', out]),
  'h264-bframes.m2ts': (out: string) => ffmpeg(['-i', fixture('h264-bframes.mp4'), '-map', '0:v', '-c', 'copy', out]),
} satisfies Record<string, (out: string) => void>;

/** Every fixture name. */
export type FixtureName = keyof typeof RECIPES | keyof typeof DERIVED;

/**
 * Path of a fixture, made on first use. Needs native ffmpeg: guard its tests with
 * `requireNativeTool('ffmpeg')` (and `requireSharedMedia()` for the `corpus-*` ones).
 */
export function fixture(name: FixtureName): string {
  const path = join(FIXTURE_DIR, name);
  if (existsSync(path) && statSync(path).size > 0) return path;
  if (!requireNativeTool('ffmpeg')) throw new Error(`fixture ${name} needs native ffmpeg; guard its test with requireNativeTool('ffmpeg')`);
  if (!existsSync(FIXTURE_DIR)) {
    // First fixture of these recipes: drop what earlier versions made.
    mkdirSync(CACHE_DIR, { recursive: true });
    for (const entry of readdirSync(CACHE_DIR)) {
      if (join(CACHE_DIR, entry) !== FIXTURE_DIR) rmSync(join(CACHE_DIR, entry), { recursive: true, force: true });
    }
    mkdirSync(FIXTURE_DIR, { recursive: true });
  }
  // Parallel test files may race to make the same fixture: write aside (keeping the extension,
  // which tells ffmpeg the format), then rename.
  const partial = join(FIXTURE_DIR, `.${process.pid}-${randomBytes(4).toString('hex')}-${name}`);
  try {
    if (name in RECIPES) ffmpeg([...RECIPES[name as keyof typeof RECIPES], partial]);
    else DERIVED[name as keyof typeof DERIVED](partial);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  return path;
}
