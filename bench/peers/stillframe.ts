/**
 * Our side: stillframe through its public Node entry (`src/index.ts`) only — the benchmark must
 * keep working while the internals change. The module is imported lazily inside each task, so
 * that a child running another peer never loads it.
 */
import type { ExtractedFrame, FFmpegJob, FFmpegRunner, ByteSource } from '../../src/index.js';
import { now, peakRssMB } from '../measure.js';
import { evenHeightFor, outcomeTotals, type ImageOutcome, type SeriesParams, type SeriesResult } from '../types.js';

const stillframe = () => import('../../src/index.js');

/** Where the one-fragment catalog places the file's first frame (any fixed instant will do). */
const EPOCH_MS = Date.parse('2026-01-01T00:00:00Z');

/** Parameters of the GetImages task (jobs 1 and 2). */
export interface GetImagesParams {
  readonly input: string;
  /** Sampling points: `count` of them, `intervalMs` apart, from the file's start. */
  readonly count: number;
  readonly intervalMs: number;
  /** Both or neither (GetImages accepts `WidthPixels` only together with `HeightPixels`). */
  readonly widthPixels?: number;
  readonly heightPixels?: number;
  readonly quality: number;
}

/**
 * The GetImages job: one stream, one fragment (the file), PRODUCER_TIMESTAMP sampling from the
 * fragment's start, following NextToken until done. Timed from creating the facade (module
 * import excluded; engine start, indexing and everything else included) to the last page.
 */
