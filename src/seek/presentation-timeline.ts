/**
 * The presentation timeline: which samples are shown, and when, once the track's edit list is
 * applied — the times native ffmpeg and players report.
 */
import type { EncodedSample, VideoTrack } from '../demux/video-track.js';

/** A frame as presented: the sample it shows and when it starts showing. */
export interface PresentedFrame {
  readonly sample: EncodedSample;
  /** Presentation time in track ticks, edit lists applied. */
  readonly pts: number;
  /** Presentation time in microseconds. */
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
  const toUs = (pts: number) => (pts * 1_000_000) / track.timescale;
  const frame = (sample: EncodedSample, pts: number): PresentedFrame => ({ sample, pts, timeUs: toUs(pts) });
  if (!track.edits.some((edit) => edit.mediaTime !== null)) {
    return sorted.map((sample) => frame(sample, sample.cts));
  }
  const frames: PresentedFrame[] = [];
  let start = 0;
  for (const edit of track.edits) {
    if (edit.mediaTime === null) {
      start += edit.duration;
      continue;
    }
    const end = edit.mediaTime + edit.duration;
    for (let i = lowerBound(sorted, edit.mediaTime); i < sorted.length; i++) {
      const sample = sorted[i]!;
      if (sample.cts >= end) break;
      frames.push(frame(sample, start + sample.cts - edit.mediaTime));
    }
    if (!Number.isFinite(edit.duration)) break;
    start += edit.duration;
  }
  return frames;
}
