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
import type { FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { coreFromModule, createInProcessRunner, type CreateFFmpegCore } from '../../wasm/in-process-runner.js';
import { runnerContract, tinyFrame } from './runner-contract.js';

/** What an edge runtime would hand over: the core's factory and its compiled wasm. */
async function loadCore(): Promise<{ createFFmpegCore: CreateFFmpegCore; wasmModule: WebAssembly.Module }> {
  const esm = join(dirname(dirname(createRequire(import.meta.url).resolve('@ffmpeg/core'))), 'esm');
  const { default: createFFmpegCore } = (await import(pathToFileURL(join(esm, 'ffmpeg-core.js')).href)) as { default: CreateFFmpegCore };
  return { createFFmpegCore, wasmModule: await WebAssembly.compile(await readFile(join(esm, 'ffmpeg-core.wasm'))) };
}

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
  runnerContract(() => runner, () => createInProcessRunner({ createCore: coreFromModule(core.createFFmpegCore, core.wasmModule) }));

  it('resolves a failed ffmpeg run that is not a time-out with its exit code', async () => {
    const result = await runner.run({ ...tinyFrame, args: ['-i', '/missing.mp4', '/out.raw'] });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toBeUndefined();
  });

  it('replaces its instance before the core’s hundredth exec', async () => {
    const before = instancesMade;
    for (let i = 0; i < 120; i++) expect((await runner.run(tinyFrame)).exitCode).toBe(0);
    expect(instancesMade - before).toBeGreaterThanOrEqual(2);
  });
});
