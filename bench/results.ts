/**
 * The results model: what `results.json` holds and `RESULTS.md` renders. A job has rows; a row is
 * one quantity (wall time, peak RSS, bytes read…) for the three contestants, the ratios of ours to
 * each peer, and the target for it, if any.
 */
import { ratio } from './measure.js';
import type { JobId } from './options.js';

/** Units a row's numbers are in. `ratio`: a dimensionless quotient (job 6's frames decoded ÷ frames needed). */
export type Unit = 'ms' | 'MB' | 'bytes' | 'images' | 'ratio';

/** One contestant's number in a row, or why there is none. */
export interface Cell {
  /** The number (a median over runs, unless the row says otherwise), or null. */
  readonly value: number | null;
  /** Shown next to or instead of the number: "n/a: …", "97/100 ok", a caveat. */
  readonly note?: string;
}

/**
 * A contestant outside the three columns (job 7's Mediabunny, which runs only in a browser):
 * its number and ours ÷ its number, shown beside the row's name.
 */
export interface Versus {
  readonly name: string;
  readonly cell: Cell;
  /** stillframe / this contestant; null as for the other ratios. */
  readonly ratio: number | null;
}

/** One quantity across the contestants. */
export interface Row {
  readonly what: string;
  readonly unit: Unit;
  readonly stillframe: Cell;
  readonly native: Cell;
  readonly naive: Cell;
  /**
   * stillframe / native and stillframe / naive (null when either is missing, and for counts of
   * images, where a ratio means nothing).
   */
  readonly ratioNative: number | null;
  readonly ratioNaive: number | null;
  /** Another contestant this row compares against, when the issue names one outside the columns. */
  readonly versus?: Versus;
  /** The target for this quantity, in words ("" when there is none). */
  readonly target: string;
  /** Whether the target is met; null when there is no target or no number to judge. */
  readonly met: boolean | null;
}

/** Whether a job produced numbers. */
export type JobStatus = 'measured' | 'failed' | 'not-measured' | 'not-run';

/** One job of the table. */
export interface JobResult {
  readonly id: JobId;
  /** Short name, e.g. "GetImages 1080p". */
  readonly title: string;
  /** What exactly was measured. */
  readonly description: string;
  readonly status: JobStatus;
  readonly rows: readonly Row[];
  /** Caveats and facts worth reading with the numbers. */
  readonly notes: readonly string[];
  /** Raw per-run data, for the JSON only. */
  readonly details?: unknown;
}

/** The whole file. */
export interface BenchResults {
  readonly meta: Record<string, unknown>;
  readonly jobs: readonly JobResult[];
}

/**
 * Builds a row, computing the ratios from the cells so they are always consistent with them.
 * `judge` says whether the target is met, given the row's numbers and ratios; `versus` adds a
 * contestant outside the columns (its ratio is computed the same way).
 */
export function makeRow(
  what: string,
  unit: Unit,
  cells: { stillframe: Cell; native: Cell; naive: Cell },
  target = '',
  judge?: (row: { ours: number; ratioNative: number | null; ratioNaive: number | null; ratioVersus: number | null }) => boolean | null,
  versus?: { name: string; cell: Cell },
): Row {
  const ratioOf = (peer: Cell) => (unit === 'images' ? null : ratio(cells.stillframe.value, peer.value));
  const ratioNative = ratioOf(cells.native);
  const ratioNaive = ratioOf(cells.naive);
  const other: Versus | undefined = versus && { ...versus, ratio: ratioOf(versus.cell) };
  const ours = cells.stillframe.value;
  const met = judge && ours !== null ? judge({ ours, ratioNative, ratioNaive, ratioVersus: other?.ratio ?? null }) : null;
  return { what, unit, ...cells, ratioNative, ratioNaive, ...(other ? { versus: other } : {}), target, met };
}

/** A cell with a number. */
export const cell = (value: number | null | undefined, note?: string): Cell => ({ value: value ?? null, ...(note ? { note } : {}) });

/** A cell without a number, saying why. */
export const absent = (note: string): Cell => ({ value: null, note });

/** A job that did not run in this invocation (`--only`). */
export function notRun(id: JobId, title: string): JobResult {
  return { id, title, description: 'not run in this invocation (--only)', status: 'not-run', rows: [], notes: [] };
}
