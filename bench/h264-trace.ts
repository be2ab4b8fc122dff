/**
 * What native ffmpeg says about every coded picture of an H.264 file, read independently of
 * stillframe's own index: each video packet in decode order with its presentation timestamp,
 * the container's key flag, and, from the `trace_headers` bitstream filter, the NAL header of its
 * first slice (IDR or not; `nal_ref_idc`, zero when no other picture may reference it) and the
 * slice header fields that say what a P slice predicts from. Job 6 derives from this which
 * pictures a frame strictly needs.
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
  /** slice_type % 5 of its first slice: 0 P, 1 B, 2 I. */
  readonly sliceType: number;
  readonly frameNum: number;
  /** num_ref_idx_l0_active_minus1 + 1: from the slice when it overrides the PPS, else the PPS default. */
  readonly activeL0: number;
  /** ref_pic_list_modification of list 0: modification_of_pic_nums_idc and abs_diff_pic_num_minus1 + 1. */
  readonly modificationsL0: ReadonlyArray<{ readonly idc: number; readonly absDiff: number }>;
}

/** The video stream's pictures and time base. */
export interface Trace {
  readonly pictures: readonly TracedPicture[];
  /** Seconds per timestamp tick, as a fraction. */
  readonly timeBase: { readonly num: number; readonly den: number };
  /** MaxFrameNum of the (single) SPS: frame_num counts modulo this. */
  readonly maxFrameNum: number;
}

/** A trace_headers field line: "[trace_headers @ 0x…] 9           slice_type      00110 = 5". */
const FIELD = /\]\s+\d+\s+([a-z0-9_]+(?:\[\d+\])*)\s+[01]+ = (-?\d+)$/;

/** The first slice's fields of one packet, as the trace prints them. */
interface RawPicture {
  pts: number;
  bytes: number;
  key: boolean;
  idr?: boolean;
  refIdc?: number;
  /** Field lines of the first slice are being read. */
  inSlice?: boolean;
  fields: Array<[string, number]>;
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
  const raw: RawPicture[] = [];
  const parameterSets: Array<[string, number]> = [];
  for await (const line of createInterface({ input: child.stderr, crlfDelay: Infinity })) {
    if (!line.includes('[trace_headers')) continue;
    const packet = /Packet: (\d+) bytes, (key frame, )?pts (-?\d+)/.exec(line);
    if (packet) {
      raw.push({ bytes: Number(packet[1]), key: Boolean(packet[2]), pts: Number(packet[3]), fields: [] });
      continue;
    }
    const current = raw.at(-1);
    const nal = /nal_unit_type: (\d+)\(.*\), nal_ref_idc: (\d+)/.exec(line);
    if (nal) {
      if (current) current.inSlice = false;
      if (current && current.refIdc === undefined && (nal[1] === '1' || nal[1] === '5')) {
        current.idr = nal[1] === '5';
        current.refIdc = Number(nal[2]);
        current.inSlice = true;
      }
      continue;
    }
    const field = FIELD.exec(line);
    if (field) (current?.inSlice ? current.fields : parameterSets).push([field[1]!, Number(field[2])]);
  }
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg trace_headers exited with ${code} on ${path}`);
  if (raw.length !== Number(info.nb_read_packets)) {
    throw new Error(`trace_headers listed ${raw.length} packets of ${path}, ffprobe counts ${info.nb_read_packets}`);
  }
  const setField = (name: string) => {
    const found = parameterSets.find(([field]) => field === name);
    if (!found) throw new Error(`${path}: the trace shows no ${name}`);
    return found[1];
  };
  const defaultActiveL0 = setField('num_ref_idx_l0_default_active_minus1') + 1;
  const pictures = raw.map((p, index): TracedPicture => {
    if (p.refIdc === undefined) throw new Error(`${path}: packet ${index} (pts ${p.pts}) has no slice NAL unit in the trace`);
    const value = (name: string) => p.fields.find(([field]) => field === name)?.[1];
    const modificationsL0: Array<{ idc: number; absDiff: number }> = [];
    let list = 0;
    p.fields.forEach(([name, v], i) => {
      if (name === 'ref_pic_list_modification_flag_l1') list = 1;
      const next = p.fields[i + 1];
      if (list === 0 && name === 'modification_of_pic_nums_idc' && v < 2 && next?.[0] === 'abs_diff_pic_num_minus1') modificationsL0.push({ idc: v, absDiff: next[1] + 1 });
    });
    return {
      index,
      pts: p.pts,
      bytes: p.bytes,
      key: p.key,
      idr: p.idr === true,
      refIdc: p.refIdc,
      sliceType: (value('slice_type') ?? 2) % 5,
      frameNum: value('frame_num') ?? 0,
      activeL0: value('num_ref_idx_active_override_flag') === 1 ? (value('num_ref_idx_l0_active_minus1') ?? 0) + 1 : defaultActiveL0,
      modificationsL0,
    };
  });
  return { pictures, timeBase: { num, den }, maxFrameNum: 2 ** (setField('log2_max_frame_num_minus4') + 4) };
}
