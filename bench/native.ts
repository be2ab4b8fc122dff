/**
 * Native ffmpeg/ffprobe as tools of the benchmark itself (making media, measuring files), as
 * opposed to native ffmpeg as a competitor (`peers/native-ffmpeg.ts`).
 */
import { execFileSync } from 'node:child_process';

const versions = new Map<string, string>();

/**
 * The first line of `tool -version` ("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) …"), cached
 * per process. Part of the media cache keys: keep it verbatim, or every cached file is remade.
 */
export function nativeVersion(tool: 'ffmpeg' | 'ffprobe'): string {
  let version = versions.get(tool);
  if (version === undefined) {
    version = execFileSync(tool, ['-version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n')[0]!.trim();
    versions.set(tool, version);
  }
  return version;
}

/** The version for people: "ffmpeg version 5.1.9-0+deb12u1". */
export function displayVersion(tool: 'ffmpeg' | 'ffprobe'): string {
  return nativeVersion(tool).replace(/\s+Copyright.*$/, '');
}

/** True when native `tool` runs. */
export function hasNativeTool(tool: 'ffmpeg' | 'ffprobe'): boolean {
  try {
    nativeVersion(tool);
    return true;
  } catch {
    return false;
  }
}

/** Runs ffprobe with `-of json` and returns the parsed output. */
export function ffprobeJson(args: readonly string[]): unknown {
  const out = execFileSync('ffprobe', ['-hide_banner', '-v', 'error', '-of', 'json', ...args], {
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out.toString());
}

/** One video packet as ffprobe lists it (decode order). */
export interface Packet {
  /** Presentation time in microseconds (edit lists applied by ffprobe's demuxer). */
  readonly ptsUs: number;
  readonly bytes: number;
  readonly key: boolean;
}

/**
 * The video packets between `fromS` and `toS`, in decode order. `-read_intervals` makes ffprobe
 * seek to the key frame before `fromS` instead of reading a multi-gigabyte file from the start.
 */
export function videoPackets(path: string, fromS: number, toS: number): Packet[] {
  const probe = ffprobeJson([
    '-select_streams', 'v:0',
    '-read_intervals', `${fromS}%${toS}`,
    '-show_entries', 'packet=pts_time,size,flags',
    path,
  ]) as { packets?: Array<{ pts_time?: string; size: string; flags: string }> };
  return (probe.packets ?? [])
    .filter((p) => p.pts_time !== undefined)
    .map((p) => ({ ptsUs: Math.round(Number(p.pts_time) * 1e6), bytes: Number(p.size), key: p.flags.startsWith('K') }));
}
