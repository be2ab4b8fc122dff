/**
 * Test media the project makes itself with native ffmpeg (cached in `.cache/fixtures`, never
 * committed), and access to the real-world corpus in `../shared/media` (read in place).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE_DIR = join(ROOT, '.cache', 'fixtures');
const SHARED_MEDIA = resolve(ROOT, '../shared/media');

const inCi = () => process.env.CI === 'true';

/** True when `tool` runs. Under CI a missing tool fails the run instead of skipping. */
export function hasTool(tool: 'ffmpeg' | 'ffprobe'): boolean {
  try {
    execFileSync(tool, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (inCi()) throw new Error(`${tool} is required under CI=true (Debian package "ffmpeg") but was not found`);
    console.warn(`skipping: native ${tool} not found (install Debian's "ffmpeg" package)`);
    return false;
  }
}

/** True when the shared real-world corpus is present. Under CI its absence fails the run. */
export function hasSharedMedia(): boolean {
  if (existsSync(join(SHARED_MEDIA, 'README.md'))) return true;
  if (inCi()) throw new Error(`the shared media corpus is required under CI=true but ${SHARED_MEDIA} is missing`);
  console.warn(`skipping: the shared media corpus (${SHARED_MEDIA}) is not present`);
  return false;
}

/** Absolute path of a file in the shared corpus. */
export function sharedMedia(name: string): string {
  return join(SHARED_MEDIA, name);
}

const LAVFI_VIDEO = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25'];
const LAVFI_AUDIO = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
const X264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'];

/** How each fixture is made: ffmpeg arguments (the output path is appended). */
const RECIPES = {
  /** H.264, B-frames (pyramid), 1 s GOP, AAC audio, moov first; ffmpeg writes an edit list for the B-frame delay. */
  'h264-bframes.mp4': [...LAVFI_VIDEO, ...LAVFI_AUDIO, '-t', '4', ...X264, '-g', '25', '-bf', '3', '-c:a', 'aac', '-shortest', '-movflags', '+faststart'],
  /** H.264 without B-frames, short 0.48 s GOPs. */
  'h264-no-bframes.mp4': [...LAVFI_VIDEO, '-t', '3', ...X264, '-g', '12', '-bf', '0'],
  /** H.264 with irregular keyframe spacing (forced keyframes, no scene cuts), moov at the end. */
  'h264-irregular-gop.mp4': [...LAVFI_VIDEO, '-t', '4', ...X264, '-bf', '2', '-x264-params', 'keyint=1000:min-keyint=1:scenecut=0', '-force_key_frames', '0,0.72,0.8,2.12,3.5'],
  /** HEVC (x265) with B-frames, closed GOPs. */
  'hevc.mp4': [...LAVFI_VIDEO, '-t', '3', '-c:v', 'libx265', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-x265-params', 'keyint=20:min-keyint=20:bframes=3:log-level=error', '-tag:v', 'hvc1'],
  /** HEVC with open GOPs: CRA pictures with RASL leading pictures. */
  'hevc-open-gop.mp4': [...LAVFI_VIDEO, '-t', '3', '-c:v', 'libx265', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-x265-params', 'keyint=20:min-keyint=20:bframes=3:open-gop=1:log-level=error', '-tag:v', 'hvc1'],
  /** Fragmented MP4 (moof/traf), one fragment per GOP. */
  'fragmented.mp4': [...LAVFI_VIDEO, '-t', '4', ...X264, '-g', '25', '-bf', '2', '-movflags', '+frag_keyframe+empty_moov+default_base_moof'],
  /** Anamorphic: 2:1 pixels, displayed 640×240. */
  'anamorphic.mp4': [...LAVFI_VIDEO, '-t', '2', ...X264, '-g', '25', '-vf', 'setsar=2/1'],
  /** Full-range BT.709 H.264. */
  'full-range.mp4': [...LAVFI_VIDEO, '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuvj420p', '-g', '25', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'pc'],
  /** 10-bit BT.709 H.264 (High 10). */
  'h264-10bit.mp4': [...LAVFI_VIDEO, '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p10le', '-g', '25', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709'],
  /** Audio only. */
  'audio-only.m4a': [...LAVFI_AUDIO, '-t', '1', '-c:a', 'aac'],
} satisfies Record<string, string[]>;

/** Fixtures made from other fixtures. */
const DERIVED = {
  /** Cut with stream copy from 1.3 s: the edit list starts mid-GOP, so leading samples are decoded but never shown. */
  'edit-list-cut.mp4': (out: string) =>
    ffmpeg(['-ss', '1.3', '-i', fixture('h264-bframes.mp4'), '-map', '0:v', '-c', 'copy', '-t', '2', out]),
  /** Rotated by a quarter turn in the track matrix (set on a stream-copy remux): players show it 240×320. */
  'rotated-90.mp4': (out: string) =>
    ffmpeg(['-i', fixture('h264-no-bframes.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', out]),
  /** The first 45 % of a faststart file: moov intact, later samples missing. */
  'truncated.mp4': (out: string) => {
    const whole = readFileSync(fixture('h264-bframes.mp4'));
    writeFileSync(out, whole.subarray(0, Math.floor(whole.length * 0.45)));
  },
  /** A file whose moov is missing: everything before the trailing moov of a moov-at-end file. */
  'moov-missing.mp4': (out: string) => {
    const whole = readFileSync(fixture('h264-irregular-gop.mp4'));
    const moovAt = whole.lastIndexOf(Buffer.from('moov')) - 4;
    writeFileSync(out, whole.subarray(0, moovAt));
  },
} satisfies Record<string, (out: string) => void>;

/** Every fixture name. */
export type FixtureName = keyof typeof RECIPES | keyof typeof DERIVED;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Path of a fixture, made on first use. Needs native ffmpeg. */
export function fixture(name: FixtureName): string {
  const path = join(FIXTURE_DIR, name);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(FIXTURE_DIR, { recursive: true });
  // Parallel test files may race to make the same fixture: write aside, then rename.
  const partial = join(FIXTURE_DIR, `${process.pid}-${name}`);
  if (name in RECIPES) ffmpeg([...RECIPES[name as keyof typeof RECIPES], partial]);
  else DERIVED[name as keyof typeof DERIVED](partial);
  renameSync(partial, path);
  return path;
}
