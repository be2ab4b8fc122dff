/**
 * Peer (b): naive ffmpeg.wasm, the way most people first use it — ONE `@ffmpeg/core` 0.12
 * instance in the calling thread, the whole file written into its MEMFS, then one `exec` per
 * image with input seeking and raw RGBA out, encoded with jpeg-js:
 *
 *   exec('-ss', T, '-i', '/in.mp4', '-frames:v', '1', [-vf scale=W:-2,] '-f', 'rawvideo', '-pix_fmt', 'rgba', '/out.raw')
 *
 * (`@ffmpeg/ffmpeg`, the wrapper, refuses to run in Node; this is what its worker does with the
 * core: `setTimeout`, `exec`, `ret`, `reset`.) Failures are recorded, not hidden: a non-zero
 * `ret` or a wrong-sized output fails that image; a wasm trap (an exception out of `exec`; an
 * instance traps on about its 100th exec) fails that image, and since a trapped instance may
 * spin at 100% CPU on its next `exec` (seen: over 10 minutes), the remaining images are counted
 * as failed without being tried — a real naive script would hang there instead.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import jpeg from 'jpeg-js';
import { now, peakRssMB, reportPartial } from '../measure.js';
import { outcomeTotals, type ImageOutcome, type SeriesParams, type SeriesResult } from '../types.js';

/** The part of an `@ffmpeg/core` instance the naive recipe uses. */
interface NaiveCore {
  exec(...args: string[]): number;
  setTimeout(ms: number): void;
  reset(): void;
  readonly ret: number;
  readonly FS: { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
}

/** Soft limit of one exec (the core checks it between packets); far above any real image. */
const EXEC_TIMEOUT_MS = 60_000;

/** The core's files: its ES module and its wasm, from the project's `@ffmpeg/core`. */
function coreFiles(): { moduleUrl: string; wasmPath: string } {
  // The package maps `require` to its UMD build; the ES module build sits beside it.
  const dist = dirname(dirname(createRequire(import.meta.url).resolve('@ffmpeg/core')));
  return { moduleUrl: pathToFileURL(join(dist, 'esm', 'ffmpeg-core.js')).href, wasmPath: join(dist, 'esm', 'ffmpeg-core.wasm') };
}

/**
 * Creates one core in this thread: the Emscripten worker build needs `self` and
 * `self.location.href` (only to locate files, which `wasmBinary` makes unnecessary).
 */
async function createCore(): Promise<NaiveCore> {
  const scope = globalThis as { self?: { location?: unknown } };
  scope.self ??= globalThis as { location?: unknown };
  const { moduleUrl, wasmPath } = coreFiles();
  if (!scope.self.location) Object.defineProperty(scope.self, 'location', { value: { href: moduleUrl }, configurable: true });
  const { default: createFFmpegCore } = (await import(moduleUrl)) as { default: (options: object) => Promise<NaiveCore> };
  return createFFmpegCore({ wasmBinary: await readFile(wasmPath) });
}

/** One image on the instance; throws only when the instance trapped. */
function naiveStill(core: NaiveCore, timeS: number, params: SeriesParams): ImageOutcome {
  const started = now();
  core.setTimeout(EXEC_TIMEOUT_MS);
  core.exec(
    '-ss', String(timeS), '-i', '/in.mp4', '-frames:v', '1',
    ...(params.width === undefined ? [] : ['-vf', `scale=${params.width}:-2`]),
    '-f', 'rawvideo', '-pix_fmt', 'rgba', '/out.raw',
  );
  const ret = core.ret;
  core.reset();
  let raw: Uint8Array | undefined;
  try {
    raw = core.FS.readFile('/out.raw');
    core.FS.unlink('/out.raw');
  } catch {
    raw = undefined;
  }
  const fail = (error: string): ImageOutcome => ({ timeS, ok: false, ms: now() - started, bytes: 0, error });
  if (ret !== 0) return fail(`ret ${ret}`);
  if (!raw || raw.byteLength !== params.outWidth * params.outHeight * 4) return fail(`raw output of ${raw?.byteLength ?? 0} bytes`);
  const encoded = jpeg.encode({ width: params.outWidth, height: params.outHeight, data: raw }, params.quality);
  return { timeS, ok: true, ms: now() - started, bytes: encoded.data.byteLength };
}

/**
 * The series task of this peer. `setupMs` is the instance's creation plus reading the file and
 * writing it into MEMFS; each image is reported as a partial as soon as it is done, so that a
 * hang still leaves a record.
 *
 * @param warmUpS When given, one untimed image at this time first (for warm-latency jobs).
 */
export async function naiveSeries(params: SeriesParams, warmUpS?: number): Promise<SeriesResult> {
  const started = now();
  const core = await createCore();
  core.FS.writeFile('/in.mp4', await readFile(params.input));
  if (warmUpS !== undefined) naiveStill(core, warmUpS, params);
  const setupMs = now() - started;

  const images: ImageOutcome[] = [];
  let trapped: string | undefined;
  for (const timeS of params.timesS) {
    let outcome: ImageOutcome;
    if (trapped !== undefined) {
      outcome = { timeS, ok: false, ms: 0, bytes: 0, error: `not tried: the instance trapped earlier (${trapped})` };
    } else {
      const imageStarted = now();
      try {
        outcome = naiveStill(core, timeS, params);
      } catch (error) {
        trapped = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 120);
        outcome = { timeS, ok: false, ms: now() - imageStarted, bytes: 0, error: `trap: ${trapped}` };
      }
    }
    images.push(outcome);
    reportPartial(outcome);
  }
  const wallMs = now() - started;
  return {
    peer: 'naive',
    wallMs,
    setupMs,
    ...outcomeTotals(images),
    peakRssMB: peakRssMB(),
    extra: { execsBeforeTrap: trapped === undefined ? null : images.findIndex((image) => image.error?.startsWith('trap')) + 1 + (warmUpS === undefined ? 0 : 1) },
  };
}
