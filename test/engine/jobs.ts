/**
 * The engine jobs the runner specs use, in a module with no test-framework import, so that the
 * Deno script `test/deno/engines.ts` runs the very jobs the vitest contract runs.
 */
import type { FFmpegJob } from '../../src/engine/ffmpeg-runner.js';

/** One 16×8 frame of a flat colour (an ffmpeg colour name), as RGB24. */
export function flatFrame(colour: string): FFmpegJob {
  return {
    inputs: [],
    args: ['-f', 'lavfi', '-i', `color=c=${colour}:size=16x8`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/out.raw'],
    outputPath: '/out.raw',
    timeoutMs: 20_000,
  };
}

/** An encode that would run for minutes, limited to 300 ms. */
export const slowJob: FFmpegJob = {
  inputs: [],
  args: ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-t', '600', '-c:v', 'libx264', '/slow.mp4'],
  outputPath: '/slow.mp4',
  timeoutMs: 300,
};
