/**
 * Side experiment: where stillframe's time goes in job 1 (100 full-size JPEGs). Not a row of the
 * table: a section of RESULTS.md. One run in a fresh child (see `breakdownTask` in
 * `peers/stillframe.ts` for how each part is timed).
 */
import type { JobContext } from './common.js';
import { CHILD_SCRIPT } from './common.js';
import { median, runChild } from '../measure.js';
import type { Breakdown } from '../peers/stillframe.js';
import type { JobResult } from '../results.js';

/** Runs the experiment once. */
export async function breakdownJob(ctx: JobContext): Promise<JobResult> {
  const { options, clip } = ctx;
  const params = { input: clip.path, count: options.images, intervalMs: options.intervalMs, quality: options.quality };
  const outcome = await runChild<Breakdown & { peakRssMB: number }>({
    script: CHILD_SCRIPT,
    args: ['stillframe-breakdown', JSON.stringify(params)],
    tsx: true,
    timeoutMs: 120_000 + options.images * 5_000,
  });
  const b = outcome.result;
  if (!b) {
    return { id: 'breakdown', title: 'Where job 1 time goes', description: 'failed', status: 'failed', rows: [], notes: [outcome.stderrTail.trim()] };
  }
  const [firstJob, ...laterJobs] = b.engineJobMs;
  const part = (ms: number) => `${(ms / 1000).toFixed(2)} s (${((100 * ms) / b.totalMs).toFixed(0)}%)`;
  return {
    id: 'breakdown',
    title: 'Where job 1 time goes (stillframe)',
    description:
      `Core API, the job-1 batch (${b.images} full-size JPEGs q${options.quality} + base64, frames on screen at the sampling points), ` +
      'source and engine wrapped in timers; one run.',
    status: 'measured',
    rows: [],
    notes: [
      `Total ${part(b.totalMs)}.`,
      `Open + index: ${part(b.openMs)}.`,
      `Sample reads (after the index): ${part(b.readBusyMs)}; ${b.reads} reads, ${(b.bytesRead / 1e6).toFixed(1)} MB in all (index included).`,
      `Engine (wasm decode in the worker + transfers): ${part(b.engineBusyMs)}; ${b.engineJobs} jobs (one per GOP), ${(b.engineInBytes / 1e6).toFixed(1)} MB in, ${(b.engineOutBytes / 1e6).toFixed(1)} MB of raw pictures out. ` +
        `The first job, which also starts the instance (worker thread, wasm), took ${Math.round(firstJob ?? NaN)} ms; the others ${laterJobs.length ? Math.round(median(laterJobs)) : '—'} ms each (median).`,
      `JPEG encoding (encodeJpeg) + base64: ${part(b.encodeMs)}, ${(b.encodeMs / Math.max(1, b.images)).toFixed(0)} ms per image.`,
      `Other — none of the above busy (TypeScript YUV→RGBA and resampling, planning, sync checks, scheduling): ${part(b.otherMs)}.`,
      `Overlap: the phases above ran at the same time for ${part(b.overlapMs)} (the engine decodes in a worker thread while the main thread may encode), so the parts add up to more than the total by that much.`,
      `Peak RSS of this child: ${b.peakRssMB.toFixed(0)} MB.`,
    ],
    details: b,
  };
}
