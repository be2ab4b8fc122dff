/**
 * The part of a track a query works in. Most containers index the whole track at once: one
 * window. A segmented track (a Matroska file with `Cues`) is indexed a few segments at a time:
 * a time's window is its segment and the ones on either side, so that every frame a query mode
 * can name for that time — the sync frames before and after it, an open-GOP leading picture and
 * the entry point it decodes from — is in it.
 */
import type { SegmentedTrack, VideoTrack } from '../demux/video-track.js';
import type { ByteSource } from '../sources/byte-source.js';
import { EntryPointVerifier } from './entry-points.js';
import { buildPresentationTimeline, type PresentationTimeline } from './presentation-timeline.js';

/** A window: an indexed stretch of the track, with its timeline and its entry-point verifier. */
export interface TrackWindow {
  /** Tells windows apart: sample indices are the window's own. */
  readonly id: string;
  readonly track: VideoTrack;
  readonly timeline: PresentationTimeline;
  readonly verifier: EntryPointVerifier;
}

/** The windows of a track: one per time, and the first and last, known from opening on. */
export interface TrackWindows {
  /** The window a query for `timeUs` works in (the first or last for times outside the video). */
  at(timeUs: number): Promise<TrackWindow>;
  readonly first: TrackWindow;
  readonly last: TrackWindow;
  /** True when one window holds the whole track. */
  readonly whole: boolean;
}

/** Windows of a segmented track kept indexed (each a few segments' sample columns). */
const KEPT_WINDOWS = 4;

/** Indexed windows of a segmented track, the most recently used last. */
type WindowCache = Map<string, Promise<TrackWindow>>;

function window(id: string, source: ByteSource, track: VideoTrack): TrackWindow {
  return { id, track, timeline: buildPresentationTimeline(track), verifier: new EntryPointVerifier(source, track) };
}

/** The one window of a track indexed whole. */
export function wholeTrackWindows(source: ByteSource, track: VideoTrack): TrackWindows {
  const only = window('whole', source, track);
  return { at: async () => only, first: only, last: only, whole: true };
}

/** The windows of a segmented track; its first and last are indexed now. */
export async function segmentedTrackWindows(source: ByteSource, segmented: SegmentedTrack): Promise<TrackWindows> {
  const starts = segmented.segmentStartsUs;
  const cache: WindowCache = new Map();
  const around = (segment: number): Promise<TrackWindow> => {
    const first = Math.max(0, segment - 1);
    const last = Math.min(starts.length - 1, segment + 1);
    const id = `${first}-${last}`;
    let indexed = cache.get(id);
    if (indexed) {
      cache.delete(id);
    } else {
      indexed = segmented.indexSegments(first, last).then((track) => window(id, source, track));
      // A failure is not kept: the next query tries again.
      const attempt = indexed;
      attempt.catch(() => {
        if (cache.get(id) === attempt) cache.delete(id);
      });
    }
    cache.set(id, indexed);
    while (cache.size > KEPT_WINDOWS) cache.delete(cache.keys().next().value!);
    return indexed;
  };
  const [first, last] = await Promise.all([around(0), around(starts.length - 1)]);
  return {
    at: (timeUs) => around(Math.max(0, lastAtOrBefore(starts, timeUs))),
    first,
    last,
    whole: false,
  };
}

/** The index of the last of the increasing `values` at or before `value`; -1 when none is. */
function lastAtOrBefore(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
