/**
 * The SPS fields stillframe reads for its own decisions (reference analysis; the colour and pixel
 * aspect a decoder outside ffmpeg must report) agree with what native ffmpeg's `trace_headers`
 * bitstream filter prints for the same SPS, on generated and real-world streams.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { H264_NAL, parseH264Sps } from '../../src/codec/h264-headers.js';
import { fixture, requireSharedMedia, sharedMedia } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';
import { loadMp4 } from './helpers/streams.js';

/** The fields `trace_headers` prints for the first SPS of `path`, by name (the first of each). */
function tracedSps(path: string): Map<string, number> {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'trace', '-i', path, '-map', '0:v:0', '-frames:v', '1', '-c', 'copy', '-bsf:v', 'trace_headers', '-f', 'null', '-'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  // The trace prints the NAL headers of the extradata first, then their fields: the SPS's run
  // from profile_idc to the PPS's first field.
  const fields = new Map<string, number>();
  let inSps = false;
  for (const line of run.stderr.toString().split('\n')) {
    const field = /\[trace_headers[^\]]*\]\s+\d+\s+([a-z0-9_]+)\s+[01]+ = (-?\d+)$/.exec(line);
    if (!field) continue;
    if (field[1] === 'profile_idc') inSps = true;
    if (field[1] === 'pic_parameter_set_id' && inSps) break;
    if (inSps && !fields.has(field[1]!)) fields.set(field[1]!, Number(field[2]));
  }
  if (!fields.has('frame_mbs_only_flag')) throw new Error(`no SPS in the trace of ${path}`);
  return fields;
}

/** What the trace says our parse must say. */
function expectedFromTrace(trace: Map<string, number>) {
  const idc = trace.get('aspect_ratio_idc');
  const table: Record<number, [number, number]> = { 1: [1, 1], 2: [12, 11], 3: [10, 11], 4: [16, 11], 14: [4, 3], 15: [3, 2], 16: [2, 1] };
  const sar = idc === 255 ? [trace.get('sar_width')!, trace.get('sar_height')!] : idc !== undefined ? table[idc] : undefined;
  return {
    frameMbsOnly: trace.get('frame_mbs_only_flag') === 1,
    maxNumRefFrames: trace.get('max_num_ref_frames'),
    log2MaxFrameNum: trace.get('log2_max_frame_num_minus4')! + 4,
    fullRange: trace.get('video_full_range_flag') === 1,
    matrixCoefficients: trace.get('matrix_coefficients'),
    sampleAspectRatio: sar && sar[0] > 0 ? { num: sar[0], den: sar[1] } : undefined,
  };
}

function ourSps(path: string) {
  const stream = loadMp4(path);
  const sps = parseH264Sps(stream.config!.parameterSets.find((nal) => (nal[0]! & 0x1f) === H264_NAL.sps)!)!;
  return {
    frameMbsOnly: sps.frameMbsOnly,
    maxNumRefFrames: sps.maxNumRefFrames,
    log2MaxFrameNum: sps.log2MaxFrameNum,
    fullRange: sps.vui?.fullRange ?? false,
    matrixCoefficients: sps.vui?.matrixCoefficients,
    sampleAspectRatio: sps.vui?.sampleAspectRatio,
  };
}

describe.skipIf(!requireNativeTool('ffmpeg'))('H.264 SPS, as trace_headers reads it', () => {
  // Full range + BT.709 tags, SAR 2:1, plain x264 (SAR 1:1, no colour description), High 10.
  for (const name of ['full-range.mp4', 'anamorphic.mp4', 'h264-bframes.mp4', 'h264-10bit.mp4'] as const) {
    it(name, () => {
      const path = fixture(name);
      expect(ourSps(path)).toEqual(expectedFromTrace(tracedSps(path)));
    });
  }

  it.skipIf(!requireSharedMedia())('real-world streams: video.mp4, sar_2x1.mp4, edts.mp4, rotate-buck-bunny.mp4, cursed-vfr.mp4', () => {
    for (const name of ['video.mp4', 'sar_2x1.mp4', 'edts.mp4', 'rotate-buck-bunny.mp4', 'cursed-vfr.mp4']) {
      const path = sharedMedia(name);
      expect(ourSps(path), name).toEqual(expectedFromTrace(tracedSps(path)));
    }
  });

  it('the fixtures cover what the fields can say: full range, a matrix, a non-square pixel', () => {
    expect(ourSps(fixture('full-range.mp4'))).toMatchObject({ fullRange: true, matrixCoefficients: 1 });
    expect(ourSps(fixture('anamorphic.mp4')).sampleAspectRatio).toEqual({ num: 2, den: 1 });
  });
});
