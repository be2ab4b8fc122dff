/**
 * Node adapter of the decode engine: each ffmpeg.wasm instance lives in a worker thread, so a
 * decode that overruns its time limit (or spins after a wasm trap) is stopped by terminating
 * the thread — synchronous wasm cannot be interrupted any other way — and the caller's event
 * loop never blocks on a decode. Deno runs it as is (its `node:worker_threads` Worker is a Web
 * Worker underneath; the worker body copes with both).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { FFmpegRunner } from '../src/engine/ffmpeg-runner.js';
import { createInstancePool, type EngineInstance } from './instance-pool.js';
import { startWorkerInstance, type CoreFiles, type WorkerChannel } from './worker-instance.js';

let coreFiles: Promise<CoreFiles> | undefined;

/**
 * Gives a buffer's memory back at once instead of at the next full garbage collection: moved
 * into a message on a channel that is then closed, its backing store is freed with the
 * message. The core's 32 MB, which the compiled module no longer needs, would otherwise still be
 * held when the first decode grows the engine (about 10 MB off a one-thumbnail process's peak).
 * Buffers that share their memory are left alone.
 */
function releaseNow(buffer: Buffer): void {
  if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) return;
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(null, [buffer.buffer as ArrayBuffer]);
  port1.close();
  port2.close();
}

/** Compiles the 32 MB core once per process; every worker instantiates the same module. */
function loadCoreFiles(): Promise<CoreFiles> {
  coreFiles ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package maps `require` to its UMD build; the ES module build sits beside it.
    const distDir = dirname(dirname(require.resolve('@ffmpeg/core')));
    const bytes = await readFile(join(distDir, 'esm', 'ffmpeg-core.wasm'));
    const wasmModule = await WebAssembly.compile(bytes);
    releaseNow(bytes);
    return { coreUrl: pathToFileURL(join(distDir, 'esm', 'ffmpeg-core.js')).href, wasmModule };
  })();
  coreFiles.catch(() => (coreFiles = undefined));
  return coreFiles;
}

const workerUrl = new URL('./ffmpeg-worker.mjs', import.meta.url);

/** A worker thread as a {@link WorkerChannel}; unreferenced, so an idle engine never keeps the process alive. */
function nodeWorkerChannel(files: CoreFiles): WorkerChannel {
  const worker = new Worker(workerUrl, { workerData: files });
  return {
    post: (message) => worker.postMessage(message),
    onMessage(handle) {
      worker.on('message', handle);
      // After the listener: attaching a 'message' listener refs the worker's port again.
      worker.unref();
    },
    onFailure(handle) {
      worker.on('error', handle);
      worker.on('exit', (code) => handle(new Error(`engine worker exited with code ${code}`)));
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

/** Options of {@link createNodeRunner}. */
export interface NodeRunnerOptions {
  /**
   * Number of engine instances (worker threads) decoding in parallel. Default: the number of
   * cores, at most 2 (each instance holds its own 32 MB+ wasm heap).
   */
  readonly instances?: number;
}

/**
 * Creates a runner backed by worker threads. Jobs queue for a free instance; an instance whose
 * job timed out or crashed is terminated and replaced before the next job (see
 * `instance-pool.ts` for the whole policy).
 */
export function createNodeRunner(options: NodeRunnerOptions = {}): FFmpegRunner {
  return createInstancePool({
    capacity: options.instances ?? Math.min(2, availableParallelism()),
    spawn: startNodeInstance,
  });
}

/** Starts one engine instance in a worker thread: what the Node runner's pool spawns. */
export async function startNodeInstance(): Promise<EngineInstance> {
  return startWorkerInstance(nodeWorkerChannel(await loadCoreFiles()));
}
