/**
 * The instance policy every runner shares (wasm/instance-pool.ts), on stand-in instances: jobs
 * queue for a bounded set of instances; a failed instance is thrown away; instances retire
 * after a fixed number of jobs; a crash is retried once on a fresh instance, a time-out never.
 */
import { describe, expect, it } from 'vitest';
import { StillframeError } from '../../src/errors.js';
import type { FFmpegJob, FFmpegResult } from '../../src/engine/ffmpeg-runner.js';
import { createInstancePool, JOBS_PER_INSTANCE, type EngineInstance } from '../../wasm/instance-pool.js';

const job = (name: string): FFmpegJob => ({ inputs: [], args: [name], outputPath: '/out', timeoutMs: 1_000 });

/** Stand-in instances: each job's first argument says what it does ('ok', 'crash', 'timeout', 'wait'). */
function fakes() {
  const made: Array<{ id: number; jobs: string[]; terminated: boolean }> = [];
  const gates: Array<() => void> = [];
  let running = 0;
  let mostRunning = 0;
  const spawn = async (): Promise<EngineInstance> => {
    const record = { id: made.length + 1, jobs: [] as string[], terminated: false };
    made.push(record);
    return {
      async run(current: FFmpegJob): Promise<FFmpegResult> {
        const what = current.args[0]!;
        record.jobs.push(what);
        running++;
        mostRunning = Math.max(mostRunning, running);
        try {
          if (what === 'wait') await new Promise<void>((resolve) => gates.push(resolve));
          if (what === 'crash' || (what === 'crash-first' && record.jobs.length === 1 && record.id === 1)) {
            throw new StillframeError('engine-crashed', 'trap');
          }
          if (what === 'timeout') throw new StillframeError('timeout', 'too long');
          return { exitCode: 0, output: new Uint8Array([record.id]), log: [] };
        } finally {
          running--;
        }
      },
      async terminate() {
        record.terminated = true;
      },
    };
  };
  return { made, spawn, openGates: () => gates.splice(0).forEach((open) => open()), mostRunning: () => mostRunning };
}

describe('instance pool', () => {
  it('never runs more jobs at once than its capacity, and reuses idle instances', async () => {
    const { made, spawn, openGates, mostRunning } = fakes();
    const pool = createInstancePool({ capacity: 2, spawn });
    const jobs = Array.from({ length: 5 }, () => pool.run(job('wait')));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(made).toHaveLength(2);
    while (made.reduce((sum, instance) => sum + instance.jobs.length, 0) < 5) {
      openGates();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    openGates();
    await Promise.all(jobs);
    expect(mostRunning()).toBe(2);
    expect(made).toHaveLength(2);
  });

  it(`retires an instance after ${JOBS_PER_INSTANCE} jobs`, async () => {
    const { made, spawn } = fakes();
    const pool = createInstancePool({ capacity: 1, spawn });
    for (let i = 0; i < JOBS_PER_INSTANCE * 2 + 1; i++) await pool.run(job('ok'));
    expect(made.map((instance) => instance.jobs.length)).toEqual([JOBS_PER_INSTANCE, JOBS_PER_INSTANCE, 1]);
    expect(made.map((instance) => instance.terminated)).toEqual([true, true, false]);
  });

  it('retries a crashed job once on a fresh instance', async () => {
    const { made, spawn } = fakes();
    const pool = createInstancePool({ capacity: 1, spawn });
    const result = await pool.run(job('crash-first'));
    expect(result.output).toEqual(new Uint8Array([2]));
    expect(made[0]!.terminated).toBe(true);
  });

  it('gives up on a job that crashes twice, then serves the next job', async () => {
    const { made, spawn } = fakes();
    const pool = createInstancePool({ capacity: 1, spawn });
    await expect(pool.run(job('crash'))).rejects.toMatchObject({ kind: 'engine-crashed' });
    expect(made.map((instance) => instance.jobs)).toEqual([['crash'], ['crash']]);
    expect((await pool.run(job('ok'))).exitCode).toBe(0);
    expect(made).toHaveLength(3);
  });

  it('does not retry a time-out, and replaces the instance', async () => {
    const { made, spawn } = fakes();
    const pool = createInstancePool({ capacity: 1, spawn });
    await expect(pool.run(job('timeout'))).rejects.toMatchObject({ kind: 'timeout' });
    expect(made).toHaveLength(1);
    expect(made[0]!.terminated).toBe(true);
    expect((await pool.run(job('ok'))).output).toEqual(new Uint8Array([2]));
  });

  it('hands a failed instance\'s waiting job a fresh instance', async () => {
    const { made, spawn } = fakes();
    const pool = createInstancePool({ capacity: 1, spawn });
    const failing = pool.run(job('timeout'));
    const waiting = pool.run(job('ok'));
    await expect(failing).rejects.toMatchObject({ kind: 'timeout' });
    expect((await waiting).output).toEqual(new Uint8Array([2]));
    expect(made).toHaveLength(2);
  });

  it('reports an instance that cannot start as engine-crashed, and tries again for the next job', async () => {
    let attempts = 0;
    const { spawn } = fakes();
    const pool = createInstancePool({
      capacity: 1,
      spawn: () => (++attempts <= 2 ? Promise.reject(new Error('no wasm here')) : spawn()),
    });
    await expect(pool.run(job('ok'))).rejects.toMatchObject({ kind: 'engine-crashed', message: expect.stringMatching(/no wasm here/) });
    expect(attempts).toBe(2);
    expect((await pool.run(job('ok'))).exitCode).toBe(0);
  });

  it('on close: rejects waiting jobs, stops idle instances, lets the running job finish, then refuses jobs', async () => {
    const { made, spawn, openGates } = fakes();
    const pool = createInstancePool({ capacity: 1, spawn });
    const running = pool.run(job('wait'));
    const waiting = pool.run(job('ok'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await pool.close();
    await expect(waiting).rejects.toMatchObject({ kind: 'not-allowed' });
    openGates();
    expect((await running).exitCode).toBe(0);
    expect(made[0]!.terminated).toBe(true);
    await expect(pool.run(job('ok'))).rejects.toMatchObject({ kind: 'not-allowed' });
  });
});
