/**
 * Web Worker adapter of the decode engine, for runtimes with the standard Worker API (Deno,
 * browsers): each ffmpeg.wasm instance lives in a module Web Worker running `ffmpeg-worker.mjs`,
 * so decoding never blocks the caller's thread and a job that overruns its time limit is
 * stopped by terminating the worker. Imports nothing runtime-specific: where the core's files
 * are is the caller's to say (a bundler URL, a CDN, `import.meta.resolve`).
 *
 * In Deno (2.9, measured) two things differ from a browser tab, which is why the Deno entry is
 * the Node build (`node-runner.ts`, whose `node:worker_threads` workers are unreferenced)
 * rather than this runner:
 * - A live Web Worker keeps the Deno process running (Deno's Worker has no `unref`): a program
 *   using this runner must `close()` it to exit.
 * - `terminate()` does not stop a worker that is busy in wasm: it runs on at full CPU until the
 *   wasm returns. The worker therefore also sets the core's own time limit (see
 *   `worker-instance.ts`), which ends an overlong decode between packets; a decode stuck
 *   elsewhere (the core spinning after a trap) keeps its thread, and the process, busy.
 */
import type { FFmpegRunner } from '../src/engine/ffmpeg-runner.js';
import { createInstancePool } from './instance-pool.js';
import { startWorkerInstance, type CoreFiles, type WorkerChannel } from './worker-instance.js';

export type { CoreFiles } from './worker-instance.js';

/** Options of {@link createWebWorkerRunner}. */
export interface WebWorkerRunnerOptions {
  /**
   * The core's files, or how to get them (called once, when the first instance starts; see
   * {@link compileCore}).
   */
  readonly core: CoreFiles | (() => Promise<CoreFiles>);
  /** Where `ffmpeg-worker.mjs` is. Default: beside this module. */
  readonly workerUrl?: string | URL;
  /** Instances decoding in parallel. Default: the number of cores, at most 2. */
  readonly instances?: number;
}

/**
 * Compiles the core's wasm (streaming where the runtime can) and pairs it with the URL of the
 * core's ES module, e.g. `compileCore(import.meta.resolve('@ffmpeg/core'), import.meta.resolve('@ffmpeg/core/wasm'))`.
 */
export async function compileCore(coreUrl: string | URL, wasmUrl: string | URL): Promise<CoreFiles> {
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`cannot fetch the ffmpeg core's wasm from ${String(wasmUrl)}: HTTP ${response.status}`);
  const streams = response.headers.get('content-type') === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function';
  const wasmModule = streams ? await WebAssembly.compileStreaming(response) : await WebAssembly.compile(await response.arrayBuffer());
  return { coreUrl: String(coreUrl), wasmModule };
}

function startWorker(workerUrl: string | URL | undefined): Worker {
  // Written as one expression so that bundlers recognise the worker and ship it.
  return workerUrl === undefined
    ? new Worker(new URL('./ffmpeg-worker.mjs', import.meta.url), { type: 'module' })
    : new Worker(workerUrl, { type: 'module' });
}

function webWorkerChannel(files: CoreFiles, workerUrl: string | URL | undefined): WorkerChannel {
  const worker = startWorker(workerUrl);
  worker.postMessage({ init: files });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handle) => worker.addEventListener('message', (event) => handle(event.data)),
    onFailure(handle) {
      worker.addEventListener('error', (event) => {
        // Handled here: unhandled, a worker's error would end the whole process in Deno.
        event.preventDefault();
        handle(new Error(event.message || 'engine worker failed'));
      });
      worker.addEventListener('messageerror', () => handle(new Error('engine worker sent a message that could not be read')));
    },
    async terminate() {
      worker.terminate();
    },
  };
}

/**
 * Creates a runner backed by module Web Workers, with the shared instance policy
 * (`instance-pool.ts`): jobs queue for a free instance; an instance whose job timed out or
 * crashed is terminated and replaced.
 */
export function createWebWorkerRunner(options: WebWorkerRunnerOptions): FFmpegRunner {
  let files: Promise<CoreFiles> | undefined;
  const loadFiles = () => {
    files ??= typeof options.core === 'function' ? options.core() : Promise.resolve(options.core);
    files.catch(() => (files = undefined));
    return files;
  };
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return createInstancePool({
    capacity: options.instances ?? Math.min(2, cores),
    spawn: async () => startWorkerInstance(webWorkerChannel(await loadFiles(), options.workerUrl)),
  });
}
