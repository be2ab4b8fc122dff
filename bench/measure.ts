/**
 * Statistics and the child-process runner. Every measured task runs in a child process of its
 * own, so that its peak RSS (`process.resourceUsage().maxRSS` at its end) belongs to that task
 * alone and nothing one peer leaves behind (heaps, worker threads, page-cache-warm wasm) helps or
 * hurts the next.
 *
 * Protocol: the child writes progress to stderr (passed through), zero or more
 * `BENCH_PARTIAL <json>` lines and, when it finishes, one `BENCH_RESULT <json>` line to stdout.
 * Partials let a child that hangs or is killed (the naive wasm peer can spin forever after a wasm
 * trap) still report what it did before.
 */
import { spawn } from 'node:child_process';
import { ROOT } from './media.js';

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A percentile by the nearest-rank method (the smallest value with at least `p`% of the values
 * at or below it): with 30 samples, p95 is the 29th smallest. No interpolation, so it is always
 * a latency that really happened.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** `ours / peer`, or null when either side has no number (or the peer's is zero). */
export function ratio(ours: number | null | undefined, peer: number | null | undefined): number | null {
  if (ours == null || peer == null || !Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return null;
  return ours / peer;
}

/** Kibibytes (what `maxRSS` reports) to MB (10^6 bytes), the unit the targets use. */
export const kibToMB = (kib: number): number => (kib * 1024) / 1e6;

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export const now = (): number => performance.now();

/** What a child process reported. */
export interface ChildOutcome<R, P> {
  /** The `BENCH_RESULT`, when the child got that far. */
  readonly result: R | undefined;
  /** Every `BENCH_PARTIAL`, in order. */
  readonly partials: P[];
  /** Exit code, or null when killed by a signal. */
  readonly exitCode: number | null;
  /** True when the time limit ran out and the child was killed. */
  readonly timedOut: boolean;
  /** Wall time as the parent saw it (process start to exit), ms. */
  readonly wallMs: number;
  /** The last lines of its stderr, for failure reports. */
  readonly stderrTail: string;
}

/** How to start a child: a TypeScript entry run through tsx, or a plain JavaScript one. */
export interface ChildSpec {
  /** Script path, relative to the repository root or absolute. */
  readonly script: string;
  /** Arguments after the script (a task name and JSON parameters, usually). */
  readonly args: readonly string[];
  /** Run the script with the tsx loader (`.ts` files). Plain `node` otherwise. */
  readonly tsx: boolean;
  /** Working directory. Default: the repository root. */
  readonly cwd?: string;
  /** Killed (SIGKILL, the whole process group) after this long. */
  readonly timeoutMs: number;
}

/** Process groups of the children still running (to end them if the benchmark is interrupted). */
const liveGroups = new Set<number>();

/** Kills every child still running, with whatever it spawned. For SIGINT/SIGTERM handlers. */
export function killLiveChildren(): void {
  for (const pid of liveGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear();
}

/**
 * Runs a child Node process and collects its protocol lines. Never rejects for what the child
 * does (a crash or a time-out is in the outcome); rejects only when it cannot be started.
 */
export function runChild<R, P = unknown>(spec: ChildSpec): Promise<ChildOutcome<R, P>> {
  const started = now();
  const nodeArgs = [...(spec.tsx ? ['--import', 'tsx'] : []), spec.script, ...spec.args];
  return new Promise((done, fail) => {
    // detached: its own process group, so a time-out also ends whatever it spawned (ffmpeg).
    const child = spawn(process.execPath, nodeArgs, { cwd: spec.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) liveGroups.add(child.pid);
    let result: R | undefined;
    const partials: P[] = [];
    let pending = '';
    let stderrTail = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, spec.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('BENCH_RESULT ')) result = JSON.parse(line.slice('BENCH_RESULT '.length)) as R;
        else if (line.startsWith('BENCH_PARTIAL ')) partials.push(JSON.parse(line.slice('BENCH_PARTIAL '.length)) as P);
        else if (line.trim()) process.stderr.write(`  ${line}\n`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      process.stderr.write(text.replace(/^(?=.)/gm, '  '));
      stderrTail = (stderrTail + text).slice(-2000);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (child.pid !== undefined) liveGroups.delete(child.pid);
      done({ result, partials, exitCode, timedOut, wallMs: now() - started, stderrTail });
    });
  });
}

/** Child side: reports the final result (one line) to the parent. */
export function reportResult(result: unknown): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

/** Child side: reports one partial result to the parent right away. */
export function reportPartial(partial: unknown): void {
  process.stdout.write(`BENCH_PARTIAL ${JSON.stringify(partial)}\n`);
}

/** Child side: this process's peak resident set so far, in MB. Includes its worker threads. */
export function peakRssMB(): number {
  return kibToMB(process.resourceUsage().maxRSS);
}
