/**
 * Command-line flags and the parameters of each mode. The full benchmark follows the project's
 * issue (a 300 s 1080p30 file, 100 images, 30 warm thumbnails); `--quick` is a smoke test of the
 * same code paths on a 30 s file with 10 images and one run — its numbers mean little.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './media.js';

/** Every job id, in table order. `breakdown` is the side experiment (where job 1's time goes). */
export const JOB_IDS = ['job1', 'job2', 'job3', 'job4', 'job5', 'job6', 'job7', 'breakdown'] as const;
export type JobId = (typeof JOB_IDS)[number];

/** What one invocation of the benchmark does. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Runs per measurement; the table shows their median. */
  readonly runs: number;
  /** Jobs to run; the others appear in the results as not run. */
  readonly only: ReadonlySet<JobId>;
  /** Where RESULTS.md and results.json go. */
  readonly outDir: string;
  /** Length of the generated clip, s. */
  readonly clipS: number;
  /** Jobs 1–2: number of sampling points and their spacing. */
  readonly images: number;
  readonly intervalMs: number;
  /** JPEG quality (libjpeg scale) and the native `-q:v` used in its place. */
  readonly quality: number;
  readonly qscale: number;
  /** Width of thumbnails (jobs 2–5). */
  readonly thumbWidth: number;
  /** Job 3: number of random times and the PRNG seed. */
  readonly warmTimes: number;
  readonly seed: number;
  /** Job 4: time of the cold-start thumbnail, s. */
  readonly coldTimeS: number;
}

const USAGE = `usage: tsx bench/run.ts [--quick] [--runs N] [--only job1,job3,…] [--out DIR]
  --quick     smoke test: 30 s file, 10 images, 1 run (unless --runs)
  --runs N    runs per measurement (default 3; the table shows the median)
  --only LIST jobs to run: ${JOB_IDS.join(', ')} (also 1,3,…)
  --out DIR   where RESULTS.md and results.json go (default bench/)`;

/** Parses the flags; exits with the usage text on bad input. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        runs: { type: 'string' },
        only: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const runs = values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`--runs must be a positive integer\n${USAGE}`);
    process.exit(2);
  }
  const only = new Set<JobId>();
  for (const item of (values.only ?? JOB_IDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean)) {
    const id = (/^\d+$/.test(item) ? `job${item}` : item) as JobId;
    if (!JOB_IDS.includes(id)) {
      console.error(`--only: unknown job '${item}'\n${USAGE}`);
      process.exit(2);
    }
    only.add(id);
  }
  const clipS = quick ? 30 : 300;
  return {
    quick,
    runs,
    only,
    outDir: resolve(values.out ?? resolve(ROOT, 'bench')),
    clipS,
    images: quick ? 10 : 100,
    intervalMs: 3000,
    quality: 80,
    // `-q:v 4` stands in for quality 80. Measured on the frame at 150 s of the benchmark clip
    // (PSNR against the decoded frame): jpeg-js q80 40.3 dB, 146 kB; ffmpeg -q:v 4 41.4 dB, 87 kB;
    // -q:v 5 39.9 dB, 78 kB. So q80 lies between 4 and 5, and 4 errs in native's favour; native's
    // files are smaller mostly because it writes 4:2:0 chroma where jpeg-js writes 4:4:4. The mean
    // JPEG sizes in the results show how comparable the outputs are.
    qscale: 4,
    thumbWidth: 320,
    warmTimes: quick ? 5 : 30,
    seed: 20261121,
    coldTimeS: Math.min(150, clipS / 2),
  };
}
