/**
 * Running Deno from the specs: the `deno` devDependency (found via `npx deno`, see
 * `requireDeno()` in ../helpers/native.ts), one process per script, with a time limit — run to
 * its end ({@link runDeno}), or kept running as a server until told to stop ({@link startDeno}).
 */
import { spawn } from 'node:child_process';
import { denoExecutable } from '../helpers/native.js';
import { runToEnd, type ProgramRun } from '../helpers/run-to-end.js';

/** How a Deno run ended and what it printed. */
export type DenoRun = ProgramRun;

/**
 * Runs `deno ARGS` in `cwd` to its end. Rejects when it has not ended within `timeoutMs`
 * (and stops it): a Deno program that does not exit by itself is a failure here, since an
 * engine must never keep its process alive.
 */
export function runDeno(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<DenoRun> {
  const deno = denoExecutable();
  if (!deno) return Promise.reject(new Error('deno is not available (see requireDeno)'));
  return runToEnd(deno, args, cwd, timeoutMs);
}

/** The last non-empty line of `stdout`, parsed as JSON (the scripts print their report last). */
export function lastJson<T>(run: DenoRun): T {
  const line = run.stdout.trim().split('\n').at(-1);
  if (!line) throw new Error(`deno printed nothing\n${run.stderr}`);
  return JSON.parse(line) as T;
}

/** A Deno program that keeps running (a server), started by {@link startDeno}. */
export interface RunningDeno<T> {
  /** The first line it printed, parsed as JSON (what it says once ready, e.g. its address). */
  readonly ready: T;
  /**
   * Closes its standard input — the program's cue to shut down — and resolves with how it
   * ended. Rejects when it has not ended within `timeoutMs` (and stops it, with its process
   * group): like {@link runDeno}, a program that does not exit by itself is a failure. Calling
   * it again gives the same outcome.
   */
  end(timeoutMs?: number): Promise<DenoRun>;
}

/**
 * Starts `deno ARGS` in `cwd` with its standard input open, and resolves once it has printed
 * its first line (parsed as JSON). Rejects, stopping it, when it exits or has printed no line
 * within `readyTimeoutMs`.
 */
export function startDeno<T>(args: readonly string[], cwd: string, readyTimeoutMs = 60_000): Promise<RunningDeno<T>> {
  const deno = denoExecutable();
  if (!deno) return Promise.reject(new Error('deno is not available (see requireDeno)'));
  const child = spawn(deno, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<DenoRun>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  let ending: Promise<DenoRun> | undefined;
  const end = (timeoutMs = 30_000): Promise<DenoRun> =>
    (ending ??= (async () => {
      child.stdin.end();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          kill();
          reject(new Error(`deno ${args.join(' ')} did not end within ${timeoutMs} ms of its input closing:\n${stdout}\n${stderr}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([closed, late]);
      } finally {
        clearTimeout(timer);
      }
    })());

  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      kill();
      reject(new Error(`deno ${args.join(' ')} ${why}:\n${stdout}\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`printed nothing within ${readyTimeoutMs} ms`), readyTimeoutMs);
    child.on('error', (error) => fail(`did not start (${error.message})`));
    child.on('exit', (code) => fail(`exited (code ${code}) before printing a line`));
    const onData = () => {
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      child.stdout.off('data', onData);
      child.removeAllListeners('exit');
      clearTimeout(timer);
      try {
        resolve({ ready: JSON.parse(stdout.slice(0, newline)) as T, end });
      } catch {
        fail('printed a first line that is not JSON');
      }
    };
    child.stdout.on('data', onData);
  });
}
