/**
 * `npm run bench` (`tsx bench/run.ts [--quick] [--runs N] [--only job1,job3] [--out DIR]`): makes
 * the media (cached), runs every job against native ffmpeg and naive ffmpeg.wasm (job 7: against
 * Mediabunny, in headless Chromium) on this machine in one go, and writes `RESULTS.md` and `results.json` (to `bench/`, or `--out`). Progress goes
 * to stderr. See `options.ts` for the modes and `jobs/` for what each job measures.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { bigFileJob } from './jobs/big-file.js';
import { breakdownJob } from './jobs/breakdown.js';
import { mediabunnyJob } from './jobs/browser-mediabunny.js';
import { coldStartJob } from './jobs/cold-start.js';
import { decodeEfficiencyJob } from './jobs/decode-efficiency.js';
import type { JobContext } from './jobs/common.js';
import { CHILD_SCRIPT } from './jobs/common.js';
import { getImagesJob } from './jobs/get-images.js';
import { warmThumbnailJob } from './jobs/warm-thumbnail.js';
import { CACHE_DIR, sourceClip } from './media.js';
import { kibToMB, killLiveChildren, now, runChild } from './measure.js';
import { hasNativeTool } from './native.js';
import { JOB_IDS, parseOptions, type JobId } from './options.js';
import { machineInfo, writeResults } from './report.js';
import { notRun, type JobResult } from './results.js';

/** Each job: its title (for `notRun`) and how to run it. */
const JOBS: Record<JobId, { title: string; run: (ctx: JobContext) => Promise<JobResult> }> = {
  job1: { title: 'GetImages, original size', run: (ctx) => getImagesJob(ctx, { id: 'job1' }) },
  job2: { title: 'GetImages, 320 px wide', run: (ctx) => getImagesJob(ctx, { id: 'job2', width: ctx.options.thumbWidth }) },
  job3: { title: 'One thumbnail, warm engine', run: warmThumbnailJob },
  job4: { title: 'Cold start', run: coldStartJob },
  job5: { title: 'File over 2 GiB', run: bigFileJob },
  job6: { title: 'Decode efficiency', run: decodeEfficiencyJob },
  job7: { title: 'Mediabunny in Chromium', run: mediabunnyJob },
  breakdown: { title: 'Where job 1 time goes (stillframe)', run: breakdownJob },
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killLiveChildren();
    process.exit(130);
  });
}

const options = parseOptions(process.argv.slice(2));
for (const tool of ['ffmpeg', 'ffprobe'] as const) {
  if (!hasNativeTool(tool)) {
    console.error(`native ${tool} not found on PATH: the benchmark needs it (Debian package "ffmpeg")`);
    process.exit(1);
  }
}

const started = now();
// Other work on the machine skews every number: sample the 1-minute load average throughout.
const loadSamples: number[] = [loadavg()[0]!];
setInterval(() => loadSamples.push(loadavg()[0]!), 5_000).unref();
const scratchDir = join(CACHE_DIR, 'scratch');
mkdirSync(scratchDir, { recursive: true });
const clip = await sourceClip({ durationS: options.clipS });
const ctx: JobContext = { options, clip, scratchDir };

// What an empty child weighs, so RSS figures can be read against it.
const tsxBaseline = await runChild<{ peakRssMB: number }>({ script: CHILD_SCRIPT, args: ['baseline'], tsx: true, timeoutMs: 60_000 });
const plainNodeMB = kibToMB(Number(execFileSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS)']).toString()));

const jobs: JobResult[] = [];
for (const id of JOB_IDS) {
  const job = JOBS[id];
  if (!options.only.has(id)) {
    jobs.push(notRun(id, job.title));
    continue;
  }
  process.stderr.write(`[bench] ${id}: ${job.title} (load average ${loadavg()[0]!.toFixed(1)})\n`);
  const jobStarted = now();
  try {
    jobs.push(await job.run(ctx));
  } catch (error) {
    // One broken job must not cost the others' numbers: record it and go on.
    process.stderr.write(`[bench] ${id} failed: ${(error as Error).stack ?? String(error)}\n`);
    jobs.push({ id, title: job.title, description: 'the job failed to run', status: 'failed', rows: [], notes: [String((error as Error).message ?? error)] });
  }
  process.stderr.write(`[bench] ${id} done in ${((now() - jobStarted) / 1000).toFixed(0)} s\n`);
}

const written = writeResults(options.outDir, {
  meta: {
    date: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    runs: options.runs,
    durationS: (now() - started) / 1000,
    machine: machineInfo(),
    media: {
      clip: `${clip.durationS} s ${clip.width}×${clip.height} 30 fps H.264 (libx264 veryfast ~5.5 Mbit/s, GOP 2 s, 2 B-frames) + AAC, ${(clip.bytes / 1e6).toFixed(0)} MB, moov at the end`,
      clipPath: clip.path,
      clipBytes: clip.bytes,
    },
    loadAverage: {
      start: loadSamples[0],
      end: loadavg()[0],
      mean: loadSamples.reduce((a, b) => a + b, 0) / loadSamples.length,
      max: Math.max(...loadSamples),
    },
    baselines: { tsxNodeMB: tsxBaseline.result?.peakRssMB ?? null, plainNodeMB },
    options: { ...options, only: [...options.only] },
  },
  jobs,
});
process.stderr.write(`[bench] wrote ${written.markdown} and ${written.json} (${((now() - started) / 1000).toFixed(0)} s)\n`);
