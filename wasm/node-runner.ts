/**
 * Node adapter of the decode engine: each ffmpeg.wasm instance lives in a worker thread, so a
 * decode that overruns its time limit (or spins after a wasm trap) is stopped by terminating
 * the thread — synchronous wasm cannot be interrupted any other way — and the caller's event
 * loop never blocks on a decode.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StillframeError } from '../src/errors.js';
import type { FFmpegJob, FFmpegResult, FFmpegRunner } from '../src/engine/ffmpeg-runner.js';

interface CoreFiles {
  readonly coreUrl: string;
  readonly wasmModule: WebAssembly.Module;
}

let coreFiles: Promise<CoreFiles> | undefined;

/** Compiles the 32 MB core once per process; every worker instantiates the same module. */
function loadCoreFiles(): Promise<CoreFiles> {
  coreFiles ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package maps `require` to its UMD build; the ES module build sits beside it.
    const distDir = dirname(dirname(require.resolve('@ffmpeg/core')));
    const wasmModule = await WebAssembly.compile(await readFile(join(distDir, 'esm', 'ffmpeg-core.wasm')));
    return { coreUrl: pathToFileURL(join(distDir, 'esm', 'ffmpeg-core.js')).href, wasmModule };
  })();
  coreFiles.catch(() => (coreFiles = undefined));
  return coreFiles;
}

const workerUrl = new URL('./ffmpeg-worker.mjs', import.meta.url);

interface WorkerReply {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly output?: Uint8Array;
  readonly log: string[];
  readonly error?: string;
}

/**
 * Jobs one instance runs before it is replaced. An @ffmpeg/core 0.12.10 instance traps with
 * "memory access out of bounds" on about its 100th `exec`, whatever the input size (its heap
 * does not grow: some fixed table runs out). A fresh instance costs ~60 ms, so recycling well
 * before that is cheap.
 */
const JOBS_PER_INSTANCE = 48;

/** One worker thread holding one core instance, running one job at a time. */
class EngineWorker {
  /** Jobs this instance has run. */
  jobs = 0;
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private nextId = 0;
  private failure: ((error: Error) => void) | undefined;

  constructor(files: CoreFiles) {
    this.worker = new Worker(workerUrl, { workerData: files });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.failure = reject;
      this.worker.once('message', () => resolve());
    });
    this.worker.on('error', (error) => this.failure?.(error));
    this.worker.on('exit', (code) => this.failure?.(new Error(`engine worker exited with code ${code}`)));
  }

  async run(job: FFmpegJob): Promise<FFmpegResult> {
    await this.ready;
    this.jobs++;
    const id = ++this.nextId;
    return new Promise<FFmpegResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new StillframeError('timeout', `decode exceeded its time limit of ${job.timeoutMs} ms`));
      }, job.timeoutMs);
      this.failure = (error) => {
        clearTimeout(timer);
        reject(new StillframeError('engine-crashed', `decode engine failed: ${error.message}`, { cause: error }));
      };
      this.worker.once('message', (reply: WorkerReply) => {
        clearTimeout(timer);
        if (!reply.ok) {
          reject(new StillframeError('engine-crashed', `decode engine crashed: ${firstLine(reply.error)}`));
          return;
        }
        resolve({ exitCode: reply.exitCode, output: reply.output, log: reply.log });
      });
      this.worker.postMessage({ id, inputs: job.inputs, args: job.args, outputPath: job.outputPath });
    });
  }

  async terminate(): Promise<void> {
    this.failure = undefined;
    await this.worker.terminate();
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]!;
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
 * job timed out or crashed is terminated and replaced before the next job.
 */
export function createNodeRunner(options: NodeRunnerOptions = {}): FFmpegRunner {
  const capacity = Math.max(1, Math.floor(options.instances ?? Math.min(2, availableParallelism())));
  const idle: EngineWorker[] = [];
  const waiting: Array<{ resolve: (worker: EngineWorker) => void; reject: (error: unknown) => void }> = [];
  let live = 0;
  let closed = false;

  async function spawn(): Promise<EngineWorker> {
    live++;
    try {
      return new EngineWorker(await loadCoreFiles());
    } catch (error) {
      live--;
      throw new StillframeError('engine-crashed', `cannot load the ffmpeg core: ${String(error)}`, { cause: error });
    }
  }

  function acquire(): Promise<EngineWorker> {
    const worker = idle.pop();
    if (worker) return Promise.resolve(worker);
    if (live < capacity) return spawn();
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function release(worker: EngineWorker): void {
    if (worker.jobs >= JOBS_PER_INSTANCE) {
      void discard(worker);
      return;
    }
    if (closed) {
      live--;
      void worker.terminate();
      return;
    }
    const next = waiting.shift();
    if (next) next.resolve(worker);
    else idle.push(worker);
  }

  /** Replaces a failed instance; a job waiting for one gets the replacement. */
  async function discard(worker: EngineWorker): Promise<void> {
    live--;
    await worker.terminate();
    const next = waiting.shift();
    if (next) spawn().then(next.resolve, next.reject);
  }

  async function runOnce(job: FFmpegJob): Promise<FFmpegResult> {
    if (closed) throw new StillframeError('not-allowed', 'the decode engine has been closed');
    const worker = await acquire();
    let result: FFmpegResult;
    try {
      result = await worker.run(job);
    } catch (error) {
      await discard(worker);
      throw error;
    }
    release(worker);
    return result;
  }

  return {
    async run(job) {
      try {
        return await runOnce(job);
      } catch (error) {
        // A crash may be the instance's fault (state left by earlier jobs), not the job's: one
        // retry on a fresh instance tells them apart. A time-out is not retried.
        if (error instanceof StillframeError && error.kind === 'engine-crashed') return runOnce(job);
        throw error;
      }
    },
    async close() {
      closed = true;
      for (const waiter of waiting.splice(0)) {
        waiter.reject(new StillframeError('not-allowed', 'the decode engine has been closed'));
      }
      live -= idle.length;
      await Promise.all(idle.splice(0).map((worker) => worker.terminate()));
    },
  };
}
