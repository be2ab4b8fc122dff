/**
 * What to decode for one target frame: from its entry point to the target, in decode order.
 */
import type { EncodedSample, VideoTrack } from '../demux/video-track.js';
import { decodeError } from '../errors.js';
import type { EntryPointVerifier } from './entry-points.js';

async function findBackwards(
  track: VideoTrack,
  fromIndex: number,
  accept: (sample: EncodedSample) => Promise<boolean>,
): Promise<EncodedSample | undefined> {
  for (let i = fromIndex; i >= 0; i--) {
    const sample = track.samples.at(i);
    if (await accept(sample)) return sample;
  }
  return undefined;
}

/**
 * Returns the samples to decode, entry point first and target last. The entry point is the
 * nearest verified sync sample at or before the target in decode order; if no labelled sample
 * qualifies (a file whose sync table lies), unlabelled samples are inspected too.
 *
 * A target shown before its entry point is a leading picture of an open GOP (HEVC RASL, the
 * trailing B-frames of an MPEG-4 GOP that point into the next I-frame): it may reference the
 * previous GOP, so decoding starts from the entry point before — whatever the codec.
 */
export async function planDecode(
  track: VideoTrack,
  verifier: EntryPointVerifier,
  target: EncodedSample,
): Promise<EncodedSample[]> {
  // Sync frames first: they are few and cheap to check; any sample only if none qualifies.
  const entryAtOrBefore = async (index: number) =>
    (await findBackwards(track, index, (sample) => verifier.isSyncFrame(sample))) ??
    (await findBackwards(track, index, (sample) => verifier.canStartAt(sample)));
  let entry = await entryAtOrBefore(target.index);
  while (entry && target.cts < entry.cts) {
    entry = entry.index > 0 ? await entryAtOrBefore(entry.index - 1) : undefined;
  }
  if (!entry) {
    throw decodeError(`no decodable entry point precedes the frame at sample ${target.index}`);
  }
  return track.samples.slice(entry.index, target.index + 1);
}
