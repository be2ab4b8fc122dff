/**
 * The benchmark runs end to end: `tsx bench/run.ts --quick --out DIR` (a 30 s file, 10 images,
 * one run) writes results.json with every job — numbers for jobs 1–5, "not measured yet" for 6
 * and 7 — ratios that agree with the numbers they come from, and a rendered Markdown table.
 * Behaviour only: no time threshold is checked (speed is what the benchmark reports, not what a
 * test asserts). Media and the package build are cached in `.cache/`, so later runs are faster.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireNativeTool } from '../helpers/native.js';

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
  target: string;
  met: boolean | null;
}
interface Job {
  id: string;
  status: string;
  rows: Row[];
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
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('judges the targets that have numbers: job 1, 3, 4 and 5', () => {
    const judged = (id: string) => job(id).rows.filter((row) => row.met !== null);
    for (const id of ['job1', 'job3', 'job4', 'job5']) expect(judged(id).length, id).toBeGreaterThan(0);
    expect(judged('job5').length).toBe(2); // peak RSS and bytes read
  });

  it('keeps jobs 6 and 7 as placeholder rows, not measured yet', () => {
    for (const id of ['job6', 'job7']) {
      const { status, rows } = job(id);
      expect(status).toBe('not-measured');
      expect(rows[0]!.stillframe.value).toBeNull();
      expect(rows[0]!.met).toBeNull();
    }
  });

  it('renders the Markdown table with a line per job and the machine it ran on', () => {
    expect(markdown).toContain('| Job | What | stillframe | native ffmpeg | naive wasm | ours/native | ours/naive | Target | Met |');
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(markdown).toMatch(new RegExp(`^\\| ${n}\\. `, 'm'));
    expect(markdown).toContain('not measured yet');
    expect(markdown).toContain(process.version);
    expect(markdown).toMatch(/ffmpeg version/);
  });
});
