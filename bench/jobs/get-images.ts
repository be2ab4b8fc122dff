/**
 * Jobs 1 and 2: 100 JPEGs (quality 80) 3 s apart (0, 3, …, 297 s) from the 300 s 1080p file, at
 * the original size (job 1) or 320 px wide (job 2), by each contestant:
 * - stillframe: `KinesisVideoArchivedMedia.getImages` over a one-fragment catalog;
 * - native ffmpeg: one process per image, one after the other;
 * - naive ffmpeg.wasm: one instance, the whole file in MEMFS, one exec per image.
 * Each contestant runs in its own child process per run; the table shows medians over runs.
 */
import { median } from '../measure.js';
import type { GetImagesParams } from '../peers/stillframe.js';
import { makeRow, type JobResult } from '../results.js';
import { evenHeightFor, type SeriesParams, type SeriesResult } from '../types.js';
import { compactRuns, forEachRun, medianCell, okNote, runSeries, type JobContext } from './common.js';

/** Which of the two jobs. */
export interface GetImagesVariant {
  readonly id: 'job1' | 'job2';
  /** Output width; absent for the original size. */
  readonly width?: number;
}

/** A generous limit for one contestant's run: none should come near it. */
const childTimeoutMs = (images: number) => 120_000 + images * 5_000;

/** Runs the job and summarises it as table rows. */
export async function getImagesJob(ctx: JobContext, variant: GetImagesVariant): Promise<JobResult> {
  const { options, clip } = ctx;
  const timesS = Array.from({ length: options.images }, (_, i) => (i * options.intervalMs) / 1000);
  const outWidth = variant.width ?? clip.width;
  const outHeight = variant.width === undefined ? clip.height : evenHeightFor(variant.width, clip);
  const series: SeriesParams = {
    input: clip.path,
    timesS,
    ...(variant.width === undefined ? {} : { width: variant.width }),
    outWidth,
    outHeight,
    quality: options.quality,
    qscale: options.qscale,
    scratchDir: ctx.scratchDir,
  };
  // GetImages takes WidthPixels only together with HeightPixels: both, as the exact size the
  // other contestants produce (scale=320:-2).
  const getImages: GetImagesParams = {
    input: clip.path,
    count: options.images,
    intervalMs: options.intervalMs,
    ...(variant.width === undefined ? {} : { widthPixels: outWidth, heightPixels: outHeight }),
    quality: options.quality,
  };

  const timeoutMs = childTimeoutMs(options.images);
  const runs = await forEachRun(options.runs, ['stillframe', 'native', 'naive'], (peer) =>
    peer === 'stillframe'
      ? runSeries(peer, 'stillframe-getimages', { ...getImages, timesS }, timeoutMs)
      : runSeries(peer, peer === 'native' ? 'native-series' : 'naive-series', series, timeoutMs),
  );

  const wall = (results: SeriesResult[]) => medianCell(results.map((r) => r.wallMs), okNote(results));
  const meanJpeg = (results: SeriesResult[]) => medianCell(results.map((r) => (r.ok > 0 ? r.bytesOut / r.ok : null)));
  const size = variant.width === undefined ? `${outWidth}×${outHeight} (original)` : `${outWidth}×${outHeight}`;
  const rows = [
    makeRow(
      `wall time, ${options.images} JPEGs q${options.quality} ${size}`,
      'ms',
      { stillframe: wall(runs.stillframe), native: wall(runs.native), naive: wall(runs.naive) },
      variant.id === 'job1' ? '≤ 0.5× native and ≤ 0.3× naive' : '',
      variant.id === 'job1' ? ({ ratioNative, ratioNaive }) => (ratioNative === null || ratioNaive === null ? null : ratioNative <= 0.5 && ratioNaive <= 0.3) : undefined,
    ),
    makeRow('images with content', 'images', {
      stillframe: medianCell(runs.stillframe.map((r) => r.ok), okNote(runs.stillframe)),
      native: medianCell(runs.native.map((r) => r.ok), okNote(runs.native)),
      naive: medianCell(runs.naive.map((r) => r.ok), okNote(runs.naive)),
    }),
    makeRow('peak RSS', 'MB', {
      stillframe: medianCell(runs.stillframe.map((r) => r.peakRssMB), 'Node process incl. worker threads'),
      native: medianCell(runs.native.map((r) => r.peakRssMB), 'largest ffmpeg process'),
      naive: medianCell(runs.naive.map((r) => r.peakRssMB), 'Node process'),
    }),
    makeRow('mean JPEG size', 'bytes', { stillframe: meanJpeg(runs.stillframe), native: meanJpeg(runs.native), naive: meanJpeg(runs.naive) }),
  ];
  const nativeCommand = String(runs.native[0]?.extra?.command ?? '');
  return {
    id: variant.id,
    title: variant.width === undefined ? 'GetImages, original size' : `GetImages, ${variant.width} px wide`,
    description:
      `${options.images} JPEGs, ${options.intervalMs / 1000} s apart from 0 s, of the ${clip.durationS} s ${clip.width}×${clip.height} file, at ${size}. ` +
      `stillframe: getImages (PRODUCER_TIMESTAMP, SamplingInterval ${options.intervalMs}, JPEGQuality '${options.quality}'` +
      `${variant.width === undefined ? '' : `, WidthPixels ${outWidth} + HeightPixels ${outHeight}`}, MaxResults 100, following NextToken). ` +
      `Native: \`${nativeCommand}\` per image, sequentially. Naive wasm: one instance, whole file in MEMFS, one exec per image, jpeg-js at ${options.quality}.`,
    status: 'measured',
    rows,
    notes: [
      `Median of ${options.runs} run(s); each contestant runs in a fresh child process per run. Wall time covers everything after module import: engine start, indexing / loading the file, every image.`,
      `Naive wasm setup (core instantiation + file into MEMFS), median: ${Math.round(median(runs.naive.map((r) => r.setupMs)))} ms, included in its wall time.`,
      `JPEG encoders differ: native ffmpeg's mjpeg at -q:v ${options.qscale} (4:2:0), jpeg-js at quality ${options.quality} for naive wasm (4:4:4), stillframe's own encodeJpeg at ${options.quality}: compare the mean sizes.`,
    ],
    details: { params: { series, getImages }, runs: compactRuns(runs) },
  };
}
