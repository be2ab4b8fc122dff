/**
 * The engines that do not rest on Node's APIs, run in Deno on the sources (`engines.ts`): Web
 * Workers (`wasm/web-worker-runner.ts`, the worker body `ffmpeg-worker.mjs` in its Web Worker
 * mode — what browsers will use) and the calling thread (`wasm/in-process-runner.ts` — what
 * runtimes without workers will use). Both keep the shared instance policy: a time-out and a
 * crash each cost one instance and the next job works, overlapping jobs get their own output,
 * instances are recycled before the core's ~100-exec trap, and a closed engine refuses jobs.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireDeno } from '../helpers/native.js';
import { lastJson, runDeno } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Outcome {
  exitCode?: number;
  pixel?: number[];
  kind?: string;
  ms?: number;
}

describe.skipIf(!requireDeno())('engines in Deno', () => {
  it('the Web Worker and in-process runners handle time-outs, crashes, overlap, recycling and close', { timeout: 120_000 }, async () => {
    const run = await runDeno(['run', '--allow-read', 'test/deno/engines.ts'], ROOT);
    expect(run.code, run.stderr).toBe(0);
    const reports = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(reports.map((report) => report.engine)).toEqual(['web-worker', 'in-process']);
    expect(lastJson<{ engine: string }>(run).engine).toBe('in-process');

    const red = { exitCode: 0, pixel: [252, 0, 0] };
    for (const report of reports) {
      const engine = String(report.engine);
      expect(report.first, engine).toEqual(red);
      expect(report.endless, engine).toMatchObject({ kind: 'timeout' });
      // The in-process limit is soft (checked between packets); the worker's is hard.
      expect((report.endless as Outcome).ms, engine).toBeLessThan(3_000);
      expect(report.afterTimeout, engine).toEqual(red);
      expect(report.broken, engine).toEqual({ kind: 'engine-crashed' });
      expect(report.afterCrash, engine).toEqual(red);
      expect(report.overlapping, engine).toEqual([red, { exitCode: 0, pixel: [0, 254, 0] }, { exitCode: 0, pixel: [0, 0, 253] }]);
      expect(report.manyFailed, engine).toBe(0);
      expect(report.afterClose, engine).toEqual({ kind: 'not-allowed' });
    }
  });
});
