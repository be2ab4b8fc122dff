/**
 * The parent's half of the worker protocol (wasm/worker-instance.ts), over a stand-in worker:
 * start-up, replies, the hard time limit, the core's own time limit reported from inside, and
 * a worker that dies.
 */
import { describe, expect, it } from 'vitest';
import type { FFmpegJob } from '../../src/engine/ffmpeg-runner.js';
import { startWorkerInstance, type WorkerChannel } from '../../wasm/worker-instance.js';

const job: FFmpegJob = { inputs: [], args: ['-version'], outputPath: '/out', timeoutMs: 200 };

/** A stand-in worker: the test plays the worker's side through `send` and `fail`. */
function fakeWorker() {
  const posted: unknown[] = [];
  let onMessage: (data: unknown) => void = () => {};
  let onFailure: (error: Error) => void = () => {};
  let terminated = false;
  const channel: WorkerChannel = {
    post: (message) => posted.push(message),
    onMessage: (handle) => (onMessage = handle),
    onFailure: (handle) => (onFailure = handle),
    async terminate() {
      terminated = true;
    },
  };
  return {
    channel,
    posted,
    send: (data: unknown) => onMessage(data),
    fail: (error: Error) => onFailure(error),
    terminated: () => terminated,
  };
}

describe('worker instance', () => {
  it('starts when the worker says ready, posts jobs with their time limit, and resolves with the reply', async () => {
    const worker = fakeWorker();
    const starting = startWorkerInstance(worker.channel);
    worker.send({ ready: true });
    const instance = await starting;
    const running = instance.run(job);
    expect(worker.posted).toEqual([{ id: 1, inputs: [], args: ['-version'], outputPath: '/out', timeoutMs: 200 }]);
    worker.send({ id: 1, ok: true, exitCode: 0, output: new Uint8Array([7]), log: ['hello'] });
    expect(await running).toEqual({ exitCode: 0, output: new Uint8Array([7]), log: ['hello'] });
  });

  it('fails to start, as engine-crashed, when the worker cannot load the core or dies first', async () => {
    const noCore = fakeWorker();
    const starting = startWorkerInstance(noCore.channel);
    noCore.send({ ready: false, error: 'CompileError: bad wasm\n    at …' });
    await expect(starting).rejects.toMatchObject({ kind: 'engine-crashed', message: expect.stringMatching(/CompileError: bad wasm$/) });
    expect(noCore.terminated()).toBe(true);

    const dies = fakeWorker();
    const dying = startWorkerInstance(dies.channel);
    dies.fail(new Error('exited with code 1'));
    await expect(dying).rejects.toMatchObject({ kind: 'engine-crashed' });
  });

  it('rejects with timeout at the limit (hard), and when the worker reports the core stopped at it (soft)', async () => {
    const worker = fakeWorker();
    const starting = startWorkerInstance(worker.channel);
    worker.send({ ready: true });
    const instance = await starting;
    const started = Date.now();
    await expect(instance.run(job)).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    const soft = instance.run(job);
    worker.send({ id: 2, ok: false, timedOut: true, error: 'stopped at the time limit', log: [] });
    await expect(soft).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('reports a crash inside, and a worker that died while idle fails its next job at once', async () => {
    const worker = fakeWorker();
    const starting = startWorkerInstance(worker.channel);
    worker.send({ ready: true });
    const instance = await starting;
    const crashing = instance.run({ ...job, timeoutMs: 20_000 });
    worker.send({ id: 1, ok: false, error: 'RuntimeError: memory access out of bounds\n    at …', log: [] });
    await expect(crashing).rejects.toMatchObject({ kind: 'engine-crashed', message: expect.stringMatching(/out of bounds$/) });

    worker.fail(new Error('engine worker exited with code 1'));
    const started = Date.now();
    await expect(instance.run({ ...job, timeoutMs: 20_000 })).rejects.toMatchObject({ kind: 'engine-crashed' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
