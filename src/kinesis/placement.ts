/**
 * Where a sampling point's image comes from: which fragment has media at that instant, and at
 * which time of the fragment's own media.
 *
 * A fragment's start time is when its first frame is presented, as a Kinesis Video fragment's
 * timestamp is that of its first frame; it then covers [start, start + span), where span runs to
 * the end of its last frame. So a point exactly at a fragment's start shows its first frame, a
 * point exactly where one fragment ends and the next begins shows the next one's first frame, and
 * a file whose first frame is not at media time 0 is not shifted by that offset.
 *
 * Overlapping fragments: the latest-starting fragment that covers the point wins (on equal starts
 * the later-listed, as Kinesis Video keeps the newest of fragments with one timestamp); earlier
 * ones still give media where later ones do not reach, so that no point with media is reported as
 * NO_MEDIA.
 *
 * Which fragments are opened to find out: a fragment's span is known only once it is opened, and
 * opening is costly (a remote fragment takes HTTP round trips), so the search is bounded. The last
 * fragment to start at or before the point is always considered, however long ago it started (a
 * single long recording is one fragment). An earlier one is considered only while it may still
 * be showing at the point: within its catalog `durationMs` if it has one, else within the overlap
 * look-back. So a point in a gap or after the stream's end opens at most the fragments that
 * started within the look-back before it, instead of every fragment of the stream.
 *
 * A fragment that cannot be opened has no known span: it is taken to last until its catalog
 * duration ends, or without one until the next fragment starts (for the last fragment: with no
 * end), and gives MEDIA_ERROR there unless another fragment covers the point. NO_MEDIA means that
 * no media exists at the point, which cannot be said of a fragment whose end is unknown.
 *
 * Arithmetic is in integers: epoch milliseconds for points and starts, microseconds for media.
 */
import { StillframeError } from '../errors.js';
import { fragmentStartMs, type CatalogFragment, type CatalogStream } from './catalog.js';
import type { FragmentExtent } from './fragment-store.js';
import type { ImageSelectorType } from './get-images-types.js';
import { lastIndexAtOrBefore } from '../sorted-search.js';

/** Where a point's image comes from. */
export type Placement =
  /** `fragment` has media at `mediaUs` (its own media time, microseconds). */
  | { readonly kind: 'media'; readonly fragment: CatalogFragment; readonly mediaUs: number }
  /** No fragment has media at the point. */
  | { readonly kind: 'no-media' }
  /** The point falls in a fragment that cannot be opened. */
  | { readonly kind: 'media-error'; readonly fragment: CatalogFragment; readonly error: StillframeError };

/** What a fragment spans, or why it cannot be opened. */
export type ExtentLookup = (fragment: CatalogFragment) => Promise<FragmentExtent | StillframeError>;

/**
 * Places the point `pointMs` (epoch milliseconds) in `stream`, on the selector's clock.
 * `overlapLookbackMs`: how long before the point an earlier fragment without a catalog duration
 * may have started and still be opened to see whether it reaches the point.
 */
export async function placePoint(
  stream: CatalogStream,
  selector: ImageSelectorType,
  pointMs: number,
  extentOf: ExtentLookup,
  overlapLookbackMs: number,
): Promise<Placement> {
  const fragments = stream.byStart(selector);
  const latest = lastStartingAtOrBefore(fragments, selector, pointMs);
  // No fragment that started this long before the point can still be showing at it.
  const longestReachMs = Math.max(overlapLookbackMs, stream.longestDurationMs);
  let failed: Placement | undefined;
  // Latest start first: the newest media at the point wins.
  for (let i = latest; i >= 0; i--) {
    const fragment = fragments[i]!;
    const sinceStartMs = pointMs - fragmentStartMs(fragment, selector);
    if (i < latest && sinceStartMs >= longestReachMs) break;
    // The last to start before the point may run for any time; earlier ones are bounded.
    const reachMs = fragment.durationMs ?? (i === latest ? Infinity : overlapLookbackMs);
    if (sinceStartMs >= reachMs) continue;
    const extent = await extentOf(fragment);
    if (extent instanceof StillframeError) {
      // Without a duration, it reaches the point only if it is the last fragment to start before it.
      if (!failed && (i === latest || fragment.durationMs !== undefined)) failed = { kind: 'media-error', fragment, error: extent };
      continue;
    }
    const mediaUs = sinceStartMs * 1000 + extent.firstUs;
    if (mediaUs < extent.endUs) return { kind: 'media', fragment, mediaUs };
  }
  return failed ?? { kind: 'no-media' };
}

/** Index of the last fragment (in start order) starting at or before `pointMs`, or -1. */
function lastStartingAtOrBefore(fragments: readonly CatalogFragment[], selector: ImageSelectorType, pointMs: number): number {
  return lastIndexAtOrBefore(fragments.length, (i) => fragmentStartMs(fragments[i]!, selector), pointMs);
}
