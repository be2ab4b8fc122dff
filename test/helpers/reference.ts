/**
 * The independent reference: what native ffprobe says is presented when, and the pixels native
 * ffmpeg decodes for a frame. The tests never use stillframe's own index to decide what is right.
 */
import { expect } from 'vitest';
import type { QueryMode, VideoFile } from '../../src/video-file.js';
import { ffmpeg, ffprobe } from './native.js';

/** A frame as native ffprobe presents it. */
export interface ReferenceFrame {
  /** Position among presented frames (what ffmpeg's `select=eq(n,…)` counts). */
  readonly n: number;
  /** Presentation time in microseconds. */
  readonly timeUs: number;
  /** The container marks its packet as a keyframe. */
  readonly key: boolean;
}

/** Presented frames of the first video stream, in presentation order, edit lists applied. */
export function referenceFrames(path: string): ReferenceFrame[] {
  const packets = ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path]);
  const keyTimes = new Set(
    packets.trim().split('\n').filter((line) => line.split(',')[1]?.startsWith('K')).map((line) => line.split(',')[0]),
  );
  const frames = ffprobe(['-select_streams', 'v:0', '-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', path]);
  return frames
    .trim()
    .split('\n')
    .map((line) => line.split(',')[0]!)
    .filter((time) => time !== '' && time !== 'N/A')
    .map((time, n) => ({ n, timeUs: Math.round(Number(time) * 1e6), key: keyTimes.has(time) }));
}

/** The mode rules of HarmonyOS `AVImageQueryOptions`, restated independently over reference frames. */
export function expectedFrame(frames: readonly ReferenceFrame[], timeUs: number, mode: 'next-sync' | 'previous-sync' | 'closest-sync' | 'closest'): ReferenceFrame {
  const t = Math.min(Math.max(timeUs, frames[0]!.timeUs), frames[frames.length - 1]!.timeUs);
  const keys = frames.filter((f) => f.key);
  const nearest = (list: readonly ReferenceFrame[]) =>
    list.reduce((best, f) => (Math.abs(f.timeUs - t) < Math.abs(best.timeUs - t) ? f : best));
  switch (mode) {
    case 'closest':
      return nearest(frames);
    case 'closest-sync':
      return nearest(keys);
    case 'next-sync':
      return keys.find((f) => f.timeUs >= t) ?? keys[keys.length - 1]!;
    case 'previous-sync':
      return [...keys].reverse().find((f) => f.timeUs <= t) ?? keys[0]!;
  }
}

/**
 * Native ffmpeg's RGB24 pixels of presented frame `n`, upright (ffmpeg autorotates) and at the
 * display aspect ratio, scaled to `width`×`height`.
 */
export function referencePixels(path: string, n: number, width: number, height: number): Uint8Array {
  const key = `${path}|${n}|${width}x${height}`;
  let pixels = referenceCache.get(key);
  if (!pixels) {
    pixels = decodeReference(path, n, width, height);
    referenceCache.set(key, pixels);
  }
  return pixels;
}

/** Sync modes keep naming the same few frames: decode each reference once per test file. */
const referenceCache = new Map<string, Uint8Array>();

function decodeReference(path: string, n: number, width: number, height: number): Uint8Array {
  return ffmpeg([
    '-i', path, '-map', '0:v:0',
    '-vf', `select=eq(n\\,${n}),scale=${width}:${height}:flags=area+accurate_rnd+full_chroma_int`,
    '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]);
}

/** Mean absolute difference per channel between RGBA pixels and RGB24 reference pixels. */
export function meanAbsDiff(rgba: Uint8Array, rgb: Uint8Array): number {
  const pixels = rgb.length / 3;
  if (rgba.length !== pixels * 4) throw new Error(`size mismatch: ${rgba.length / 4} vs ${pixels} pixels`);
  let sum = 0;
  for (let i = 0; i < pixels; i++) {
    sum += Math.abs(rgba[i * 4]! - rgb[i * 3]!) + Math.abs(rgba[i * 4 + 1]! - rgb[i * 3 + 1]!) + Math.abs(rgba[i * 4 + 2]! - rgb[i * 3 + 2]!);
  }
  return sum / (pixels * 3);
}

/**
 * Checks that `video`, opened on the file at `path`, gives for each time and mode the frame native
 * ffmpeg presents there: its time, and its pixels at `size` within a mean of 4 levels.
 */
export async function expectNativeFrames(
  video: VideoFile,
  path: string,
  timesUs: readonly number[],
  modes: readonly QueryMode[] = ['closest'],
  size = { width: 160, height: 120 },
): Promise<void> {
  const reference = referenceFrames(path);
  for (const timeUs of timesUs) {
    for (const mode of modes) {
      const expected = expectedFrame(reference, timeUs, mode);
      const frame = await video.extractFrame(timeUs, { mode, size });
      const where = `${path.split('/').pop()}: ${mode} @ ${timeUs} µs`;
      expect(frame.timeUs, where).toBe(expected.timeUs);
      expect(meanAbsDiff(frame.data, referencePixels(path, expected.n, size.width, size.height)), where).toBeLessThan(4);
    }
  }
}
