/**
 * What every FFmpegRunner promises, whatever runtime it serves: run a job and hand back its
 * output and log; stop a job at its time limit with a `timeout` error; report a failure inside
 * an instance as `engine-crashed`; and after either, serve the next job. Overlapping jobs each
 * get their own output, the core's ~100-exec trap is never reached, and a closed runner refuses.
 */
import { expect, it } from 'vitest';
import type { FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { flatFrame, slowJob } from './jobs.js';

/** One 16×8 red frame, as RGB24. */
export const tinyFrame = flatFrame('red');

/** The first pixel is `rgb`, within the rounding of ffmpeg's own YUV round trip. */
export function expectColour(output: Uint8Array, rgb: readonly number[]): void {
  rgb.forEach((value, channel) => expect(Math.abs(output[channel]! - value)).toBeLessThanOrEqual(6));
}

/** Declares the contract's tests for the runner `runner()` returns (made once by the caller). */
export function runnerContract(runner: () => FFmpegRunner, makeFresh: () => FFmpegRunner): void {
  it('runs ffmpeg and returns the output file and the log', async () => {
    const result = await runner().run(tinyFrame);
    expect(result.exitCode).toBe(0);
    expect(result.output?.length).toBe(16 * 8 * 3);
    expectColour(result.output!, [255, 0, 0]);
    expect(result.log.some((line) => line.includes('rawvideo'))).toBe(true);
  });

  it('stops a job at its time limit with a timeout error, then serves the next job', async () => {
    const started = Date.now();
    await expect(runner().run(slowJob)).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await runner().run(tinyFrame)).exitCode).toBe(0);
  });

  it('reports a failure inside the instance as engine-crashed, then serves the next job', async () => {
    const broken = { ...tinyFrame, inputs: [{ path: '/in', data: 42 as unknown as Uint8Array }] };
    await expect(runner().run(broken)).rejects.toMatchObject({ kind: 'engine-crashed' });
    expect((await runner().run(tinyFrame)).exitCode).toBe(0);
  });

  it('runs overlapping jobs, each getting its own output', async () => {
    const colours = ['red', 'lime', 'blue', 'white', 'black'];
    const results = await Promise.all(
      colours.map((c) => runner().run(flatFrame(c))),
    );
    const expected = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [0, 0, 0]];
    results.forEach((result, i) => expectColour(result.output!, expected[i]!));
  });

  it('keeps serving past the hundred execs after which one core instance traps', async () => {
    const fresh = makeFresh();
    try {
      for (let i = 0; i < 120; i++) expect((await fresh.run(tinyFrame)).exitCode).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('refuses jobs after close', async () => {
    const closing = makeFresh();
    await closing.close();
    await expect(closing.run(tinyFrame)).rejects.toMatchObject({ kind: 'not-allowed' });
  });
}
