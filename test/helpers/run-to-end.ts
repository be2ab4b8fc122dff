/**
 * Running a program from the specs to its end, with a time limit: a program that does not exit
 * by itself is a failure here (an engine must never keep its process alive), so it is killed —
 * with its whole process group, launchers such as npx and tsx included — and the run rejects.
 */
import { spawn } from 'node:child_process';

/** How a program ended and what it printed. */
export interface ProgramRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `program ARGS` in `cwd` (with `NO_COLOR`, for plain text in assertion messages) and
 * resolves on 'close', once every process holding its output has ended.
 */
export function runToEnd(program: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`${program} ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
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
