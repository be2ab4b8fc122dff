/**
 * The engine's limits in Deno 2, through the built package imported by name from a project that
 * has it installed (the `deno` export condition: worker threads through Deno's
 * `node:worker_threads`): a job stops at its time limit, a crashed instance is replaced, and the
 * next job works. The script never closes the engine: Deno must still exit by itself. (That
 * frames come out byte-identical to Node's is `test/conformance/runtimes.test.ts`.)
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireDeno } from '../helpers/native.js';
import { builtPackage } from '../package-build.js';
import { lastJson, runDeno } from './helpers.js';

describe.skipIf(!requireDeno())('the built package in Deno', () => {
  let consumer: string;

  beforeAll(async () => {
    consumer = (await builtPackage()).consumer;
    mkdirSync(join(consumer, 'deno'), { recursive: true });
    copyFileSync(join(import.meta.dirname, 'engine-limits.mjs'), join(consumer, 'deno', 'engine-limits.mjs'));
  }, 600_000);

  it('stops a job at its time limit and replaces a crashed instance; the next job works', { timeout: 120_000 }, async () => {
    const run = await runDeno(['run', '--allow-read', 'deno/engine-limits.mjs'], consumer);
    expect(run.code, run.stderr).toBe(0);
    const report = lastJson<Record<string, { exitCode?: number; bytes?: number; kind?: string; ms?: number }> & { cpuMsAfterTimeout: number }>(run);
    const frame = { exitCode: 0, bytes: 16 * 8 * 3 };
    expect(report.first).toEqual(frame);
    expect(report.endless).toMatchObject({ kind: 'timeout' });
    expect(report.endless!.ms).toBeLessThan(5_000);
    // Deno does not stop a terminated worker's wasm; the core's own limit must have (a decode
    // left running would use a whole core: ~1000 ms in that second).
    expect(report.cpuMsAfterTimeout).toBeLessThan(300);
    expect(report.afterTimeout).toEqual(frame);
    expect(report.broken).toEqual({ kind: 'engine-crashed' });
    expect(report.afterCrash).toEqual(frame);
  });
});
