/**
 * Job 3: one thumbnail at a time with a warm engine — the latency a scrubbing UI or a thumbnail
 * service sees once running. 30 seeded random times; for each, a 320 px wide JPEG (q80) of the
 * closest frame:
 * - stillframe: core API on an already-open file, engine warmed by one untimed thumbnail;
 * - native ffmpeg: one process per thumbnail (it has no warm state to keep);
 * - naive wasm: one warm instance with the whole file already in MEMFS (for reference).
 * Per run, the median and p95 of the per-thumbnail latencies; the table shows their medians over runs.
 */
import { percentile, median } from '../measure.js';
import { randomTimes } from '../prng.js';
import { makeRow, type JobResult } from '../results.js';
import type { SeriesResult } from '../types.js';
import { compactRuns, forEachRun, medianCell, okNote, runSeries, thumbnailSeries, type JobContext } from './common.js';

/** Runs the job and summarises it as table rows. */
export async function warmThumbnailJob(ctx: JobContext): Promise<JobResult> {
  const { options, clip } = ctx;
  // Up to 1 s before the end, so that every time has a frame at or after it for native's -ss.
  const timesS = randomTimes(options.warmTimes, clip.durationS - 1, options.seed);
  const params = thumbnailSeries(ctx, clip, timesS);
  const timeoutMs = 120_000 + timesS.length * 10_000;
  const runs = await forEachRun(options.runs, ['stillframe', 'native', 'naive'], (peer) =>
    peer === 'stillframe'
      ? runSeries(peer, 'stillframe-warm', params, timeoutMs)
      : peer === 'native'
        ? runSeries(peer, 'native-series', params, timeoutMs)
        : runSeries(peer, 'naive-series', { ...params, warmUpS: 0 }, timeoutMs),
  );

  const latencies = (result: SeriesResult) => result.images.filter((image) => image.ok).map((image) => image.ms);
  const stat = (results: SeriesResult[], pick: (ms: number[]) => number) =>
    medianCell(results.map((r) => (latencies(r).length > 0 ? pick(latencies(r)) : null)), okNote(results));
  const p95 = (ms: number[]) => percentile(ms, 95);
  const rows = [
    makeRow(
      `median latency, one ${params.outWidth}×${params.outHeight} JPEG, warm`,
      'ms',
      { stillframe: stat(runs.stillframe, median), native: stat(runs.native, median), naive: stat(runs.naive, median) },
      'median ≤ native single-image median',
      ({ ratioNative }) => (ratioNative === null ? null : ratioNative <= 1),
    ),
    makeRow(`p95 latency (nearest rank of ${timesS.length})`, 'ms', {
      stillframe: stat(runs.stillframe, p95),
      native: stat(runs.native, p95),
      naive: stat(runs.naive, p95),
    }),
  ];
  return {
    id: 'job3',
    title: 'One thumbnail, warm engine',
    description: `${timesS.length} random times (mulberry32, seed ${options.seed}) in [0, ${clip.durationS - 1}) s; each a ${params.outWidth}×${params.outHeight} JPEG q${options.quality} of the closest frame, timed alone.`,
    status: 'measured',
    rows,
    notes: [
      'stillframe: openVideoFile + extractFrame({ mode: "closest", size: 320 wide }) + encodeJpeg(80) on an open file, engine warmed by one untimed thumbnail (frame 0).',
      'Native: one ffmpeg process per thumbnail (process start included: that is its single-image time).',
      'Naive wasm: one instance warmed by one untimed exec, the whole file already in MEMFS (its load time excluded).',
    ],
    details: { timesS, runs: compactRuns(runs) },
  };
}
