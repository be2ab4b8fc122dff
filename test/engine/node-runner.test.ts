/**
 * The Node engine: ffmpeg.wasm in worker threads. A job that overruns its time limit or throws
 * inside the instance gets a typed error, the instance is replaced, and the next job works.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { runnerContract } from './runner-contract.js';

const runner = createNodeRunner({ instances: 2 });
afterAll(() => runner.close());

describe('Node worker-thread runner', () => {
  runnerContract(() => runner, () => createNodeRunner({ instances: 1 }));

  it('does not keep the process alive: a program that never closes its runner exits', async () => {
    const script = new URL('./exit-without-close.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 30_000 });
    expect(stdout.trim()).toBe('0,0');
  });
});
