/**
 * The Node engine: ffmpeg.wasm in worker threads. A job that overruns its time limit or throws
 * inside the instance gets a typed error, the instance is replaced, and the next job works.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { FFmpegJob } from '../../src/engine/ffmpeg-runner.js';
import { createNodeRunner } from '../../wasm/node-runner.js';

const runner = createNodeRunner({ instances: 2 });
afterAll(() => runner.close());

const tinyFrame: FFmpegJob = {
  inputs: [],
  args: ['-f', 'lavfi', '-i', 'color=c=red:size=16x8', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/out.raw'],
  outputPath: '/out.raw',
  timeoutMs: 20_000,
};

/** The first pixel is `rgb`, within the rounding of ffmpeg's own YUV round trip. */
function expectColour(output: Uint8Array, rgb: number[]): void {
  rgb.forEach((value, channel) => expect(Math.abs(output[channel]! - value)).toBeLessThanOrEqual(6));
}

describe('Node worker-thread runner', () => {
  it('runs ffmpeg and returns the output file and the log', async () => {
    const result = await runner.run(tinyFrame);
    expect(result.exitCode).toBe(0);
    expect(result.output?.length).toBe(16 * 8 * 3);
    expectColour(result.output!, [255, 0, 0]);
    expect(result.log.some((line) => line.includes('rawvideo'))).toBe(true);
  });

  it('stops a job at its time limit with a timeout error, then serves the next job', async () => {
    const slow: FFmpegJob = {
      inputs: [],
      args: ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-t', '600', '-c:v', 'libx264', '/slow.mp4'],
      outputPath: '/slow.mp4',
      timeoutMs: 300,
    };
    const started = Date.now();
    await expect(runner.run(slow)).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await runner.run(tinyFrame)).exitCode).toBe(0);
  });

  it('discards an instance that failed inside, then serves the next job', async () => {
    const broken = { ...tinyFrame, inputs: [{ path: '/in', data: 42 as unknown as Uint8Array }] };
    await expect(runner.run(broken)).rejects.toMatchObject({ kind: 'engine-crashed' });
    expect((await runner.run(tinyFrame)).exitCode).toBe(0);
  });

  it('runs overlapping jobs, each getting its own output', async () => {
    const colours = ['red', 'lime', 'blue', 'white', 'black'];
    const results = await Promise.all(
      colours.map((c) => runner.run({ ...tinyFrame, args: tinyFrame.args.map((a) => a.replace('red', c)) })),
    );
    const expected = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0]];
    results.forEach((result, i) => expectColour(result.output!, expected[i]!));
  });

  it('keeps serving past the hundred execs after which one core instance traps', async () => {
    const single = createNodeRunner({ instances: 1 });
    try {
      for (let i = 0; i < 120; i++) expect((await single.run(tinyFrame)).exitCode).toBe(0);
    } finally {
      await single.close();
    }
  });

  it('does not keep the process alive: a program that never closes its runner exits', async () => {
    const script = new URL('./exit-without-close.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('0,0');
  });

  it('refuses jobs after close', async () => {
    const closing = createNodeRunner();
    await closing.close();
    await expect(closing.run(tinyFrame)).rejects.toMatchObject({ kind: 'not-allowed' });
  });
});
