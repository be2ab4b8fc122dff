/**
 * The runtime-neutral decode engine: ffmpeg.wasm instances in the calling thread, for runtimes
 * that have no workers (Cloudflare workerd and other edge runtimes) or where a worker is not
 * wanted. It imports nothing from any runtime; the caller says how to make a core.
 *
 * What it cannot do, compared with the worker runners (be honest with users about these):
 * - Decoding blocks the calling thread for the length of each `exec` (tens of milliseconds for
 *   a thumbnail, more for large pictures).
 * - The time limit is soft. Synchronous wasm cannot be interrupted from outside, so the limit
 *   is the core's own (`setTimeout(ms)`): ffmpeg checks its clock between packets of its
 *   transcode loop and stops there. A decode stuck anywhere else — opening or probing the
 *   input, one enormous packet, or an instance spinning after a wasm trap (seen: over ten
 *   minutes at 100% CPU) — is not stopped, and blocks the thread until the runtime's own limit
 *   (an edge runtime's CPU limit) ends it.
 * The instance policy is the shared one (`instance-pool.ts`): an instance that timed out or
 * crashed is dropped, instances are retired after a fixed number of jobs, and a crashed job is
 * retried once on a fresh instance.
 */
import { StillframeError } from '../src/errors.js';
import type { FFmpegJob, FFmpegResult, FFmpegRunner } from '../src/engine/ffmpeg-runner.js';
import { createInstancePool, firstLine, jobTimedOut, type EngineInstance } from './instance-pool.js';

/** The part of an `@ffmpeg/core` 0.12 instance the engine uses. */
export interface FFmpegCore {
  exec(...args: string[]): number;
  /** Time limit of the next `exec`, in ms (-1: none); checked by ffmpeg between packets. */
  setTimeout(ms: number): void;
  setLogger(logger: (entry: { type: string; message: string }) => void): void;
  /** Clears the exit code and the time limit after an `exec`. */
  reset(): void;
  readonly FS: {
    writeFile(path: string, data: Uint8Array): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
  };
}

/** `@ffmpeg/core`'s default export: `createFFmpegCore(moduleOverrides)`. */
export type CreateFFmpegCore = (overrides: {
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ) => object;
  wasmBinary?: ArrayBuffer | Uint8Array;
}) => Promise<FFmpegCore>;

/** Options of {@link createInProcessRunner}. */
export interface InProcessRunnerOptions {
  /** Makes a fresh core instance (see {@link coreFromModule} for the usual way). */
  readonly createCore: () => Promise<FFmpegCore>;
}

/**
 * The core is an Emscripten build for Web Workers: it needs a global `self` with a `location`
 * (it reads `self.location.href` only to locate its files, which `instantiateWasm` makes
 * unnecessary). Workers and browsers have both; Node's and workerd's main scopes lack one or
 * the other. Defines only what is missing.
 */
function provideWorkerGlobals(href: string): void {
  const scope = globalThis as { self?: { location?: unknown } };
  scope.self ??= globalThis as { location?: unknown };
  if (!scope.self.location) {
    Object.defineProperty(scope.self, 'location', { value: { href }, configurable: true, writable: true });
  }
}

/**
 * A `createCore` for {@link createInProcessRunner} from the core's factory (the default export
 * of `@ffmpeg/core`) and its wasm compiled once (`WebAssembly.compile`, or the precompiled
 * `WebAssembly.Module` an edge runtime hands over): each instance instantiates that module, so
 * nothing is compiled at run time after the first.
 */
export function coreFromModule(createFFmpegCore: CreateFFmpegCore, wasmModule: WebAssembly.Module): () => Promise<FFmpegCore> {
  return () => {
    provideWorkerGlobals('file:///ffmpeg-core.js');
    return createFFmpegCore({
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
        return {};
      },
    });
  };
}

function removeQuietly(core: FFmpegCore, path: string): void {
  try {
    core.FS.unlink(path);
  } catch {
    // Absent already: nothing to clean.
  }
}

/** One core instance in this thread; the same job steps as the worker body (`ffmpeg-worker.mjs`). */
function inProcessInstance(core: FFmpegCore): EngineInstance {
  let log: string[] = [];
  core.setLogger(({ message }) => log.push(message));
  return {
    async run(job: FFmpegJob): Promise<FFmpegResult> {
      log = [];
      const started = Date.now();
      let exitCode: number;
      let output: Uint8Array | undefined;
      try {
        for (const input of job.inputs) core.FS.writeFile(input.path, input.data);
        core.setTimeout(job.timeoutMs);
        exitCode = core.exec(...job.args);
        try {
          output = core.FS.readFile(job.outputPath);
        } catch {
          output = undefined;
        }
        core.reset();
        for (const input of job.inputs) removeQuietly(core, input.path);
        removeQuietly(core, job.outputPath);
      } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        throw new StillframeError('engine-crashed', `decode engine crashed: ${firstLine(text)}`, { cause: error });
      }
      // The core's limit ends the run like a failure (exit code 1, "Conversion failed!"): a
      // failed run that lasted the whole limit was stopped by it.
      if (exitCode !== 0 && Date.now() - started >= job.timeoutMs) {
        throw jobTimedOut(job);
      }
      return { exitCode, output, log };
    },
    // Dropping the last reference frees the instance's heap.
    async terminate() {},
  };
}

/**
 * Creates a runner that decodes in the calling thread, one job at a time on one instance. See
 * the module comment for its soft time limit.
 */
export function createInProcessRunner(options: InProcessRunnerOptions): FFmpegRunner {
  return createInstancePool({
    capacity: 1,
    spawn: async () => inProcessInstance(await options.createCore()),
  });
}
