/**
 * Job 4: cold start — a fresh Node process, from just before `import('stillframe')` to the first
 * thumbnail (320 px wide JPEG q80 of the frame at 150 s), timed inside the child with
 * performance.now(). It runs the built package (tsup, as published) with plain `node` from a
 * project that has it installed, because importing `src/` through tsx would time the TypeScript
 * transpiler, not the library. The build is the package tests' (`test/package-build.ts`): made
 * once per state of the sources in `.cache/package-build/`, reused while they do not change.
 *
 * Peers, for reference: native ffmpeg's one process (its whole wall time), and naive wasm in a
 * fresh child from just before importing `@ffmpeg/core` (instantiation, file into MEMFS, one exec,
 * jpeg-js; this child runs under the tsx loader, which only affects module loading).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtPackage } from '../../test/package-build.js';
import { ROOT } from '../media.js';
import { runChild } from '../measure.js';
import { absent, makeRow, type JobResult } from '../results.js';
import { compactRuns, forEachRun, medianCell, okNote, runSeries, thumbnailSeries, type JobContext } from './common.js';

/** What `children/cold-start.mjs` reports. */
interface ColdStart {
  readonly nodeStartupMs: number;
  readonly importMs: number;
  readonly openMs: number;
  readonly firstThumbnailMs: number;
  readonly totalMs: number;
  readonly size: string;
  readonly peakRssMB: number;
}

/**
 * Copies a child script of `bench/children/` into the consumer project of the built package, so
 * that its bare `import('stillframe')` resolves to the installed package, as in a user's project.
 */
export async function childInConsumer(name: string): Promise<{ script: string; cwd: string }> {
  process.stderr.write('[bench] building the package (tsup; reused while src/ does not change)\n');
  const pkg = await builtPackage();
  const dir = join(pkg.consumer, 'bench');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, 'bench', 'children', name), join(dir, name));
  return { script: join(dir, name), cwd: pkg.consumer };
}

/** Runs the job and summarises it as table rows. */
export async function coldStartJob(ctx: JobContext): Promise<JobResult> {
  const { options, clip } = ctx;
  const timeS = options.coldTimeS;
  const child = await childInConsumer('cold-start.mjs');
  const params = thumbnailSeries(ctx, clip, [timeS]);
  const ours: Array<ColdStart | undefined> = [];
  const oursProcessMs: number[] = [];
  const runs = await forEachRun(options.runs, ['stillframe', 'native', 'naive'], async (peer) => {
    if (peer === 'stillframe') {
      const outcome = await runChild<ColdStart>({
        ...child,
        args: [JSON.stringify({ input: clip.path, timeS, width: options.thumbWidth, quality: options.quality })],
        tsx: false,
        timeoutMs: 120_000,
      });
      if (!outcome.result) process.stderr.write(`[bench] cold start failed: ${outcome.stderrTail}\n`);
      ours.push(outcome.result);
      oursProcessMs.push(outcome.wallMs);
      return undefined;
    }
    return runSeries(peer, peer === 'native' ? 'native-series' : 'naive-series', params, 300_000);
  });
  const measured = ours.filter((r): r is ColdStart => r !== undefined);
  const single = (peer: 'native' | 'naive') => {
    const results = runs[peer].filter((r) => r !== undefined);
    // Native: the process's whole life; naive: from importing the core to the JPEG.
    return medianCell(results.map((r) => (r.ok > 0 ? r.wallMs : null)), okNote(results));
  };
  const rows = [
    makeRow(
      `import → first ${params.outWidth}×${params.outHeight} JPEG (frame at ${timeS} s)`,
      'ms',
      {
        stillframe: measured.length ? medianCell(measured.map((r) => r.totalMs), `${measured.length}/${ours.length} ok`) : absent('failed'),
        native: single('native'),
        naive: single('naive'),
      },
      '≤ 1 s',
      ({ ours: value }) => value <= 1000,
    ),
    makeRow('peak RSS', 'MB', {
      stillframe: medianCell(measured.map((r) => r.peakRssMB), 'plain node, built package'),
      native: medianCell(runs.native.map((r) => r?.peakRssMB)),
      naive: medianCell(runs.naive.map((r) => r?.peakRssMB), 'under tsx'),
    }),
  ];
  const med = (pick: (r: ColdStart) => number) => (measured.length ? Math.round(medianCell(measured.map(pick)).value ?? NaN) : NaN);
  return {
    id: 'job4',
    title: 'Cold start',
    description: `Fresh process; from just before import to the first ${params.outWidth}-wide JPEG q${options.quality} of the frame at ${timeS} s.`,
    status: measured.length ? 'measured' : 'failed',
    rows,
    notes: [
      `stillframe split (medians): import ${med((r) => r.importMs)} ms, open + index ${med((r) => r.openMs)} ms, first thumbnail (engine start + decode + encode) ${med((r) => r.firstThumbnailMs)} ms; Node's own start-up before the import ${med((r) => r.nodeStartupMs)} ms, not counted.`,
      `Process wall time seen by the parent (spawn to exit, incl. Node start-up and shutdown), median: ${Math.round(medianCell(oursProcessMs).value ?? NaN)} ms.`,
      'stillframe runs the built package (tsup) with plain node from a project that has it installed.',
    ],
    details: { timeS, stillframe: ours, stillframeProcessMs: oursProcessMs, ...(compactRuns({ native: runs.native, naive: runs.naive }) as object) },
  };
}