export async function getImagesTask(params: GetImagesParams): Promise<SeriesResult> {
  const { KinesisVideoArchivedMedia, closeSharedRunner } = await stillframe();
  const started = now();
  const kvam = new KinesisVideoArchivedMedia({
    catalog: { streams: [{ name: 'bench', fragments: [{ source: params.input, producerStartTime: new Date(EPOCH_MS) }] }] },
  });
  const images: ImageOutcome[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await kvam.getImages({
      StreamName: 'bench',
      ImageSelectorType: 'PRODUCER_TIMESTAMP',
      StartTimestamp: new Date(EPOCH_MS),
      EndTimestamp: new Date(EPOCH_MS + (params.count - 1) * params.intervalMs),
      SamplingInterval: params.intervalMs,
      Format: 'JPEG',
      FormatConfig: { JPEGQuality: String(params.quality) },
      ...(params.widthPixels === undefined ? {} : { WidthPixels: params.widthPixels }),
      ...(params.heightPixels === undefined ? {} : { HeightPixels: params.heightPixels }),
      MaxResults: 100,
      NextToken: nextToken,
    });
    pages++;
    for (const image of page.Images ?? []) {
      const timeS = ((image.TimeStamp?.getTime() ?? EPOCH_MS) - EPOCH_MS) / 1000;
      images.push(
        image.ImageContent !== undefined
          ? { timeS, ok: true, ms: 0, bytes: Buffer.byteLength(image.ImageContent, 'base64') }
          : { timeS, ok: false, ms: 0, bytes: 0, error: image.Error ?? 'no content' },
      );
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  const wallMs = now() - started;
  await kvam.close();
  await closeSharedRunner();
  return {
    peer: 'stillframe',
    wallMs,
    setupMs: 0,
    // Per-image latencies do not exist here (a page decodes GOP by GOP): keep the outcomes only.
    ...outcomeTotals(images),
    peakRssMB: peakRssMB(),
    extra: { pages },
  };
}

/** `size` for extractFrame: `width` wide, the height keeping the aspect ratio (even). */
export const widthSize = (width: number) => (natural: { width: number; height: number }) => ({ width, height: evenHeightFor(width, natural) });

/**
 * Job 3, our side: one file opened, the engine warmed by one untimed thumbnail (of the first
 * frame), then one thumbnail per time, each timed alone: extractFrame (closest frame, `width`
 * wide) + encodeJpeg.
 */
export async function warmThumbnailsTask(params: SeriesParams): Promise<SeriesResult> {
  const { openVideoFile, openFileSource, encodeJpeg, closeSharedRunner } = await stillframe();
  const width = params.width ?? params.outWidth;
  const started = now();
  const video = await openVideoFile(await openFileSource(params.input));
  encodeJpeg(await video.extractFrame(0, { mode: 'closest', size: widthSize(width) }), params.quality);
  const setupMs = now() - started;
  const images: ImageOutcome[] = [];
  for (const timeS of params.timesS) {
    const imageStarted = now();
    try {
      const frame = await video.extractFrame(timeS * 1e6, { mode: 'closest', size: widthSize(width) });
      const jpeg = encodeJpeg(frame, params.quality);
      images.push({ timeS, ok: true, ms: now() - imageStarted, bytes: jpeg.byteLength });
    } catch (error) {
      images.push({ timeS, ok: false, ms: now() - imageStarted, bytes: 0, error: String((error as Error).message ?? error).slice(0, 120) });
    }
  }
  const wallMs = now() - started;
  await video.close();
  await closeSharedRunner();
  return {
    peer: 'stillframe',
    wallMs,
    setupMs,
    ...outcomeTotals(images),
    peakRssMB: peakRssMB(),
  };
}

/** Where the time of a job-1-like batch goes (see {@link breakdownTask}). */
export interface Breakdown {
  readonly images: number;
  readonly totalMs: number;
  /** openVideoFile: reading and parsing the index. */
  readonly openMs: number;
  /**
   * Time with at least one source read in flight after opening (reads overlap, so this is not
   * their sum; the index reads are in {@link openMs}).
   */
  readonly readBusyMs: number;
  readonly reads: number;
  readonly bytesRead: number;
  /** Time with an engine job in flight: the wasm decode in its worker, plus the transfers. */
  readonly engineBusyMs: number;
  readonly engineJobs: number;
  /** Each engine job's time, in order: the first includes starting the instance (worker + wasm). */
  readonly engineJobMs: readonly number[];
  /** Bytes handed to the engine and raw picture bytes it handed back. */
  readonly engineInBytes: number;
  readonly engineOutBytes: number;
  /** encodeJpeg + base64 (what GetImages adds per image). */
  readonly encodeMs: number;
  /**
   * Time after opening during which reads, the engine and encoding were all idle: planning,
   * sync-sample checks, YUV→RGBA and resampling in TypeScript, scheduling.
   */
  readonly otherMs: number;
  /**
   * How much the phases ran at the same time (the sum of the three busy times minus the time
   * any of them was busy): the engine decodes in a worker thread while the main thread may
   * encode the previous pass's frames.
   */
  readonly overlapMs: number;
}

/** A clock of busy time (see {@link busyClock}). */
interface BusyClock {
  enter(): void;
  leave(): void;
  track<T>(work: () => Promise<T>): Promise<T>;
  readonly busyMs: number;
}

/**
 * Adds up the time during which at least one of some possibly overlapping operations is in
 * flight. `parent`, when given, is told too, so that a clock over all phases sees their union.
 */
function busyClock(parent?: BusyClock): BusyClock {
  let inFlight = 0;
  let since = 0;
  let busyMs = 0;
  const clock: BusyClock = {
    enter(): void {
      parent?.enter();
      if (inFlight++ === 0) since = now();
    },
    leave(): void {
      if (--inFlight === 0) busyMs += now() - since;
      parent?.leave();
    },
    async track<T>(work: () => Promise<T>): Promise<T> {
      clock.enter();
      try {
        return await work();
      } finally {
        clock.leave();
      }
    },
    get busyMs() {
      return busyMs;
    },
  };
  return clock;
}

/**
 * A side experiment, not a peer: the job-1 batch (frames on screen at the sampling points, full
 * size, JPEG at `quality`, base64) through the core API with the source and the engine wrapped
 * in timers, to tell decoding from encoding from the TypeScript pixel work. Uses only public
 * API: `openVideoFile` with a `runner` (a wrapped `createNodeRunner()`), `extractFramesAs`.
 */
export async function breakdownTask(params: GetImagesParams): Promise<Breakdown & { peakRssMB: number }> {
  const { openVideoFile, openFileSource, encodeJpeg, createNodeRunner } = await stillframe();
  const inner = createNodeRunner();
  const anyPhase = busyClock();
  const engine = busyClock(anyPhase);
  const reading = busyClock(anyPhase);
  const encoding = busyClock(anyPhase);
  let engineJobs = 0;
  const engineJobMs: number[] = [];
  let engineInBytes = 0;
  let engineOutBytes = 0;
  const runner: FFmpegRunner = {
    run: (job: FFmpegJob) =>
      engine.track(async () => {
        engineJobs++;
        engineInBytes += job.inputs.reduce((sum, input) => sum + input.data.byteLength, 0);
        const jobStarted = now();
        const result = await inner.run(job);
        engineJobMs.push(now() - jobStarted);
        engineOutBytes += result.output?.byteLength ?? 0;
        return result;
      }),
    close: () => inner.close(),
  };
  const file = await openFileSource(params.input);
  let reads = 0;
  let bytesRead = 0;
  const source: ByteSource = {
    size: file.size,
    read: (offset, length) =>
      reading.track(async () => {
        reads++;
        const bytes = await file.read(offset, length);
        bytesRead += bytes.byteLength;
        return bytes;
      }),
    close: () => file.close(),
  };

  const started = now();
  const video = await openVideoFile(source, { runner });
  const openMs = now() - started;
  const atOpen = { reading: reading.busyMs, any: anyPhase.busyMs };
  const points = Array.from({ length: params.count }, (_, i) => i * params.intervalMs * 1000);
  // As GetImages does: the frame on screen at each point, each distinct frame decoded once.
  const shown = await Promise.all(points.map(async (us) => (await video.frameShownAt(us))?.timeUs));
  const frameTimes = [...new Set(shown.filter((t): t is number => t !== undefined))];
  const results = await video.extractFramesAs(frameTimes, { mode: 'closest' }, (frame: ExtractedFrame) => {
    encoding.enter();
    try {
      return Buffer.from(encodeJpeg(frame, params.quality)).toString('base64').length;
    } finally {
      encoding.leave();
    }
  });
  const totalMs = now() - started;
  await video.close();
  await runner.close();
  const readBusyMs = reading.busyMs - atOpen.reading;
  const anyBusyMs = anyPhase.busyMs - atOpen.any;
  return {
    images: results.filter((r) => typeof r === 'number').length,
    totalMs,
    openMs,
    readBusyMs,
    reads,
    bytesRead,
    engineBusyMs: engine.busyMs,
    engineJobs,
    engineJobMs,
    engineInBytes,
    engineOutBytes,
    encodeMs: encoding.busyMs,
    otherMs: totalMs - openMs - anyBusyMs,
    overlapMs: readBusyMs + engine.busyMs + encoding.busyMs - anyBusyMs,
    peakRssMB: peakRssMB(),
  };
}

/** Parameters of the decode-statistics task (job 6). */
export interface DecodeStatsParams {
  readonly input: string;
  /** Times of the targets, in seconds: the frame on screen at each is extracted. */
  readonly timesS: readonly number[];
  readonly quality: number;
}

/** What the decode-statistics task reports. */
export interface DecodeStatsResult {
  /** `VideoFile.decodeStats` after the one batch: passes, samples handed to the engine, samples left out. */
  readonly stats: { readonly passes: number; readonly samples: number; readonly skipped: number };
  /** Per time, the presentation time of the frame extracted, µs (null when that item failed). */
  readonly frameTimesUs: ReadonlyArray<number | null>;
  readonly ok: number;
  readonly failed: number;
  readonly wallMs: number;
}

/**
 * Job 6, our side: a fresh `openVideoFile`, the frame on screen at each time (`frameShownAt`,
 * as GetImages picks it), one `extractJpegs` call at the original size for all of them, as job 1
 * does — then `decodeStats`, which counts every sample handed to the engine.
 */
export async function decodeStatsTask(params: DecodeStatsParams): Promise<DecodeStatsResult> {
  const { openVideoFile, openFileSource, closeSharedRunner } = await stillframe();
  const started = now();
  const video = await openVideoFile(await openFileSource(params.input));
  const shown = await Promise.all(params.timesS.map(async (timeS) => (await video.frameShownAt(Math.round(timeS * 1e6)))?.timeUs));
  const wanted = shown.filter((timeUs): timeUs is number => timeUs !== undefined);
  const results = await video.extractJpegs(wanted, { quality: params.quality });
  const wallMs = now() - started;
  const stats = { ...video.decodeStats };
  let next = 0;
  const frameTimesUs = shown.map((timeUs) => {
    if (timeUs === undefined) return null;
    const result = results[next++];
    return result && 'timeUs' in result ? result.timeUs : null;
  });
  await video.close();
  await closeSharedRunner();
  const ok = frameTimesUs.filter((t) => t !== null).length;
  return { stats, frameTimesUs, ok, failed: frameTimesUs.length - ok, wallMs };
}
