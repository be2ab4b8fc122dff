/**
 * A real wasm trap, not a stand-in: an @ffmpeg/core 0.12.10 instance traps with
 * `RuntimeError: memory access out of bounds` on its 100th `exec` (see JOBS_PER_INSTANCE in
 * wasm/instance-pool.ts). The runners recycle instances long before that; here the pool is
 * told not to, over the same worker-thread instances the Node runner uses, so the trap really
 * happens — and every job still succeeds: the trapped instance is thrown away and the job runs
 * again on a fresh one.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { StillframeError } from '../../src/errors.js';
import type { FFmpegJob, FFmpegRunner } from '../../src/engine/ffmpeg-runner.js';
import { createInstancePool } from '../../wasm/instance-pool.js';
import { startNodeInstance } from '../../wasm/node-runner.js';
import { fixture } from '../helpers/fixtures.js';
import { requireNativeTool } from '../helpers/native.js';

/** Jobs: past the hundredth exec of the first instance, with room to spare. */
const JOBS = 130;
/** The fixture's pictures: 160×120 yuv420p. */
const FRAME_BYTES = 160 * 120 * 1.5;

/** Everything the pool's instances did: how many were started, and each job failure they reported. */
interface Observed {
  spawned: number;
  readonly failures: Array<{ readonly job: number; readonly error: unknown }>;
}

/** A pool of one instance that is never retired, with its instances observed. */
function neverRecycledPool(observed: Observed): FFmpegRunner {
  return createInstancePool({
    capacity: 1,
    jobsPerInstance: 10_000,
    spawn: async () => {
      observed.spawned++;
      const instance = await startNodeInstance();
      let jobs = 0;
      return {
        run: (job) => {
          const number = ++jobs;
          return instance.run(job).catch((error: unknown) => {
            observed.failures.push({ job: number, error });
            throw error;
          });
        },
        terminate: () => instance.terminate(),
      };
    },
  });
}

const pools: FFmpegRunner[] = [];
afterAll(() => Promise.all(pools.map((pool) => pool.close())));

describe.skipIf(!requireNativeTool('ffmpeg'))('a real wasm trap', () => {
  it(`serves ${JOBS} decodes on one never-recycled instance slot: the trap on the 100th exec costs an instance, not a job`, { timeout: 60_000 }, async () => {
    const observed: Observed = { spawned: 0, failures: [] };
    const pool = neverRecycledPool(observed);
    pools.push(pool);
    const decodeFirstFrame: FFmpegJob = {
      inputs: [{ path: '/in.mp4', data: new Uint8Array(await readFile(fixture('small-h264-closed-gop.mp4'))) }],
      args: ['-hide_banner', '-i', '/in.mp4', '-map', '0:v:0', '-frames:v', '1', '-f', 'rawvideo', '/out.raw'],
      outputPath: '/out.raw',
      timeoutMs: 20_000,
    };

    for (let i = 0; i < JOBS; i++) {
      const result = await pool.run(decodeFirstFrame);
      expect(result.exitCode, `job ${i + 1}`).toBe(0);
      expect(result.output?.length, `job ${i + 1}`).toBe(FRAME_BYTES);
    }

    // The first instance trapped (a real RuntimeError inside the wasm) and was replaced.
    expect(observed.spawned).toBeGreaterThanOrEqual(2);
    expect(observed.failures.length).toBeGreaterThanOrEqual(1);
    const [first] = observed.failures;
    expect(first!.job).toBeGreaterThan(90);
    expect(first!.error).toBeInstanceOf(StillframeError);
    expect(first!.error).toMatchObject({ kind: 'engine-crashed', message: expect.stringMatching(/RuntimeError/) });
  });
});
