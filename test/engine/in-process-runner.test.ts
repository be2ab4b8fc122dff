/**
 * The runtime-neutral engine: ffmpeg.wasm in the calling thread (what runtimes without workers
 * get), here in Node's main thread. Its time limit is the core's own, checked between packets;
 * a time-out or a crash costs the instance and the next job works; instances are recycled
 * before the core's ~100-exec trap.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FFmpegJob, FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { coreFromModule, createInProcessRunner, type CreateFFmpegCore } from '../../wasm/in-process-runner.js';

/** What an edge runtime would hand over: the core's factory and its compiled wasm. */
async function loadCore(): Promise<{ createFFmpegCore: CreateFFmpegCore; wasmModule: WebAssembly.Module }> {
  const esm = join(dirname(dirname(createRequire(import.meta.url).resolve('@ffmpeg/core'))), 'esm');
  const { default: createFFmpegCore } = (await import(pathToFileURL(join(esm, 'ffmpeg-core.js')).href)) as { default: CreateFFmpegCore };
  return { createFFmpegCore, wasmModule: await WebAssembly.compile(await readFile(join(esm, 'ffmpeg-core.wasm'))) };
}

const tinyFrame: FFmpegJob = {
  inputs: [],
  args: ['-f', 'lavfi', '-i', 'color=c=red:size=16x8', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '/out.raw'],
  outputPath: '/out.raw',
  timeoutMs: 20_000,
};

let core: Awaited<ReturnType<typeof loadCore>>;
let runner: FFmpegRunner;
let instancesMade = 0;

beforeAll(async () => {
  core = await loadCore();
  const createCore = coreFromModule(core.createFFmpegCore, core.wasmModule);
  runner = createInProcessRunner({
    createCore: () => {
      instancesMade++;
      return createCore();
    },
  });
});
afterAll(() => runner.close());

describe('in-process runner', () => {
  it('runs ffmpeg and returns the output file and the log', async () => {
    const result = await runner.run(tinyFrame);
    expect(result.exitCode).toBe(0);
    expect(result.output?.length).toBe(16 * 8 * 3);
    expect(Math.abs(result.output![0]! - 255)).toBeLessThanOrEqual(6);
    expect(result.log.some((line) => line.includes('rawvideo'))).toBe(true);
  });

  it('stops a long job at the core\'s time limit (soft: between packets), then serves the next job', async () => {
    const slow: FFmpegJob = {
      inputs: [],
      args: ['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-t', '600', '-c:v', 'libx264', '/slow.mp4'],
      outputPath: '/slow.mp4',
      timeoutMs: 300,
    };
    const started = Date.now();
    await expect(runner.run(slow)).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await runner.run(tinyFrame)).exitCode).toBe(0);
  });

  it('reports a failure inside the instance as engine-crashed, then serves the next job', async () => {
    const broken = { ...tinyFrame, inputs: [{ path: '/in', data: 42 as unknown as Uint8Array }] };
    await expect(runner.run(broken)).rejects.toMatchObject({ kind: 'engine-crashed' });
    expect((await runner.run(tinyFrame)).exitCode).toBe(0);
  });

  it('a failed ffmpeg run that is not a time-out resolves with its exit code', async () => {
    const result = await runner.run({ ...tinyFrame, args: ['-i', '/missing.mp4', '/out.raw'] });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toBeUndefined();
  });

  it('queues overlapping jobs on its one instance, each getting its own output', async () => {
    const colours = ['red', 'lime', 'blue'];
    const results = await Promise.all(colours.map((c) => runner.run({ ...tinyFrame, args: tinyFrame.args.map((a) => a.replace('red', c)) })));
    expect(results.map((result) => Array.from(result.output!.subarray(0, 3), (v) => Math.round(v / 255)))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('keeps serving past the hundred execs after which one core instance traps', async () => {
    const before = instancesMade;
    for (let i = 0; i < 120; i++) expect((await runner.run(tinyFrame)).exitCode).toBe(0);
    expect(instancesMade - before).toBeGreaterThanOrEqual(2);
  });

  it('refuses jobs after close', async () => {
    const closing = createInProcessRunner({ createCore: coreFromModule(core.createFFmpegCore, core.wasmModule) });
    await closing.close();
    await expect(closing.run(tinyFrame)).rejects.toMatchObject({ kind: 'not-allowed' });
  });
});
