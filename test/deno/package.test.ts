/**
 * The built package in Deno 2, imported by name from a project that has it installed, the way
 * a Deno application with a package.json uses npm packages: `import { media, image } from
 * 'stillframe'` resolves through the `exports` conditions, and the engine (ffmpeg.wasm in
 * worker threads, through Deno's `node:worker_threads`) loads its wasm there. Each query mode,
 * through `dataSrc` (bytes and the HarmonyOS callback descriptor) and `url` (HTTP Range
 * requests to a local server), gives RGBA pixels and a PNG byte-identical to Node's. The
 * scripts never close the engine: Deno must still exit by itself.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSharedRunner, registerRunnerFactory } from '../../src/engine/shared-runner.js';
import { image, media } from '../../src/harmony/index.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { requireDeno, requireNativeTool } from '../helpers/native.js';
import { builtPackage } from '../package-build.js';
import { frameHashes, MODES, sourcesOf, type FrameHash } from './frame-hashes.js';
import { lastJson, runDeno } from './helpers.js';

/** Scripts run inside the consumer project, next to what they import. */
const SCRIPTS = ['extract-frames.mjs', 'engine-limits.mjs', 'frame-hashes.ts'];

describe.skipIf(!requireDeno() || !requireNativeTool('ffmpeg'))('the built package in Deno', () => {
  let consumer: string;
  let video: string;
  let bytes: Uint8Array;
  let server: TestServer;

  beforeAll(async () => {
    consumer = (await builtPackage()).consumer;
    mkdirSync(join(consumer, 'deno'), { recursive: true });
    for (const script of SCRIPTS) copyFileSync(join(import.meta.dirname, script), join(consumer, 'deno', script));
    video = fixture('h264-bframes.mp4');
    bytes = new Uint8Array(readFileSync(video));
    server = await startServer({ body: bytes, mode: 'ranges' });
    registerRunnerFactory(() => createNodeRunner({ instances: 2 }));
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    await closeSharedRunner();
  });

  it('extracts every query mode through dataSrc and url, byte-identical to Node (RGBA and PNG)', { timeout: 180_000 }, async () => {
    const run = await runDeno(['run', '--allow-read', '--allow-net=127.0.0.1', 'deno/extract-frames.mjs', video, server.url], consumer);
    expect(run.code, run.stderr).toBe(0);
    const inDeno = lastJson<FrameHash[]>(run);
    const rangedReads = server.requests.filter((request) => request.method === 'GET' && request.headers.range).length;

    const inNode = await frameHashes({ media, image }, sourcesOf(bytes, server.url));
    expect(inDeno).toEqual(inNode);

    // The comparison means something: 3 sources × 4 modes, distinct frames per mode, the same
    // frame whatever the source, and Deno really read the URL with Range requests.
    expect(inDeno).toHaveLength(3 * MODES.length);
    for (const mode of MODES) {
      const ofMode = inDeno.filter((hash) => hash.mode === mode);
      expect(new Set(ofMode.map((hash) => `${hash.rgba} ${hash.png} ${hash.frameTimeUs}`)).size, mode).toBe(1);
    }
    const byMode = new Map(inDeno.map((hash) => [hash.mode, hash]));
    expect(byMode.get('AV_IMAGE_QUERY_PREVIOUS_SYNC')!.frameTimeUs).toBe(1_000_000);
    expect(byMode.get('AV_IMAGE_QUERY_NEXT_SYNC')!.frameTimeUs).toBe(2_000_000);
    expect(Math.abs(byMode.get('AV_IMAGE_QUERY_CLOSEST')!.frameTimeUs - 1_300_000)).toBeLessThanOrEqual(20_000);
    expect(new Set(inDeno.map((hash) => hash.rgba)).size).toBe(3); // previous = closest sync, next, closest
    expect(inDeno.every((hash) => hash.width === 160 && hash.height === 120)).toBe(true);
    expect(rangedReads).toBeGreaterThan(0);
  });

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
