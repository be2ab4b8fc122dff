/**
 * What the jobs share: their context (options, media, scratch space), running a peer's series
 * task in a child process (with a record even when the child dies), and summarising runs.
 */
import { join } from 'node:path';
import type { MediaFile } from '../media.js';
import { median, runChild } from '../measure.js';
import type { BenchOptions } from '../options.js';
import { absent, cell, type Cell } from '../results.js';
import { evenHeightFor, outcomeTotals, type ImageOutcome, type PeerName, type SeriesParams, type SeriesResult } from '../types.js';

/** Everything a job needs. */
export interface JobContext {
  readonly options: BenchOptions;
  /** The generated clip (300 s, or 30 s with --quick). */
  readonly clip: MediaFile;
  /** Scratch directory for outputs (under .cache/bench). */
  readonly scratchDir: string;
}

/** The child entry for TypeScript tasks. */
export const CHILD_SCRIPT = join('bench', 'child.ts');

/** The series of one thumbnail per time from `file` (jobs 3–5): the run's width, quality and scratch folder. */
export function thumbnailSeries(ctx: JobContext, file: MediaFile, timesS: readonly number[]): SeriesParams {
  const { options } = ctx;
  return {
    input: file.path,
    timesS,
    width: options.thumbWidth,
    outWidth: options.thumbWidth,
    outHeight: evenHeightFor(options.thumbWidth, file),
    quality: options.quality,
    qscale: options.qscale,
    scratchDir: ctx.scratchDir,
  };
}

/**
 * Runs `task` of `peer` in a fresh child and returns its result. When the child dies or runs out
 * of time, the result is rebuilt from the images it reported so far (partials), the others
 * counted as failed with the reason — a failure is a number in the table, never a crash of the
 * benchmark.
 */
export async function runSeries<P extends { readonly timesS: readonly number[] }>(
  peer: PeerName,
  task: string,
  params: P,
  timeoutMs: number,
): Promise<SeriesResult> {
  const outcome = await runChild<SeriesResult, ImageOutcome>({ script: CHILD_SCRIPT, args: [task, JSON.stringify(params)], tsx: true, timeoutMs });
  if (outcome.result) return outcome.result;
  const why = outcome.timedOut
    ? `child killed after ${Math.round(timeoutMs / 1000)} s`
    : `child exited with ${outcome.exitCode}: ${outcome.stderrTail.trim().split('\n').pop() ?? ''}`.slice(0, 160);
  process.stderr.write(`[bench] ${peer} ${task}: ${why}\n`);
  const images: ImageOutcome[] = params.timesS.map(
    (timeS, i) => outcome.partials[i] ?? { timeS, ok: false, ms: 0, bytes: 0, error: why },
  );
  return {
    peer,
    wallMs: outcome.wallMs,
    setupMs: 0,
    ...outcomeTotals(images),
    peakRssMB: null,
    extra: { childFailure: why },
  };
}

/** Runs `measure` once per run, for each peer, rotating their order every run (so no peer always goes first). */
export async function forEachRun<T>(
  runs: number,
  peers: readonly PeerName[],
  measure: (peer: PeerName, run: number) => Promise<T>,
): Promise<Record<PeerName, T[]>> {
  const results = { stillframe: [], native: [], naive: [] } as Record<PeerName, T[]>;
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(i + run) % peers.length]!;
      process.stderr.write(`[bench]   run ${run + 1}/${runs}: ${peer}\n`);
      results[peer].push(await measure(peer, run));
    }
  }
  return results;
}

/** The median of a number taken from each run, as a cell (null when no run has it). */
export function medianCell(values: ReadonlyArray<number | null | undefined>, note?: string): Cell {
  const present = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return present.length === 0 ? absent(note ?? 'no data') : cell(median(present), note);
}

/** "97/100 ok (ret -1: 3)": the worst run's success count and why images failed. */
export function okNote(results: readonly SeriesResult[]): string {
  const worst = results.reduce((a, b) => (b.ok < a.ok ? b : a));
  const total = worst.ok + worst.failed;
  const reasons = Object.entries(worst.failures).map(([reason, n]) => `${reason}: ${n}`);
  return `${worst.ok}/${total} ok${reasons.length ? ` (${reasons.join('; ')})` : ''}${results.length > 1 ? ', worst run' : ''}`;
}

/**
 * A run's result as kept in results.json: the totals, per-image latencies rounded to 0.1 ms (when
 * the peer has them) and the failed images with their reasons — not every image's record, which
 * would make the file hundreds of kilobytes.
 */
export function compactRun(result: SeriesResult | undefined): unknown {
  if (!result) return null;
  const { images, ...totals } = result;
  const timed = images.some((image) => image.ms > 0);
  return {
    ...totals,
    ...(timed ? { imageMs: images.map((image) => Math.round(image.ms * 10) / 10) } : {}),
    failedImages: images.filter((image) => !image.ok).map(({ timeS, error }) => ({ timeS, error })),
  };
}

/** {@link compactRun} for every run of every peer. */
export function compactRuns(runs: Partial<Record<PeerName, ReadonlyArray<SeriesResult | undefined>>>): unknown {
  return Object.fromEntries(Object.entries(runs).map(([peer, list]) => [peer, (list ?? []).map(compactRun)]));
}
