/**
 * The samples of a track, stored column by column. An hour of 30 fps video has 108 000 samples
 * and a day of camera footage millions; an object per sample costs some 100 bytes of heap plus
 * the garbage of building it, typed columns 37 bytes and none. Objects are made only for the
 * few samples a query touches.
 */
import type { EncodedSample } from './video-track.js';

/** One sample as a container table gives it, in track ticks; `cts` before any edit list. */
export interface SampleRecord {
  readonly dts: number;
  readonly cts: number;
  readonly duration: number;
  readonly offset: number;
  readonly size: number;
  readonly isSync: boolean;
}

/** The columns of a {@link SampleList}, all of the same length, in decode order. */
export interface SampleColumns {
  readonly dts: Float64Array;
  readonly cts: Float64Array;
  readonly duration: Float64Array;
  /** Absolute byte offsets (files over 4 GiB need more than 32 bits). */
  readonly offset: Float64Array;
  readonly size: Uint32Array;
  /** 1 where the container labels the sample sync. */
  readonly sync: Uint8Array;
}

/** Empty columns for `count` samples, to be filled by a demuxer. */
export function allocateColumns(count: number): SampleColumns {
  return {
    dts: new Float64Array(count),
    cts: new Float64Array(count),
    duration: new Float64Array(count),
    offset: new Float64Array(count),
    size: new Uint32Array(count),
    sync: new Uint8Array(count),
  };
}

/** The typed arrays columns are made of. */
type Column = Float64Array | Uint32Array | Int32Array | Uint8Array;

/** A copy of `column` in a new array of `length` (at least its own), for columns that grow as they are filled. */
export function grown<T extends Column>(column: T, length: number): T {
  const next = new (column.constructor as new (length: number) => T)(length);
  next.set(column);
  return next;
}

/** Sets sample `i` of `columns` (track ticks). */
export function setSample(columns: SampleColumns, i: number, dts: number, cts: number, duration: number, offset: number, size: number, sync: boolean): void {
  columns.dts[i] = dts;
  columns.cts[i] = cts;
  columns.duration[i] = duration;
  columns.offset[i] = offset;
  columns.size[i] = size;
  columns.sync[i] = sync ? 1 : 0;
}

/**
 * Columns filled a sample at a time, for demuxers that learn the count only as they go
 * (Matroska, fragmented MP4): they grow by doubling, so a long track costs a few copies of its
 * columns rather than an object per sample.
 */
export class SampleColumnsBuilder {
  private columns = allocateColumns(1024);
  private count = 0;

  /** Samples added so far. */
  get length(): number {
    return this.count;
  }

  /** Appends a sample (decode order), in track ticks. */
  add(dts: number, cts: number, duration: number, offset: number, size: number, sync: boolean): void {
    if (this.count === this.columns.size.length) this.grow();
    setSample(this.columns, this.count++, dts, cts, duration, offset, size, sync);
  }

  /** The columns of the samples added, trimmed to their number. */
  build(): SampleColumns {
    const n = this.count;
    const c = this.columns;
    return { dts: c.dts.slice(0, n), cts: c.cts.slice(0, n), duration: c.duration.slice(0, n), offset: c.offset.slice(0, n), size: c.size.slice(0, n), sync: c.sync.slice(0, n) };
  }

  private grow(): void {
    const c = this.columns;
    const length = 2 * c.size.length;
    this.columns = { dts: grown(c.dts, length), cts: grown(c.cts, length), duration: grown(c.duration, length), offset: grown(c.offset, length), size: grown(c.size, length), sync: grown(c.sync, length) };
  }
}

/** The samples of `parts` one after the other, in new columns (the parts are left as they are). */
export function concatColumns(parts: readonly SampleColumns[]): SampleColumns {
  const out = allocateColumns(parts.reduce((sum, part) => sum + part.size.length, 0));
  let at = 0;
  for (const part of parts) {
    for (const key of Object.keys(out) as Array<keyof SampleColumns>) out[key].set(part[key], at);
    at += part.size.length;
  }
  return out;
}

/**
 * Gives each sample without a duration (0) one, for containers that store few or none
 * (Matroska, MPEG-TS): `defaultTicks` when the track states one, else the gap to the next frame
 * in presentation order (for the last frame, or a frame sharing its time with the next, the gap
 * from the one before).
 */
export function fillMissingDurations({ cts, duration }: SampleColumns, defaultTicks?: number): void {
  const order = Uint32Array.from(cts.keys()).sort((a, b) => cts[a]! - cts[b]! || a - b);
  order.forEach((index, k) => {
    if (duration[index]! > 0) return;
    const next = order[k + 1];
    const gap = next === undefined ? 0 : cts[next]! - cts[index]!;
    const previous = order[k - 1];
    const fallback = previous === undefined ? 0 : cts[index]! - cts[previous]!;
    duration[index] = defaultTicks ?? (gap > 0 ? gap : fallback);
  });
}

/** A track's samples in decode order. */
export class SampleList {
  /** Number of samples. */
  readonly length: number;
  /** Whether the container labels any sample sync (if none, its labels say nothing). */
  readonly labelsAnySync: boolean;

  constructor(private readonly columns: SampleColumns) {
    this.length = columns.size.length;
    this.labelsAnySync = columns.sync.includes(1);
  }

  /** A list of per-sample records (for tests, and hand-made tracks). */
  static fromRecords(records: readonly SampleRecord[]): SampleList {
    const columns = allocateColumns(records.length);
    records.forEach((r, i) => setSample(columns, i, r.dts, r.cts, r.duration, r.offset, r.size, r.isSync));
    return new SampleList(columns);
  }

  /** The sample at `index` (decode order), as a fresh object. */
  at(index: number): EncodedSample {
    const { dts, cts, duration, offset, size, sync } = this.columns;
    if (!(index >= 0 && index < this.length)) throw new RangeError(`no sample ${index} of ${this.length}`);
    return { index, dts: dts[index]!, cts: cts[index]!, duration: duration[index]!, offset: offset[index]!, size: size[index]!, labeledSync: sync[index] === 1 };
  }

  /** Samples `start` to `end - 1`, as objects. */
  slice(start = 0, end = this.length): EncodedSample[] {
    const out: EncodedSample[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.at(i));
    return out;
  }

  /** Composition time of sample `index`, without making an object. */
  cts(index: number): number {
    return this.columns.cts[index]!;
  }

  /** Duration of sample `index`, without making an object. */
  duration(index: number): number {
    return this.columns.duration[index]!;
  }
}
