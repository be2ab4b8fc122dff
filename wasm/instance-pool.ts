/**
 * The policy every engine runner shares, whatever holds its ffmpeg.wasm instances (worker
 * threads, Web Workers, the calling thread): a bounded set of instances, each running one job
 * at a time; jobs queue for a free one; an instance whose job failed is thrown away; an
 * instance is retired after {@link JOBS_PER_INSTANCE} jobs; a crashed job is retried once on a
 * fresh instance. Runtime adapters only say how to start an instance and run a job on it.
 */
import { StillframeError, timeoutError } from '../src/errors.js';
import type { FFmpegJob, FFmpegResult, FFmpegRunner } from '../src/engine/ffmpeg-runner.js';

/**
 * Jobs one instance runs before it is replaced. An @ffmpeg/core 0.12.10 instance traps with
 * "memory access out of bounds" on about its 100th `exec`, whatever the input size (its heap
 * does not grow: some fixed table runs out). A fresh instance costs ~60 ms, so recycling well
 * before that is cheap.
 */
export const JOBS_PER_INSTANCE = 48;

/** One ffmpeg.wasm instance, as a runtime adapter holds it. */
export interface EngineInstance {
  /**
   * Runs one job. Rejects with a `StillframeError` of kind `'timeout'` when the job overran
   * its limit, `'engine-crashed'` when the instance failed; either way the pool discards the
   * instance (calls {@link terminate}) and never gives it another job.
   */
  run(job: FFmpegJob): Promise<FFmpegResult>;
  /** Stops the instance and frees what it holds. */
  terminate(): Promise<void>;
}

/** Options of {@link createInstancePool}. */
export interface InstancePoolOptions {
  /** Instances that may exist at once: jobs beyond that many wait. At least 1. */
  readonly capacity: number;
  /** Starts an instance. A rejection fails the job that needed it as `'engine-crashed'`. */
  readonly spawn: () => Promise<EngineInstance>;
  /** Jobs an instance runs before it is retired. Default {@link JOBS_PER_INSTANCE}. */
  readonly jobsPerInstance?: number;
}

interface Slot {
  readonly instance: EngineInstance;
  jobs: number;
}

const closedError = () => new StillframeError('not-allowed', 'the decode engine has been closed');

/** A runner over instances that `options.spawn` starts, with the shared policy above. */
export function createInstancePool(options: InstancePoolOptions): FFmpegRunner {
  const capacity = Math.max(1, Math.floor(options.capacity));
  const jobsPerInstance = Math.max(1, Math.floor(options.jobsPerInstance ?? JOBS_PER_INSTANCE));
  const idle: Slot[] = [];
  const waiting: Array<{ resolve: (slot: Slot) => void; reject: (error: unknown) => void }> = [];
  /** Instances that exist or are starting. */
  let live = 0;
  let closed = false;

  async function spawn(): Promise<Slot> {
    live++;
    try {
      return { instance: await options.spawn(), jobs: 0 };
    } catch (error) {
      live--;
      if (error instanceof StillframeError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StillframeError('engine-crashed', `cannot load the ffmpeg core: ${reason}`, { cause: error });
    }
  }

  function acquire(): Promise<Slot> {
    const slot = idle.pop();
    if (slot) return Promise.resolve(slot);
    if (live < capacity) return spawn();
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  }

  function release(slot: Slot): void {
    if (slot.jobs >= jobsPerInstance) {
      void discard(slot);
      return;
    }
    if (closed) {
      live--;
      void slot.instance.terminate();
      return;
    }
    const next = waiting.shift();
    if (next) next.resolve(slot);
    else idle.push(slot);
  }

  /** Stops an instance; a job waiting for one gets a fresh replacement. */
  async function discard(slot: Slot): Promise<void> {
    live--;
    await slot.instance.terminate().catch(() => undefined);
    const next = waiting.shift();
    if (next) spawn().then(next.resolve, next.reject);
  }

  async function runOnce(job: FFmpegJob): Promise<FFmpegResult> {
    if (closed) throw closedError();
    const slot = await acquire();
    slot.jobs++;
    let result: FFmpegResult;
    try {
      result = await slot.instance.run(job);
    } catch (error) {
      await discard(slot);
      throw error;
    }
    release(slot);
    return result;
  }

  return {
    parallelism: capacity,
    async run(job) {
      try {
        return await runOnce(job);
      } catch (error) {
        // A crash may be the instance's fault (state left by earlier jobs), not the job's: one
        // retry on a fresh instance tells them apart. A time-out is not retried.
        if (error instanceof StillframeError && error.kind === 'engine-crashed' && !closed) return runOnce(job);
        throw error;
      }
    },
    async close() {
      closed = true;
      for (const waiter of waiting.splice(0)) waiter.reject(closedError());
      const stopping = idle.splice(0);
      live -= stopping.length;
      await Promise.all(stopping.map((slot) => slot.instance.terminate().catch(() => undefined)));
    },
  };
}

/** The first line of an error text, for messages. */
export function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0]!;
}

/** The error of a job that overran its time limit, whichever kind of instance ran it. */
export function jobTimedOut(job: FFmpegJob): StillframeError {
  return timeoutError(`decode exceeded its time limit of ${job.timeoutMs} ms`);
}
