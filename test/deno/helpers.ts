/**
 * Running Deno from the specs: the `deno` devDependency (found via `npx deno`, see
 * `requireDeno()` in ../helpers/native.ts), one process per script, with a time limit.
 */
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
