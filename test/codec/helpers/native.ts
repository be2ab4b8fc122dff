/**
 * Native ffmpeg/ffprobe for the codec tests: presence check, fixture generation into a
 * temporary directory, and the few ffprobe/ffmpeg queries the tests compare against.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared real-world corpus (read in place, never copied into the project). */
export const SHARED_MEDIA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/media');

/**
 * True when the shared corpus is present; like the native tools, its absence skips the
 * tests except under `CI=true`.
 */
export function sharedMediaAvailable(): boolean {
  if (existsSync(join(SHARED_MEDIA, 'README.md'))) return true;
  const message = `the shared media corpus (${SHARED_MEDIA}) is not present`;
  if (process.env.CI === 'true') throw new Error(`${message}; it is required when CI=true`);
  console.warn(`skipping codec corpus tests: ${message}`);
  return false;
}

/**
 * True when native `tool` runs. Missing tools skip the tests with a message naming the
 * tool, except under `CI=true`, where they must fail instead of silently skipping.
 */
export function nativeToolAvailable(tool: 'ffmpeg' | 'ffprobe'): boolean {
  try {
    execFileSync(tool, ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    const message = `native ${tool} not found (install Debian's "ffmpeg" package)`;
    if (process.env.CI === 'true') throw new Error(`${message}; it is required when CI=true`);
    console.warn(`skipping codec real-stream tests: ${message}`);
    return false;
  }
}

/** A fresh temporary directory and its remover. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'stillframe-codec-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs native ffmpeg quietly (errors only), returning stdout. */
export function ffmpeg(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], {
    input,
    maxBuffer: 256 * 1024 * 1024,
    stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs ffprobe on the first video stream and returns the requested fields of each packet
 * or frame (JSON output: CSV would put the fields in ffprobe's own order, not ours).
 */
export function ffprobeEntries(file: string, section: 'packet' | 'frame', fields: readonly string[]): Record<string, string | number>[] {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', `-show_${section}s`, '-show_entries', `${section}=${fields.join(',')}`, '-of', 'json', file],
    // stderr is kept from the test output: cut corpus files make ffprobe warn.
    { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
  const parsed = JSON.parse(out) as Record<string, Record<string, string | number>[] | undefined>;
  return parsed[`${section}s`] ?? [];
}

/**
 * Decodes an elementary stream (`format`: h264, hevc, ivf, ...) given as bytes and returns
 * the MD5 of every output frame, in output order. `passthrough` keeps ffmpeg from
 * duplicating or dropping frames to fit a frame rate.
 */
export function decodeFrameMd5s(stream: Uint8Array, format: string): string[] {
  const out = ffmpeg(['-f', format, '-i', 'pipe:0', '-fps_mode', 'passthrough', '-f', 'framemd5', 'pipe:1'], stream).toString();
  return out
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)!.trim());
}

/** Concatenates NAL units into an Annex-B byte stream (4-byte start codes). */
export function toAnnexB(units: readonly Uint8Array[]): Uint8Array {
  const total = units.reduce((sum, u) => sum + 4 + u.length, 0);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const unit of units) {
    out.set([0, 0, 0, 1], pos);
    out.set(unit, pos + 4);
    pos += 4 + unit.length;
  }
  return out;
}

/** Frames of an IVF file (32-byte header, then 12-byte frame headers). */
export function ivfFrames(ivf: Uint8Array): Uint8Array[] {
  const view = new DataView(ivf.buffer, ivf.byteOffset, ivf.byteLength);
  const headerSize = view.getUint16(6, true);
  const frames: Uint8Array[] = [];
  let pos = headerSize;
  while (pos + 12 <= ivf.length) {
    const size = view.getUint32(pos, true);
    frames.push(ivf.subarray(pos + 12, pos + 12 + size));
    pos += 12 + size;
  }
  return frames;
}
