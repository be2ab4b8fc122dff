/**
 * What native ffmpeg/ffprobe say about a stream, for the codec tests to compare against: the
 * fields of each packet or frame, and the MD5 of each decoded frame. Presence checks, the
 * ffmpeg runner and the test media are the shared ones in `test/helpers/`.
 */
import { ffmpeg, ffprobe } from '../../helpers/native.js';

/**
 * Runs ffprobe on the first video stream and returns the requested fields of each packet
 * or frame (JSON output: CSV would put the fields in ffprobe's own order, not ours).
 */
export function ffprobeEntries(file: string, section: 'packet' | 'frame', fields: readonly string[]): Record<string, string | number>[] {
  const out = ffprobe([
    '-select_streams', 'v:0', `-show_${section}s`, '-show_entries', `${section}=${fields.join(',')}`, '-of', 'json', file,
  ]);
  const parsed = JSON.parse(out) as Record<string, Record<string, string | number>[] | undefined>;
  return parsed[`${section}s`] ?? [];
}

/**
 * Decodes an elementary stream (`format`: h264, hevc, ivf, ...) given as bytes and returns
 * the MD5 of every output frame, in output order. `passthrough` keeps ffmpeg from
 * duplicating or dropping frames to fit a frame rate.
 */
export function decodeFrameMd5s(stream: Uint8Array, format: string, options: { showAll?: boolean } = {}): string[] {
  const showAll = options.showAll ? ['-flags2', '+showall'] : [];
  const out = Buffer.from(ffmpeg([...showAll, '-f', format, '-i', 'pipe:0', '-fps_mode', 'passthrough', '-f', 'framemd5', 'pipe:1'], stream)).toString();
  return out
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)!.trim());
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
