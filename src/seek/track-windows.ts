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
import { lastIndexAtOrBefore } from '../sorted-search.js';

/** A window: an indexed stretch of the track, with its timeline and its entry-point verifier. */
export interface TrackWindow {
  /** Tells windows apart: sample indices are the window's own. */
  readonly id: string;
  readonly track: VideoTrack;
  readonly timeline: PresentationTimeline;
  readonly verifier: EntryPointVerifier;
  /** Whether the window begins with the track's first frame, and ends with its last. */
  readonly atStart: boolean;
  readonly atEnd: boolean;
}

/** The windows of a track: one per time, and the first and last, known from opening on. */
export interface TrackWindows {
  /** The window a query for `timeUs` works in (the first or last for times outside the video). */
  at(timeUs: number): Promise<TrackWindow>;
  /**
   * One window holding the whole track: for the rare query whose answer the window around its
   * time cannot be trusted to hold (a cued frame that is no true entry point).
   */
  whole(): Promise<TrackWindow>;
  readonly first: TrackWindow;
  readonly last: TrackWindow;
  /** True when one window holds the whole track from the start. */
  readonly isWhole: boolean;
}

/**
 * Windows of a segmented track kept built (their timelines, and what their verifiers learnt of
 * the samples); the segments' indexes themselves are kept by the track.
 */
const KEPT_WINDOWS = 8;

/** Indexed windows of a segmented track, the most recently used last. */
type WindowCache = Map<string, Promise<TrackWindow>>;

function indexedWindow(id: string, source: ByteSource, track: VideoTrack, atStart: boolean, atEnd: boolean): TrackWindow {
  return { id, track, timeline: buildPresentationTimeline(track), verifier: new EntryPointVerifier(source, track), atStart, atEnd };
}

/** The one window of a track indexed whole. */
export function wholeTrackWindows(source: ByteSource, track: VideoTrack): TrackWindows {
  const only = indexedWindow('whole', source, track, true, true);
  return { at: async () => only, whole: async () => only, first: only, last: only, isWhole: true };
}

/** The windows of a segmented track; its first and last are indexed now. */
export async function segmentedTrackWindows(source: ByteSource, segmented: SegmentedTrack): Promise<TrackWindows> {
  const starts = segmented.segmentStartsUs;
  const lastSegment = starts.length - 1;
  const cache: WindowCache = new Map();
  const span = (first: number, last: number): Promise<TrackWindow> => {
    const id = `${first}-${last}`;
    let indexed = cache.get(id);
    if (indexed) {
      cache.delete(id);
    } else {
      indexed = segmented.indexSegments(first, last).then((track) => indexedWindow(id, source, track, first === 0, last === lastSegment));
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
  const around = (segment: number) => {
    const firstSegment = Math.max(0, segment - 1);
    const lastOfWindow = Math.min(lastSegment, segment + 1);
    return { id: `${firstSegment}-${lastOfWindow}`, open: () => span(firstSegment, lastOfWindow) };
  };
  const [first, last] = await Promise.all([around(0).open(), around(lastSegment).open()]);
  return {
    at: (timeUs) => {
      const { id, open } = around(Math.max(0, lastIndexAtOrBefore(starts.length, (i) => starts[i]!, timeUs)));
      // The edge windows are kept from opening on, whatever the cache has let go since.
      if (id === first.id) return Promise.resolve(first);
      if (id === last.id) return Promise.resolve(last);
      return open();
    },
    whole: () => span(0, lastSegment),
    first,
    last,
    isWhole: false,
  };
}
