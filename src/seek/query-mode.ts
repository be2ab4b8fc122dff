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
 * Selects the frame `mode` names for `timeUs` (clamped to the first and last frame). Ties in
 * the "closest" modes go to the earlier frame. Returns `undefined` only when the track has no
 * sync frame at all.
 */
export async function selectFrame(
  timeline: PresentationTimeline,
  timeUs: number,
  mode: QueryMode,
  isSyncFrame: SyncFrameCheck,
): Promise<PresentedFrame | undefined> {
  const t = Math.min(Math.max(timeUs, timeline.timeUs(0)), timeline.timeUs(timeline.length - 1));
  const before = timeline.lastAtOrBefore(t);
  const atOrAfter = timeline.timeUs(before) === t ? before : before + 1;

  switch (mode) {
    case 'closest': {
      const next = Math.min(atOrAfter, timeline.length - 1);
      return timeline.at(timeline.timeUs(next) - t < t - timeline.timeUs(before) ? next : before);
    }
    case 'next-sync':
      return (
        (await findSync(timeline, atOrAfter, 1, isSyncFrame)) ??
        (await findSync(timeline, timeline.length - 1, -1, isSyncFrame))
      );
    case 'previous-sync':
      return (await findSync(timeline, before, -1, isSyncFrame)) ?? (await findSync(timeline, 0, 1, isSyncFrame));
    case 'closest-sync': {
      const prev = await findSync(timeline, before, -1, isSyncFrame);
      // Only a sync frame nearer than `prev` can win: frames further on are not checked, so that
      // a query never reads (to verify) a frame it cannot choose — past a truncation, say.
      const next = await findSync(timeline, atOrAfter, 1, isSyncFrame, (timeUs) => !prev || timeUs - t < t - prev.timeUs);
      return next ?? prev;
    }
  }
}
