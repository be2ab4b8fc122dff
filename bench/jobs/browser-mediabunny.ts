/**
 * Job 7: job 2 (JPEGs q80 at 320×180, 3 s apart, from the benchmark clip) in headless Chromium,
 * stillframe's browser build against Mediabunny (`CanvasSink.canvasesAtTimestamps`, which
 * decodes with WebCodecs). Both run in the page `../browser/page.mjs` on the same file, loaded
 * as a Blob before the clock starts (same bytes, same in-memory source for both):
 * - stillframe: the built package's `dist/browser/` bundle (`test/package-build.ts`), its core
 *   batch API — `openVideoFile(blobSource(blob))` + one `extractJpegs` call; decoding runs in
 *   the bundle's Web Workers (ffmpeg.wasm);
 * - Mediabunny: its ESM bundle from node_modules, `Input` + `BlobSource` + `CanvasSink` +
 *   `canvasesAtTimestamps`, each canvas to a JPEG at quality 0.8.
 * Each run of each contestant gets a fresh page (cold engine or decoder), the order alternating
 * between runs; the table shows medians. Chromium is Debian's `chromium`, with the browser
 * tests' flags (`test/browser/chromium.ts`; no GPU). If WebCodecs cannot decode the clip there,
 * that is the result for Mediabunny, stated in the row, not a failure of the job.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../test/browser/chromium.js';
import { CHROMIUM_PATH } from '../../test/helpers/native.js';
import { serveSite, type Site } from '../../test/helpers/static-site.js';
import { builtPackage } from '../../test/package-build.js';
import { ROOT } from '../media.js';
import { median } from '../measure.js';
import { absent, makeRow, type Cell, type JobResult } from '../results.js';
import { evenHeightFor } from '../types.js';
import { medianCell, type JobContext } from './common.js';

const TITLE = 'Mediabunny in Chromium';
const CORE_DIR = join(ROOT, 'node_modules/@ffmpeg/core/dist/esm');
/** Mediabunny's self-contained ES module build (no imports), as a page can load it without a bundler. */
const MEDIABUNNY_ESM = join(ROOT, 'node_modules/mediabunny/dist/bundles/mediabunny.mjs');

/** The two contestants of the page. */
type Contestant = 'stillframe' | 'mediabunny';

/** One image as the page reports it. */
interface PageImage {
  readonly ok: boolean;
  readonly frameTimeS?: number;
  readonly bytes?: number;
  readonly width?: number;
  readonly height?: number;
  readonly error?: string;
}

/** What `benchPage.run` answers. */
interface PageRun {
  readonly name: Contestant;
  readonly blobBytes: number;
  /** From just after the module import to the last JPEG; null when the contestant could not decode at all. */
  readonly wallMs: number | null;
  /** Opening the file (stillframe: index; Mediabunny: input, track, canDecode). */
  readonly openMs: number;
  readonly images: readonly PageImage[];
  readonly extra: Record<string, unknown>;
}

/** What `benchPage.probe` answers: can WebCodecs decode the clip here? */
interface WebCodecsProbe {
  readonly available: boolean;
  readonly why?: string;
  readonly config?: { codec: string; codedWidth: number; codedHeight: number };
  readonly supported?: Record<string, boolean | string>;
}

/** A run as kept: the page's answer, or why there is none. */
type RunOutcome = { readonly run: PageRun; readonly pageErrors: readonly string[] } | { readonly error: string; readonly pageErrors: readonly string[] };

/** Chromium's version line, or undefined when it is not installed where the browser tests expect it. */
function chromiumVersion(): string | undefined {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).toString().trim();
  } catch {
    return undefined;
  }
}

