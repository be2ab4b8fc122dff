/**
 * Run in Deno by engines.test.ts, on the sources (Deno runs TypeScript as is): the two engines
 * that do not rest on Node's APIs — Web Workers (`web-worker-runner.ts`, running the same
 * `ffmpeg-worker.mjs` in its Web Worker mode) and the calling thread (`in-process-runner.ts`) —
 * put through the same paces as the Node runner. Prints one JSON line per engine.
 *
 *   deno run --allow-read test/deno/engines.ts
 */
import type { FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { flatFrame, slowJob } from '../engine/jobs.js';
import { coreFromModule, createInProcessRunner, type CreateFFmpegCore } from '../../wasm/in-process-runner.js';
import { compileCore, createWebWorkerRunner } from '../../wasm/web-worker-runner.js';

/** What a job gave: its exit code and first pixel, or the kind of its error. */
async function outcome(promise: Promise<{ exitCode: number; output?: Uint8Array }>) {
  try {
    const result = await promise;
    return { exitCode: result.exitCode, pixel: result.output ? Array.from(result.output.subarray(0, 3)) : undefined };
  } catch (error) {
    return { kind: (error as { kind?: string }).kind ?? String(error) };
  }
}

async function exercise(runner: FFmpegRunner) {
  const first = await outcome(runner.run(flatFrame('red')));
  const started = Date.now();
  const endlessOutcome = { ...(await outcome(runner.run(slowJob))), ms: Date.now() - started };
  const afterTimeout = await outcome(runner.run(flatFrame('red')));
  const broken = await outcome(runner.run({ ...flatFrame('red'), inputs: [{ path: '/in', data: 42 as unknown as Uint8Array }] }));
  const afterCrash = await outcome(runner.run(flatFrame('red')));
  const overlapping = await Promise.all(['red', 'lime', 'blue'].map((colour) => outcome(runner.run(flatFrame(colour)))));
  // Past the ~100 execs after which one core instance traps: instances must be recycled.
  let manyFailed = 0;
  for (let i = 0; i < 120; i++) if ((await outcome(runner.run(flatFrame('red')))).exitCode !== 0) manyFailed++;
  await runner.close();
  const afterClose = await outcome(runner.run(flatFrame('red')));
  return { first, endless: endlessOutcome, afterTimeout, broken, afterCrash, overlapping, manyFailed, afterClose };
}

const files = await compileCore(import.meta.resolve('@ffmpeg/core'), import.meta.resolve('@ffmpeg/core/wasm'));
console.log(JSON.stringify({ engine: 'web-worker', ...(await exercise(createWebWorkerRunner({ core: files, instances: 2 }))) }));

const { default: createFFmpegCore } = (await import(files.coreUrl)) as { default: CreateFFmpegCore };
const inProcess = createInProcessRunner({ createCore: coreFromModule(createFFmpegCore, files.wasmModule) });
console.log(JSON.stringify({ engine: 'in-process', ...(await exercise(inProcess)) }));
