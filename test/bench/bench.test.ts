/**
 * The benchmark runs end to end: `tsx bench/run.ts --quick --out DIR` (a 30 s file, 10 images,
 * one run) writes results.json with every job — numbers for jobs 1–7 (job 7 needs Chromium: on a
 * bare machine without it, only its checks are skipped; under `CI=true` its absence is an error,
 * the presence rule of `test/helpers/native.ts`) — ratios that agree with the numbers they come
 * from, and a rendered Markdown table. Behaviour only: no time threshold is checked (speed is
 * what the benchmark reports, not what a test asserts); job 6's decode count is checked, as it is
 * a count, not a speed. Media and the package build are cached in `.cache/`, so later runs are
 * faster.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireChromium, requireNativeTool } from '../helpers/native.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TIME_LIMIT_MS = 10 * 60 * 1000;

interface Cell {
  value: number | null;
  note?: string;
}
interface Row {
  what: string;
  unit: string;
  stillframe: Cell;
  native: Cell;
  naive: Cell;
  ratioNative: number | null;
  ratioNaive: number | null;
  versus?: { name: string; cell: Cell; ratio: number | null };
  target: string;
  met: boolean | null;
}
interface Job {
  id: string;
  status: string;
  rows: Row[];
  notes: string[];
  details?: Record<string, unknown>;
}

let out: string;
let results: { meta: Record<string, unknown>; jobs: Job[] };
let markdown: string;

/** Runs the quick benchmark in its own process group, so a time-out ends every process it started. */
function runQuickBench(dir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('npx', ['tsx', 'bench/run.ts', '--quick', '--out', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), TIME_LIMIT_MS);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

/** Checked once, at collection: a missing Chromium skips job 7's checks, or fails under CI=true. */
const hasChromium = requireChromium();

const job = (id: string): Job => {
  const found = results.jobs.find((j) => j.id === id);
  expect(found, id).toBeDefined();
  return found!;
};

describe.skipIf(!requireNativeTool('ffmpeg') || !requireNativeTool('ffprobe'))('npm run bench -- --quick', () => {
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'stillframe-bench-'));
    const { code, stderr } = await runQuickBench(out);
    expect(code, stderr).toBe(0);
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    markdown = readFileSync(join(out, 'RESULTS.md'), 'utf8');
  }, TIME_LIMIT_MS + 30_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('measures jobs 1–5 with a number for stillframe in every row', () => {
    for (const id of ['job1', 'job2', 'job3', 'job4', 'job5']) {
      const { status, rows } = job(id);
      expect(status, id).toBe('measured');
      expect(rows.length, id).toBeGreaterThan(0);
      for (const row of rows) expect(row.stillframe.value, `${id}: ${row.what}`).toEqual(expect.any(Number));
    }
  });

  it('times native ffmpeg in jobs 1–5 and naive wasm in jobs 1–4, and says why naive wasm is absent from job 5', () => {
    for (const id of ['job1', 'job2', 'job3', 'job4', 'job5']) expect(job(id).rows[0]!.native.value, id).toEqual(expect.any(Number));
    for (const id of ['job1', 'job2', 'job3', 'job4']) expect(job(id).rows[0]!.naive.value, id).toEqual(expect.any(Number));
    const naive = job('job5').rows[0]!.naive;
    expect(naive.value).toBeNull();
    expect(naive.note).toMatch(/2 GiB/);
  });

  it('gets every GetImages image from stillframe (10 of 10 in quick mode)', () => {
    for (const id of ['job1', 'job2']) {
      const images = job(id).rows.find((row) => row.unit === 'images')!;
      expect(images.stillframe.value, id).toBe(10);
    }
  });

  it('reports bytes read for the >2 GiB file, at least the size of one frame', () => {
    const bytes = job('job5').rows.find((row) => row.unit === 'bytes')!;
    expect(bytes.stillframe.value).toBeGreaterThan(0);
    expect(typeof bytes.met).toBe('boolean');
  });

  it('computes every ratio as stillframe ÷ peer from the numbers in the same row', () => {
    let checked = 0;
    for (const { id, rows } of results.jobs) {
      for (const row of rows) {
        for (const [peer, ratio] of [
          [row.native, row.ratioNative],
          [row.naive, row.ratioNaive],
        ] as const) {
          const both = row.stillframe.value !== null && peer.value !== null && peer.value !== 0;
          if (both && row.unit !== 'images') {
            expect(ratio, `${id}: ${row.what}`).toBeCloseTo(row.stillframe.value! / peer.value!, 9);
            checked++;
          } else {
            expect(ratio, `${id}: ${row.what}`).toBeNull();
          }
        }
        if (row.versus) {
          const { cell, ratio } = row.versus;
          if (row.stillframe.value !== null && cell.value !== null && cell.value !== 0 && row.unit !== 'images') {
            expect(ratio, `${id}: ${row.what} vs ${row.versus.name}`).toBeCloseTo(row.stillframe.value / cell.value, 9);
            checked++;
          } else {
            expect(ratio, `${id}: ${row.what} vs ${row.versus.name}`).toBeNull();
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('judges the targets that have numbers: job 1, 3, 4, 5 and 6', () => {
    const judged = (id: string) => job(id).rows.filter((row) => row.met !== null);
    for (const id of ['job1', 'job3', 'job4', 'job5', 'job6']) expect(judged(id).length, id).toBeGreaterThan(0);
    expect(judged('job5').length).toBe(2); // peak RSS and bytes read
  });

  it('measures decode efficiency (job 6): stillframe decodes exactly the pictures the NAL headers say the targets need', () => {
    const { status, rows, details } = job('job6');
    expect(status).toBe('measured');
    const [efficiency, withoutPruning] = rows;
    // Pruning keeps every reference picture and drops every other non-target: 1.00 by design.
    expect(efficiency!.unit).toBe('ratio');
    expect(efficiency!.stillframe.value).toBe(1);
    expect(efficiency!.met).toBe(true);
    // Naive wasm decodes every picture from the key frame to each target; half the targets are mid-GOP.
    expect(efficiency!.naive.value).toBeGreaterThan(1);
    expect(withoutPruning!.stillframe.value).toBeGreaterThan(1);
    // Counts, not speeds: stillframe's own bookkeeping against native ffmpeg's trace_headers. A
    // mismatch means the library's pruning changed or the bench's reading of the trace is wrong.
    const counts = details!.counts as { strictlyNeeded: number; withoutPruning: number };
    const ours = details!.stillframe as { stats: { samples: number; skipped: number }; ok: number };
    expect(ours.ok).toBe(10);
    expect(ours.stats.samples).toBe(counts.strictlyNeeded);
    // What stillframe left out is exactly what the trace says a decoder without pruning would add.
    expect(ours.stats.samples + ours.stats.skipped).toBe(counts.withoutPruning);
  });

  it.skipIf(!hasChromium)('measures stillframe against Mediabunny in Chromium (job 7), or says why Mediabunny could not run', () => {
    const { status, rows } = job('job7');
    expect(status).toBe('measured');
    const [wall, images] = rows;
    expect(wall!.stillframe.value).toEqual(expect.any(Number));
    expect(images!.stillframe.value).toBe(10);
    for (const row of rows) expect(row.versus?.name).toBe('Mediabunny');
    if (wall!.versus!.cell.value === null) {
      // No WebCodecs decoding in this Chromium: stated in the row, not judged.
      expect(wall!.versus!.cell.note).toMatch(/WebCodecs/);
      expect(wall!.met).toBeNull();
    } else {
      expect(images!.versus!.cell.value).toBe(10);
      expect(typeof wall!.met).toBe('boolean');
    }
  });

  it('renders the Markdown table with a line per job and the machine it ran on', () => {
    expect(markdown).toContain('| Job | What | stillframe | native ffmpeg | naive wasm | ours/native | ours/naive | Target | Met |');
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(markdown).toMatch(new RegExp(`^\\| ${n}\\. `, 'm'));
    expect(markdown).not.toContain('not measured yet');
    if (hasChromium) expect(markdown).toContain('Mediabunny: ');
    expect(markdown).toContain(process.version);
    expect(markdown).toMatch(/ffmpeg version/);
  });
});
