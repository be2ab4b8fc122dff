/**
 * Choosing the frame a query names. The four modes are HarmonyOS's `AVImageQueryOptions`,
 * applied to presented frames; "sync" means a verified decode entry point.
 */
import type { PresentationTimeline, PresentedFrame } from './presentation-timeline.js';

/** How a requested time maps to a frame. */
export type QueryMode =
  /** The first sync frame at or after the time, else the last sync frame. */
  | 'next-sync'
  /** The last sync frame at or before the time, else the first sync frame. */
  | 'previous-sync'
  /** The sync frame nearest to the time. */
  | 'closest-sync'
  /** The frame of any kind nearest to the time. */
  | 'closest';

/** Tells whether a presented frame is a sync frame: a verified entry point (may read the source). */
export type SyncFrameCheck = (frame: PresentedFrame) => Promise<boolean>;

/** The first sync frame from presented frame `from` on in direction `step`, looking only at frames whose time is `within`. */
async function findSync(
  timeline: PresentationTimeline,
  from: number,
  step: 1 | -1,
  isSyncFrame: SyncFrameCheck,
  within: (timeUs: number) => boolean = () => true,
): Promise<PresentedFrame | undefined> {
  for (let i = from; i >= 0 && i < timeline.length && within(timeline.timeUs(i)); i += step) {
    const frame = timeline.at(i);
    if (await isSyncFrame(frame)) return frame;
  }
  return undefined;
}

/**
 * Where a timeline stands in its track: a timeline of part of a track (a window of a segmented
 * index) has frames beyond an edge that is not the track's.
 */
export interface TimelineEdges {
  readonly atStart: boolean;
  readonly atEnd: boolean;
}

const WHOLE_TRACK: TimelineEdges = { atStart: true, atEnd: true };

/**
 * Selects the frame `mode` names for `timeUs` (clamped to the first and last frame). Ties in
 * the "closest" modes go to the earlier frame. Returns `undefined` when the track has no sync
 * frame at all; for a timeline of part of a track (`edges`), also when the answer may lie beyond
 * it: a sync mode that would fall back to the other side, or look on past an edge that is not
 * the track's.
 */
export async function selectFrame(
  timeline: PresentationTimeline,
  timeUs: number,
  mode: QueryMode,
  isSyncFrame: SyncFrameCheck,
  edges: TimelineEdges = WHOLE_TRACK,
): Promise<PresentedFrame | undefined> {
  const t = Math.min(Math.max(timeUs, timeline.timeUs(0)), timeline.timeUs(timeline.length - 1));
  const before = timeline.lastAtOrBefore(t);
  const atOrAfter = timeline.timeUs(before) === t ? before : before + 1;
  const last = timeline.length - 1;

  switch (mode) {
    case 'closest': {
      const next = Math.min(atOrAfter, last);
      return timeline.at(timeline.timeUs(next) - t < t - timeline.timeUs(before) ? next : before);
    }
    case 'next-sync':
      return (await findSync(timeline, atOrAfter, 1, isSyncFrame)) ?? (edges.atEnd ? await findSync(timeline, last, -1, isSyncFrame) : undefined);
    case 'previous-sync':
      return (await findSync(timeline, before, -1, isSyncFrame)) ?? (edges.atStart ? await findSync(timeline, 0, 1, isSyncFrame) : undefined);
    case 'closest-sync': {
      const prev = await findSync(timeline, before, -1, isSyncFrame);
      if (!prev && !edges.atStart) return undefined;
      // Only a sync frame nearer than `prev` can win: frames further on are not checked, so that
      // a query never reads (to verify) a frame it cannot choose — past a truncation, say.
      const nearer = (timeUs: number) => !prev || timeUs - t < t - prev.timeUs;
      const next = await findSync(timeline, atOrAfter, 1, isSyncFrame, nearer);
      // A nearer one may lie past an end that is not the track's.
      if (!next && !edges.atEnd && nearer(timeline.timeUs(last))) return undefined;
      return next ?? prev;
    }
  }
}
