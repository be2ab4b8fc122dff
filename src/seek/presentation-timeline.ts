/**
 * The presentation timeline: which samples are shown, and when, once the track's edit list is
 * applied — the times native ffmpeg and players report.
 */
import { grown, type SampleList } from '../demux/sample-list.js';
import type { EditSegment, EncodedSample, VideoTrack } from '../demux/video-track.js';
import { lastIndexAtOrBefore } from '../sorted-search.js';

/** A frame as presented: the sample it shows and when it starts showing. */
export interface PresentedFrame {
  readonly sample: EncodedSample;
  /** Presentation time in track ticks, edit lists applied. */
  readonly pts: number;
  /** Presentation time in whole microseconds. */
  readonly timeUs: number;
}

/** A frame's time on screen, in microseconds: from `timeUs` until just before `endUs`. */
export interface ShownFrame {
  readonly timeUs: number;
  readonly endUs: number;
}

/**
 * The presented frames in presentation order, column-wise like the samples (see `SampleList`):
 * a frame object is made only for a frame a query returns.
 */
export class PresentationTimeline {
  /** Number of presented frames. */
  readonly length: number;

  constructor(
    private readonly samples: SampleList,
    /** Decode-order index of the sample each frame shows. */
    private readonly sampleIndex: Int32Array,
    private readonly pts: Float64Array,
    private readonly timesUs: Float64Array,
    private readonly timescale: number,
  ) {
    this.length = sampleIndex.length;
  }

  /** Frame `i` (presentation order). */
  at(i: number): PresentedFrame {
    return { sample: this.samples.at(this.sampleIndex[i]!), pts: this.pts[i]!, timeUs: this.timesUs[i]! };
  }

  /** When frame `i` starts showing, in microseconds, without making an object. */
  timeUs(i: number): number {
    return this.timesUs[i]!;
  }

  /** Index of the last frame presented at or before `timeUs`, or -1. */
  lastAtOrBefore(timeUs: number): number {
    return lastIndexAtOrBefore(this.length, (i) => this.timesUs[i]!, timeUs);
  }

  /**
   * The frame on screen at `timeUs`: the last one presented at or before it, until the next frame
   * (the last frame shows for its sample duration). `undefined` before the first frame and once
   * the last has ended.
   */
  frameShownAt(timeUs: number): ShownFrame | undefined {
    const at = this.lastAtOrBefore(timeUs);
    if (at < 0) return undefined;
    const endUs = at + 1 < this.length
      ? this.timesUs[at + 1]!
      : Math.round(((this.pts[at]! + Math.max(1, this.samples.duration(this.sampleIndex[at]!))) * 1_000_000) / this.timescale);
    return timeUs < endUs ? { timeUs: this.timesUs[at]!, endUs } : undefined;
  }
}

/**
 * Samples in presentation order (by composition time, then decode order). Sorted as numbers
 * `cts · n + index` where that is exact (whole, non-negative times), which sorts in place,
 * without the temporary array and the calls a comparator costs on long tracks.
 */
function byComposition(samples: SampleList): Int32Array {
  const n = samples.length;
  let maxCts = 0;
  let integral = true;
  for (let i = 0; i < n && integral; i++) {
    const cts = samples.cts(i);
    integral = Number.isInteger(cts) && cts >= 0;
    maxCts = Math.max(maxCts, cts);
  }
  if (integral && Number.isSafeInteger(maxCts * n + n)) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = samples.cts(i) * n + i;
    keys.sort();
    return Int32Array.from(keys, (key) => key % n);
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => samples.cts(a) - samples.cts(b) || a - b);
}

/** First position in `sorted` whose cts is >= `cts`. */
function lowerBound(samples: SampleList, sorted: Int32Array, cts: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (samples.cts(sorted[mid]!) < cts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Frames being collected: sample indices and their presentation times in ticks. */
interface Shown {
  readonly sampleIndex: Int32Array;
  readonly pts: Float64Array;
}

/**
 * Builds the timeline, sorted by presentation time. Without an edit list every sample shows at
 * its composition time. With one, each non-empty edit shows the samples whose composition time
 * falls inside it, shifted to where the edit starts; an empty edit delays what follows. Samples
 * before an edit's media time are decoded but never shown (as ffmpeg marks them discarded).
 */
export function buildPresentationTimeline(track: VideoTrack): PresentationTimeline {
  const { samples } = track;
  const sorted = byComposition(samples);
  const shown = track.edits.some((edit) => edit.mediaTime !== null)
    ? startAtZero(applyEdits(samples, sorted, track.edits), track.edits)
    : { sampleIndex: sorted, pts: Float64Array.from(sorted, (i) => samples.cts(i)) };
  // Whole microseconds, rounded as ffmpeg rescales: a frame's reported time, queried again,
  // must name the same frame.
  const timesUs = shown.pts.map((pts) => Math.round((pts * 1_000_000) / track.timescale));
  return new PresentationTimeline(samples, shown.sampleIndex, shown.pts, timesUs, track.timescale);
}

function applyEdits(samples: SampleList, sorted: Int32Array, edits: readonly EditSegment[]): Shown {
  // Edits may show a sample more than once: grow when full.
  let sampleIndex = new Int32Array(sorted.length);
  let pts = new Float64Array(sorted.length);
  let count = 0;
  const push = (index: number, time: number) => {
    if (count === sampleIndex.length) {
      sampleIndex = grown(sampleIndex, 2 * count + 1);
      pts = grown(pts, 2 * count + 1);
    }
    sampleIndex[count] = index;
    pts[count++] = time;
  };
  let start = 0;
  for (const edit of edits) {
    if (edit.mediaTime === null) {
      start += edit.duration;
      continue;
    }
    const end = edit.mediaTime + edit.duration;
    for (let i = lowerBound(samples, sorted, edit.mediaTime); i < sorted.length; i++) {
      const cts = samples.cts(sorted[i]!);
      if (cts >= end) break;
      push(sorted[i]!, start + cts - edit.mediaTime);
    }
    if (!Number.isFinite(edit.duration)) break;
    start += edit.duration;
  }
  return { sampleIndex: sampleIndex.subarray(0, count), pts: pts.subarray(0, count) };
}

/**
 * When an edit starts between frames, the first frame shown comes a little after the edit's
 * start; ffmpeg then moves the whole timeline earlier so that this frame shows at the start
 * (at the end of the leading empty edits, if any). We do the same, so times agree.
 */
function startAtZero(shown: Shown, edits: readonly EditSegment[]): Shown {
  if (shown.pts.length === 0) return shown;
  const emptyDuration = edits.reduce((sum, edit) => (edit.mediaTime === null ? sum + edit.duration : sum), 0);
  const shift = shown.pts.reduce((min, pts) => Math.min(min, pts), Infinity) - emptyDuration;
  if (shift > 0) for (let i = 0; i < shown.pts.length; i++) shown.pts[i]! -= shift;
  return shown;
}
