/**
 * What native ffmpeg says about every coded picture of an H.264 file, read independently of
 * stillframe's own index: each video packet in decode order with its presentation timestamp,
 * the container's key flag, and, from the `trace_headers` bitstream filter, the NAL header of its
 * first slice (IDR or not; `nal_ref_idc`, zero when no other picture may reference it). Job 6
 * derives from this which pictures a frame strictly needs.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ffprobeJson } from './native.js';

/** One coded picture, in decode order. */
export interface TracedPicture {
  /** Position in decode order (0 = the file's first video packet). */
  readonly index: number;
  /** Presentation timestamp in the stream's time base (edit lists applied by the demuxer). */
  readonly pts: number;
  readonly bytes: number;
  /** The container marks the packet as a key frame (what `ffmpeg -ss` seeks to). */
  readonly key: boolean;
  /** Its first slice is an IDR slice (`nal_unit_type` 5): decoding can start here with nothing before it. */
  readonly idr: boolean;
  /** `nal_ref_idc` of its first slice: 0 means no other picture may reference it. */
  readonly refIdc: number;
}

/** The video stream's pictures and time base. */
export interface Trace {
  readonly pictures: readonly TracedPicture[];
  /** Seconds per timestamp tick, as a fraction. */
  readonly timeBase: { readonly num: number; readonly den: number };
}

/**
 * Runs `ffmpeg -v trace -i FILE -map 0:v -c copy -bsf:v trace_headers -f null -` and parses its
 * log line by line as it streams (the trace of a 300 s 1080p file is tens of megabytes): a
 * "Packet: N bytes[, key frame], pts P" line opens a picture, and the first slice NAL unit
 * (`nal_unit_type` 1 or 5) after it gives its IDR-ness and `nal_ref_idc`. The packet count is
 * checked against ffprobe's, so a log format this parser does not understand fails loudly
 * instead of yielding a wrong count. H.264 only.
 */
export async function traceH264(path: string): Promise<Trace> {
  const stream = ffprobeJson(['-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=codec_name,time_base,nb_read_packets', path]) as {
    streams: Array<{ codec_name: string; time_base: string; nb_read_packets: string }>;
  };
  const info = stream.streams[0];
  if (!info) throw new Error(`${path}: no video stream`);
  if (info.codec_name !== 'h264') throw new Error(`${path}: the trace parser reads H.264, not ${info.codec_name}`);
  const [num, den] = info.time_base.split('/').map(Number) as [number, number];

  const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-nostats', '-v', 'trace', '-i', path, '-map', '0:v', '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  const raw: Array<{ pts: number; bytes: number; key: boolean; idr?: boolean; refIdc?: number }> = [];
  for await (const line of createInterface({ input: child.stderr, crlfDelay: Infinity })) {
    if (!line.includes('[trace_headers')) continue;
    const packet = /Packet: (\d+) bytes, (key frame, )?pts (-?\d+)/.exec(line);
    if (packet) {
      raw.push({ bytes: Number(packet[1]), key: Boolean(packet[2]), pts: Number(packet[3]) });
      continue;
    }
    const current = raw.at(-1);
    if (!current || current.refIdc !== undefined) continue;
    const nal = /nal_unit_type: (\d+)\(.*\), nal_ref_idc: (\d+)/.exec(line);
    if (nal && (nal[1] === '1' || nal[1] === '5')) {
      current.idr = nal[1] === '5';
      current.refIdc = Number(nal[2]);
    }
  }
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg trace_headers exited with ${code} on ${path}`);
  if (raw.length !== Number(info.nb_read_packets)) {
    throw new Error(`trace_headers listed ${raw.length} packets of ${path}, ffprobe counts ${info.nb_read_packets}`);
  }
  const pictures = raw.map((p, index) => {
    if (p.refIdc === undefined) throw new Error(`${path}: packet ${index} (pts ${p.pts}) has no slice NAL unit in the trace`);
    return { index, pts: p.pts, bytes: p.bytes, key: p.key, idr: p.idr === true, refIdc: p.refIdc };
  });
  return { pictures, timeBase: { num, den } };
}
