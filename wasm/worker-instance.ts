/**
 * One engine instance living in a worker (a `node:worker_threads` Worker or a Web Worker, both
 * running `ffmpeg-worker.mjs`): the parent's half of the worker protocol, and the time limit —
 * a job that overruns is stopped by terminating the worker, the only way to interrupt
 * synchronous wasm from outside (where the runtime honours it: see {@link startWorkerInstance}).
 */
import { StillframeError } from '../src/errors.js';
import type { FFmpegJob, FFmpegResult } from '../src/engine/ffmpeg-runner.js';
import { firstLine, jobTimedOut, type EngineInstance } from './instance-pool.js';

/** What the worker needs to start the core: passed at start-up, structured-cloned. */
export interface CoreFiles {
  /** URL of `@ffmpeg/core`'s ES module build (`ffmpeg-core.js`), importable from the worker. */
  readonly coreUrl: string;
  /** The core's wasm, compiled once; every instance instantiates it. */
  readonly wasmModule: WebAssembly.Module;
}

/** A started worker, as the runtime's Worker API exposes it. */
export interface WorkerChannel {
  post(message: unknown, transfer?: Transferable[]): void;
  /** Calls `handle` with each message's data. Called once, before any message is expected. */
  onMessage(handle: (data: unknown) => void): void;
  /** Calls `handle` when the worker fails or exits on its own. */
  onFailure(handle: (error: Error) => void): void;
  terminate(): Promise<void>;
}

/** Time a worker may take to load the core before it is given up on (normally 0.1–0.4 s). */
const STARTUP_LIMIT_MS = 30_000;

type Reply =
  | { readonly ready: true }
  | { readonly ready: false; readonly error: string }
  | { readonly id: number; readonly ok: true; readonly exitCode: number; readonly output?: Uint8Array; readonly log: string[] }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly log: string[]; readonly timedOut?: boolean };

/**
 * Waits for the worker behind `channel` to load its core, then returns it as an instance.
 *
 * The time limit is hard: at `timeoutMs` the job rejects and the pool terminates the worker,
 * which in Node stops the thread at once. Deno 2.9 does not stop a terminated worker that is
 * busy in wasm: it runs on at full CPU until the wasm returns (measured here, for Web Workers
 * and for its `node:worker_threads` alike; denoland/deno PR 35657 describes it for Web
 * Workers). So the worker also gives the core the same limit, which ffmpeg checks between
 * packets and which ends an overlong decode from inside; a reply saying so is a time-out too.
 */
export function startWorkerInstance(channel: WorkerChannel): Promise<EngineInstance> {
  let pending: { id: number; reply: (reply: Reply) => void; fail: (error: Error) => void } | undefined;
  let nextId = 0;
  let stopped = false;
  /** Why the worker died while idle: its next job fails at once instead of waiting out its limit. */
  let died: Error | undefined;

  return new Promise<EngineInstance>((resolve, reject) => {
    const giveUp = (error: Error) => {
      clearTimeout(startup);
      void channel.terminate().catch(() => undefined);
      reject(new StillframeError('engine-crashed', `the engine worker did not start: ${firstLine(error.message)}`, { cause: error }));
    };
    const startup = setTimeout(() => giveUp(new Error(`no answer within ${STARTUP_LIMIT_MS} ms`)), STARTUP_LIMIT_MS);
    let started = false;

    channel.onFailure((error) => {
      if (stopped) return;
      if (!started) return giveUp(error);
      if (pending) pending.fail(error);
      else died = error;
    });
    channel.onMessage((data) => {
      const reply = data as Reply;
      if ('ready' in reply) {
        if (!reply.ready) return giveUp(new Error(reply.error));
        clearTimeout(startup);
        started = true;
        resolve(instance);
        return;
      }
      if (pending && reply.id === pending.id) pending.reply(reply);
    });

    const instance: EngineInstance = {
      run(job: FFmpegJob): Promise<FFmpegResult> {
        const id = ++nextId;
        if (died) return Promise.reject(new StillframeError('engine-crashed', `decode engine failed: ${died.message}`, { cause: died }));
        return new Promise<FFmpegResult>((resolveJob, rejectJob) => {
          const finish = () => {
            clearTimeout(timer);
            pending = undefined;
          };
          const timer = setTimeout(() => {
            finish();
            rejectJob(jobTimedOut(job));
          }, job.timeoutMs);
          pending = {
            id,
            reply: (reply) => {
              finish();
              if (!('ok' in reply)) return;
              if (reply.ok) resolveJob({ exitCode: reply.exitCode, output: reply.output, log: reply.log });
              else if (reply.timedOut) rejectJob(jobTimedOut(job));
              else rejectJob(new StillframeError('engine-crashed', `decode engine crashed: ${firstLine(reply.error)}`));
            },
            fail: (error) => {
              finish();
              rejectJob(new StillframeError('engine-crashed', `decode engine failed: ${error.message}`, { cause: error }));
            },
          };
          channel.post({ id, inputs: job.inputs, args: job.args, outputPath: job.outputPath, timeoutMs: job.timeoutMs });
        });
      },
      async terminate() {
        stopped = true;
        await channel.terminate();
      },
    };
  });
}