/** The page, stillframe's browser bundle with the ffmpeg core beside it (its default location), Mediabunny, and the clip. */
function serve(distBrowser: string, clipPath: string): Promise<Site> {
  return serveSite({
    files: {
      '/': '<!doctype html><meta charset="utf-8"><title>stillframe bench: job 7</title><script type="module" src="/page.mjs"></script>',
      '/page.mjs': { path: join(ROOT, 'bench/browser/page.mjs') },
      '/mediabunny.mjs': { path: MEDIABUNNY_ESM },
      '/video.mp4': { path: clipPath },
      '/favicon.ico': '',
      '/dist/ffmpeg-core.js': { path: join(CORE_DIR, 'ffmpeg-core.js') },
      '/dist/ffmpeg-core.wasm': { path: join(CORE_DIR, 'ffmpeg-core.wasm') },
    },
    folders: { '/dist/': distBrowser },
  });
}

/**
 * Opens a fresh page of the site, waits for the page script, runs `work` in it with a time
 * limit (closing the page ends a hung evaluation), and closes the page. Never throws: an error
 * or a time-out is in the outcome, with the page's own errors.
 */
async function inFreshPage<T>(
  context: BrowserContext,
  url: string,
  timeoutMs: number,
  work: (page: Page) => Promise<T>,
): Promise<{ value?: T; error?: string; pageErrors: string[] }> {
  const pageErrors: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await page.goto(`${url}/`);
    await page.waitForFunction(() => (window as { benchPageReady?: boolean }).benchPageReady === true, undefined, { timeout: 30_000 });
    const limit = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`no answer after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    });
    const value = await Promise.race([work(page), limit]);
    return { value, pageErrors };
  } catch (error) {
    return { error: String((error as Error).message ?? error).split('\n')[0]!.slice(0, 200), pageErrors };
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
  }
}

/** Page-side calls (the page script's `window.benchPage`). */
const pageProbe = (videoUrl: string) => (window as unknown as { benchPage: { probe(u: string): Promise<WebCodecsProbe> } }).benchPage.probe(videoUrl);
const pageRun = ([name, params]: readonly [Contestant, Record<string, unknown>]) =>
  (window as unknown as { benchPage: { run(n: string, p: unknown): Promise<PageRun> } }).benchPage.run(name, params);

const okImages = (run: PageRun) => run.images.filter((image) => image.ok);

/** "100/100 ok" for the worst run, or why runs failed. */
function okNote(outcomes: readonly RunOutcome[], images: number): string {
  const runs = outcomes.flatMap((o) => ('run' in o ? [o.run] : []));
  const failed = outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
  const worst = runs.length ? Math.min(...runs.map((run) => okImages(run).length)) : 0;
  const reasons = [...new Set(runs.flatMap((run) => run.images.filter((image) => !image.ok).map((image) => image.error ?? 'unknown')))];
  return [
    runs.length ? `${worst}/${images} ok${outcomes.length > 1 ? ', worst run' : ''}${reasons.length ? ` (${reasons.slice(0, 2).join('; ')})` : ''}` : '',
    failed.length ? `${failed.length} run(s) failed: ${failed[0]}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** A quantity's median over the runs that have it. */
function stat(outcomes: readonly RunOutcome[], pick: (run: PageRun) => number | null, note?: string): Cell {
  const values = outcomes.flatMap((o) => ('run' in o ? [pick(o.run)] : []));
  return medianCell(values, note);
}

const meanJpegBytes = (run: PageRun) => {
  const ok = okImages(run);
  return ok.length ? ok.reduce((sum, image) => sum + (image.bytes ?? 0), 0) / ok.length : null;
};

/** Runs the job and summarises it as table rows. */
export async function mediabunnyJob(ctx: JobContext): Promise<JobResult> {
  const { options, clip } = ctx;
  const timesS = Array.from({ length: options.images }, (_, i) => (i * options.intervalMs) / 1000);
  const width = options.thumbWidth;
  const height = evenHeightFor(width, clip);
  const browserOnly = absent('n/a: browser only');
  const version = chromiumVersion();
  if (!version) {
    const why = `Chromium not found at ${CHROMIUM_PATH} (Debian's "chromium" package)`;
    return {
      id: 'job7',
      title: TITLE,
      description: `not run: ${why}.`,
      status: 'failed',
      rows: [makeRow('wall time in headless Chromium', 'ms', { stillframe: absent(why), native: browserOnly, naive: browserOnly }, '≤ 1.0× Mediabunny')],
      notes: [],
    };
  }

  process.stderr.write('[bench]   building the package (tsup; reused while src/ does not change)\n');
  const pkg = await builtPackage();
  const site = await serve(join(pkg.dir, 'dist/browser'), clip.path);
  const chromium = await launchChromium();
  const params = { videoUrl: '/video.mp4', timesS, width, height, quality: options.quality };
  const timeoutMs = 120_000 + options.images * 5_000;
  const outcomes: Record<Contestant, RunOutcome[]> = { stillframe: [], mediabunny: [] };
  let probe: WebCodecsProbe;
  try {
    const probed = await inFreshPage(chromium.context, site.url, 120_000, (page) => page.evaluate(pageProbe, params.videoUrl));
    probe = probed.value ?? { available: false, why: `the WebCodecs probe failed: ${probed.error} ${probed.pageErrors.join('; ')}`.trim() };
    // Without WebCodecs, Mediabunny cannot decode here: that is its result, and stillframe still runs.
    const contestants: Contestant[] = probe.available ? ['stillframe', 'mediabunny'] : ['stillframe'];
    for (let run = 0; run < options.runs; run++) {
      for (let i = 0; i < contestants.length; i++) {
        const name = contestants[(i + run) % contestants.length]!;
        process.stderr.write(`[bench]   run ${run + 1}/${options.runs}: ${name} in Chromium\n`);
        const outcome = await inFreshPage(chromium.context, site.url, timeoutMs, (page) => page.evaluate(pageRun, [name, params] as const));
        if (outcome.value && outcome.value.wallMs !== null) outcomes[name].push({ run: outcome.value, pageErrors: outcome.pageErrors });
        else {
          const error = outcome.error ?? `Mediabunny cannot decode ${String(outcome.value?.extra.codec)} here (track.canDecode() is false)`;
          process.stderr.write(`[bench] ${name} in Chromium: ${error} ${outcome.pageErrors.join('; ')}\n`);
          outcomes[name].push({ error, pageErrors: outcome.pageErrors });
        }
      }
    }
  } finally {
    await chromium.close();
    await site.close();
  }

  const ours = outcomes.stillframe;
  const theirs = outcomes.mediabunny;
  const noWebCodecs = probe.available ? undefined : absent(`not run: WebCodecs cannot decode the clip in this Chromium (${probe.why ?? 'unsupported'})`);
  const versus = (cell: Cell) => ({ name: 'Mediabunny', cell: noWebCodecs ?? cell });
  const rows = [
    makeRow(
      `wall time, ${timesS.length} JPEGs q${options.quality} ${width}×${height} in headless Chromium`,
      'ms',
      { stillframe: stat(ours, (run) => run.wallMs, okNote(ours, timesS.length)), native: browserOnly, naive: browserOnly },
      '≤ 1.0× Mediabunny',
      ({ ratioVersus }) => (ratioVersus === null ? null : ratioVersus <= 1),
      versus(stat(theirs, (run) => run.wallMs, okNote(theirs, timesS.length))),
    ),
    makeRow(
      'images with content',
      'images',
      { stillframe: stat(ours, (run) => okImages(run).length), native: browserOnly, naive: browserOnly },
      '',
      undefined,
      versus(stat(theirs, (run) => okImages(run).length)),
    ),
    makeRow(
      'mean JPEG size',
      'bytes',
      { stillframe: stat(ours, meanJpegBytes), native: browserOnly, naive: browserOnly },
      '',
      undefined,
      versus(stat(theirs, meanJpegBytes)),
    ),
  ];

  // Both must show the same frames, or the comparison is of different work.
  const firstRun = (list: RunOutcome[]) => list.flatMap((o) => ('run' in o ? [o.run] : []))[0];
  const a = firstRun(ours);
  const b = firstRun(theirs);
  const differing = a && b ? timesS.filter((_, i) => a.images[i]?.ok && b.images[i]?.ok && Math.abs(a.images[i]!.frameTimeS! - b.images[i]!.frameTimeS!) > 0.001) : [];
  const medianOf = (list: RunOutcome[], pick: (run: PageRun) => number) => {
    const values = list.flatMap((o) => ('run' in o ? [pick(o.run)] : []));
    return values.length ? `${Math.round(median(values))} ms` : '—';
  };
  const software = probe.supported?.['prefer-software'] === true && probe.supported['prefer-hardware'] === false;
  return {
    id: 'job7',
    title: TITLE,
    description:
      `Job 2 in headless Chromium: ${timesS.length} JPEGs at ${width}×${height}, quality ${options.quality}, of the frames on screen at ${timesS[0]}, ${timesS[1] ?? ''}, …, ${timesS.at(-1)} s of the ${clip.durationS} s ${clip.width}×${clip.height} file, ` +
      'the file loaded into a Blob before the clock starts (the same Blob source for both). ' +
      "stillframe: the built browser bundle's core batch API, `openVideoFile(blobSource(blob))` + one `extractJpegs(times, { quality, size })` call (decoding in its Web Workers, ffmpeg.wasm). " +
      'Mediabunny: `new Input({ source: new BlobSource(blob), formats: ALL_FORMATS })`, `new CanvasSink(track, { width, height, fit: "fill" })`, `canvasesAtTimestamps(times)`, each canvas to `image/jpeg` at 0.8 (WebCodecs decoding). ' +
      'Timed from just after the module import (engine or decoder start, indexing, decoding and encoding included) to the last JPEG; a fresh page per run.',
    status: ours.some((o) => 'run' in o) ? 'measured' : 'failed',
    rows,
    notes: [
      `${version}, headless, no GPU (\`--disable-gpu\`). WebCodecs for the clip (${probe.config ? `${probe.config.codec} ${probe.config.codedWidth}×${probe.config.codedHeight}` : 'no config'}): ` +
        (probe.available
          ? `supported${software ? ', in software only (prefer-hardware: not supported)' : ` (${JSON.stringify(probe.supported)})`}.`
          : `**not available** — ${probe.why ?? 'unsupported'}; Mediabunny was not run.`),
      "stillframe's path is its fastest public one for a batch: the core `extractJpegs` decodes each GOP once for all its targets and encodes from the decoder's planes; " +
        'the HarmonyOS facade (`fetchFrameByTime` + `packToData`, one frame per call) was slower when tried on this job. ' +
        'Its engine is the browser default: as many Web Workers as cores, at most 2, each with its own ffmpeg.wasm instance.' +
        (a?.extra.decodeStats ? ` Its decode stats (first run): ${JSON.stringify(a.extra.decodeStats)}.` : ''),
      "Mediabunny's JPEG encodes are started as its canvases arrive and awaited together (no canvas pool, so none is reused), which is its best case. The JPEG encoders differ (Chromium's canvas encoder vs stillframe's own): compare the mean sizes.",
      `Open (index) median: stillframe ${medianOf(ours, (run) => run.openMs)}, Mediabunny ${medianOf(theirs, (run) => run.openMs)}. ` +
        (a && b ? (differing.length === 0 ? 'Both showed the same frame for every time.' : `They showed different frames at ${differing.length} time(s), e.g. ${differing.slice(0, 3).join(', ')} s.`) : ''),
    ],
    details: {
      params,
      chromium: version,
      probe,
      runs: Object.fromEntries(
        Object.entries(outcomes).map(([name, list]) => [
          name,
          list.map((o) =>
            'run' in o
              ? {
                  wallMs: o.run.wallMs,
                  openMs: o.run.openMs,
                  ok: okImages(o.run).length,
                  bytesOut: okImages(o.run).reduce((sum, image) => sum + (image.bytes ?? 0), 0),
                  failedImages: o.run.images.flatMap((image, i) => (image.ok ? [] : [{ timeS: timesS[i], error: image.error }])),
                  extra: o.run.extra,
                  pageErrors: o.pageErrors,
                }
              : o,
          ),
        ]),
      ),
    },
  };
}
