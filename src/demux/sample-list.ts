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

/** Columns holding per-sample records (fragmented MP4, whose parser gives records). */
export function columnsFromRecords(records: readonly SampleRecord[]): SampleColumns {
  const columns = allocateColumns(records.length);
  records.forEach((record, i) => {
    columns.dts[i] = record.dts;
    columns.cts[i] = record.cts;
    columns.duration[i] = record.duration;
    columns.offset[i] = record.offset;
    columns.size[i] = record.size;
    columns.sync[i] = record.isSync ? 1 : 0;
  });
  return columns;
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

  /** A list of per-sample records (tests; demuxers whose parser gives records use {@link columnsFromRecords}). */
  static fromRecords(records: readonly SampleRecord[]): SampleList {
    return new SampleList(columnsFromRecords(records));
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
