/**
 * The benchmark's media, made on the spot with native ffmpeg and cached under `.cache/bench/`
 * (gitignored): media are never committed. Every file is named after a hash of its recipe (the
 * exact ffmpeg arguments plus the ffmpeg version), so a changed recipe or a different encoder
 * can never be served from a stale cache, and an unchanged one is made only once per machine.
 * Files are written under a temporary name and renamed into place, so a file that exists is
 * complete even if an earlier run was interrupted.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writePaddedMp4 } from '../test/helpers/padded-source.js';
import { ffprobeJson, nativeVersion } from './native.js';

/** Repository root (this file is `bench/media.ts`). */
export const ROOT = resolve(import.meta.dirname, '..');
/** Where generated media and scratch output live. */
export const CACHE_DIR = join(ROOT, '.cache', 'bench');

/** What the source clip looks like; the full benchmark and `--quick` differ only in duration. */
export interface ClipRecipe {
  /** Length in seconds. */
  readonly durationS: number;
}

/** A generated file and what ffprobe says about it. */
export interface MediaFile {
  readonly path: string;
  readonly bytes: number;
  readonly durationS: number;
  readonly width: number;
  readonly height: number;
  /** The recipe hash the file is named after. */
  readonly key: string;
}

/** Bytes a ">2 GiB" file must exceed. */
export const TWO_GIB = 2 * 1024 ** 3;

/**
 * The ffmpeg arguments of the source clip: 1080p30 H.264 (testsrc2, libx264 veryfast at
 * ~5.5 Mbit/s, one GOP per 2 s exactly — `-sc_threshold 0` stops x264 from adding keyframes at
 * scene cuts — and 2 B-frames) with a 48 kHz sine AAC track. Moov at the end of the file (the
 * ffmpeg default, no `+faststart`): stillframe must find the index wherever it is.
 * x264 output is deterministic for given arguments and version (its threading is deterministic
 * unless `--non-deterministic` is set), hence the version in the cache key.
 */
function clipArgs(recipe: ClipRecipe, out: string): string[] {
  const d = String(recipe.durationS);
  return [
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${d}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${d}`,
    '-map', '0:v', '-map', '1:a',
    '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '5500k', '-maxrate', '6000k', '-bufsize', '11000k',
    '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-bf', '2', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '128k',
    '-f', 'mp4', out,
  ];
}

/** Short hash naming a cached file. */
function recipeKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify([nativeVersion('ffmpeg'), ...parts])).digest('hex').slice(0, 12);
}

/**
 * Runs native ffmpeg with `-progress` and reports the percentage done to stderr every ~10 s, so
 * a first run that spends minutes encoding does not look hung.
 */
function runFfmpegWithProgress(label: string, args: readonly string[], totalS: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-progress', 'pipe:1', '-nostats', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    let lastReport = Date.now();
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^out_time_us=(\d+)/.exec(line);
        if (match && Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          const pct = Math.min(100, (Number(match[1]) / 1e6 / totalS) * 100);
          process.stderr.write(`[bench] ${label}: ${pct.toFixed(0)}%\n`);
        }
      }
    });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`ffmpeg (${label}) exited with ${code}: ${errors.trim()}`))));
  });
}

/** Makes `path` with `make(tempPath)` unless it exists; the temporary file is renamed into place. */
async function cached(path: string, make: (temp: string) => Promise<void>): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(CACHE_DIR, { recursive: true });
  const temp = `${path}.tmp-${process.pid}.mp4`;
  try {
    await make(temp);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Reads duration and picture size with ffprobe. */
function describe(path: string, key: string): MediaFile {
  const probe = ffprobeJson(['-show_entries', 'format=duration:stream=width,height', '-select_streams', 'v:0', path]) as {
    format: { duration: string };
    streams: Array<{ width: number; height: number }>;
  };
  return {
    path,
    bytes: statSync(path).size,
    durationS: Number(probe.format.duration),
    width: probe.streams[0]!.width,
    height: probe.streams[0]!.height,
    key,
  };
}

/**
 * The source clip for `recipe` (made now if not cached; encoding 300 s of 1080p takes a few
 * minutes on 2 cores).
 */
export async function sourceClip(recipe: ClipRecipe): Promise<MediaFile> {
  const key = recipeKey(['clip', clipArgs(recipe, 'OUT')]);
  const path = join(CACHE_DIR, `clip-${recipe.durationS}s-${key}.mp4`);
  if (!existsSync(path)) process.stderr.write(`[bench] making ${path} (${recipe.durationS} s of 1080p H.264, cached afterwards)\n`);
  await cached(path, (temp) => runFfmpegWithProgress(`encoding ${recipe.durationS} s clip`, clipArgs(recipe, temp), recipe.durationS));
  return describe(path, key);
}

/**
 * A file over 2 GiB. Full benchmark: `clip` repeated end to end with the concat demuxer and
 * `-c copy` (no re-encoding, so it costs only the disk writes) — as many copies as it takes to
 * pass 2 GiB, plus one; no `+faststart`, so its moov sits at the end, after more than 2 GiB of
 * mdat: offsets past 2^31 are exactly what the job is about. `sparse` (the `--quick` smoke
 * test): `clip` with 2 GiB of padding after `ftyp`, written as a sparse file, so a test run
 * costs no gigabytes of disk; the media offsets still lie past 2^31.
 */
export async function bigFile(clip: MediaFile, { sparse = false } = {}): Promise<MediaFile> {
  if (sparse) {
    const key = recipeKey(['sparse', clip.key, TWO_GIB]);
    const path = join(CACHE_DIR, `big-sparse-${key}.mp4`);
    await cached(path, async (temp) => void writePaddedMp4(clip.path, TWO_GIB, temp));
    return describe(path, key);
  }
  const copies = Math.floor(TWO_GIB / clip.bytes) + 1;
  const args = (list: string, out: string) => ['-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', '-f', 'mp4', out];
  const key = recipeKey(['big', clip.key, copies, args('LIST', 'OUT')]);
  const path = join(CACHE_DIR, `big-${copies}x-${key}.mp4`);
  if (!existsSync(path)) process.stderr.write(`[bench] making ${path} (${copies} copies of the clip, ~${((copies * clip.bytes) / 1e9).toFixed(1)} GB)\n`);
  await cached(path, async (temp) => {
    const list = join(CACHE_DIR, `concat-${key}.txt`);
    writeFileSync(list, Array.from({ length: copies }, () => `file '${clip.path.replaceAll("'", "'\\''")}'\n`).join(''));
    try {
      await runFfmpegWithProgress(`concatenating ${copies} copies`, args(list, temp), copies * clip.durationS);
    } finally {
      rmSync(list, { force: true });
    }
  });
  const file = describe(path, key);
  if (file.bytes <= TWO_GIB) throw new Error(`${path} is ${file.bytes} bytes, not over 2 GiB`);
  return file;
}
