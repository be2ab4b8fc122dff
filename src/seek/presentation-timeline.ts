/**
 * The presentation timeline: which samples are shown, and when, once the track's edit list is
 * applied — the times native ffmpeg and players report.
 */
import type { EditSegment, EncodedSample, VideoTrack } from '../demux/video-track.js';

/** A frame as presented: the sample it shows and when it starts showing. */
export interface PresentedFrame {
  readonly sample: EncodedSample;
  /** Presentation time in track ticks, edit lists applied. */
  readonly pts: number;
  /** Presentation time in whole microseconds. */
  readonly timeUs: number;
}

function byCts(a: EncodedSample, b: EncodedSample): number {
  return a.cts - b.cts || a.index - b.index;
}

/** First index in `sorted` whose cts is >= `cts`. */
function lowerBound(sorted: readonly EncodedSample[], cts: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.cts < cts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Builds the timeline, sorted by presentation time. Without an edit list every sample shows at
 * its composition time. With one, each non-empty edit shows the samples whose composition time
 * falls inside it, shifted to where the edit starts; an empty edit delays what follows. Samples
 * before an edit's media time are decoded but never shown (as ffmpeg marks them discarded).
 */
export function buildPresentationTimeline(track: VideoTrack): PresentedFrame[] {
  const sorted = [...track.samples].sort(byCts);
  const shown = track.edits.some((edit) => edit.mediaTime !== null)
    ? startAtZero(applyEdits(sorted, track.edits), track.edits)
    : sorted.map((sample) => ({ sample, pts: sample.cts }));
    // Whole microseconds, rounded as ffmpeg rescales: a frame's reported time, queried again,
  // must name the same frame.
  return shown.map(({ sample, pts }) => ({ sample, pts, timeUs: Math.round((pts * 1_000_000) / track.timescale) }));
}

type Shown = { sample: EncodedSample; pts: number };

function applyEdits(sorted: readonly EncodedSample[], edits: readonly EditSegment[]): Shown[] {
  const shown: Shown[] = [];
  let start = 0;
  for (const edit of edits) {
    if (edit.mediaTime === null) {
      start += edit.duration;
      continue;
    }
    const end = edit.mediaTime + edit.duration;
    for (let i = lowerBound(sorted, edit.mediaTime); i < sorted.length; i++) {
      const sample = sorted[i]!;
      if (sample.cts >= end) break;
      shown.push({ sample, pts: start + sample.cts - edit.mediaTime });
    }
    if (!Number.isFinite(edit.duration)) break;
    start += edit.duration;
  }
  return shown;
}

/**
 * When an edit starts between frames, the first frame shown comes a little after the edit's
 * start; ffmpeg then moves the whole timeline earlier so that this frame shows at the start
 * (at the end of the leading empty edits, if any). We do the same, so times agree.
 */
function startAtZero(shown: Shown[], edits: readonly EditSegment[]): Shown[] {
  if (shown.length === 0) return shown;
  const emptyDuration = edits.reduce((sum, edit) => (edit.mediaTime === null ? sum + edit.duration : sum), 0);
  const shift = Math.min(...shown.map((frame) => frame.pts)) - emptyDuration;
  return shift > 0 ? shown.map(({ sample, pts }) => ({ sample, pts: pts - shift })) : shown;
}

/** Index of the last frame presented at or before `timeUs`, or -1. */
export function lastFrameAtOrBefore(timeline: readonly PresentedFrame[], timeUs: number): number {
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeline[mid]!.timeUs <= timeUs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A frame's time on screen, in microseconds: from `timeUs` until just before `endUs`. */
export interface ShownFrame {
  readonly timeUs: number;
  readonly endUs: number;
}

/**
 * The frame on screen at `timeUs`: the last one presented at or before it, until the next frame
 * (the last frame shows for its sample duration). `undefined` before the first frame and once
 * the last has ended.
 */
export function frameShownAt(timeline: readonly PresentedFrame[], timeUs: number, timescale: number): ShownFrame | undefined {
  const at = lastFrameAtOrBefore(timeline, timeUs);
  const frame = timeline[at];
  if (!frame) return undefined;
  const next = timeline[at + 1];
  const endUs = next ? next.timeUs : Math.round(((frame.pts + Math.max(1, frame.sample.duration)) * 1_000_000) / timescale);
  return timeUs < endUs ? { timeUs: frame.timeUs, endUs } : undefined;
}
