/**
 * Running Deno from the specs: the `deno` devDependency (found via `npx deno`, see
 * `requireDeno()` in ../helpers/native.ts), one process per script, with a time limit.
 */
import { spawn } from 'node:child_process';
import { denoExecutable } from '../helpers/native.js';

export interface DenoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `deno ARGS` in `cwd` to its end. Rejects when it has not ended within `timeoutMs`
 * (and stops it): a Deno program that does not exit by itself is a failure here, since an
 * engine must never keep its process alive.
 */
export function runDeno(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<DenoRun> {
  const deno = denoExecutable();
  if (!deno) return Promise.reject(new Error('deno is not available (see requireDeno)'));
  return new Promise((resolve, reject) => {
    // NO_COLOR: plain error text in assertion messages.
    const child = spawn(deno, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`deno ${args.join(' ')} did not end within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last non-empty line of `stdout`, parsed as JSON (the scripts print their report last). */
export function lastJson<T>(run: DenoRun): T {
  const line = run.stdout.trim().split('\n').at(-1);
  if (!line) throw new Error(`deno printed nothing\n${run.stderr}`);
  return JSON.parse(line) as T;
}
