/**
 * What to decode for one target frame: from its entry point to the target, in decode order.
 */
import type { EncodedSample, VideoTrack } from '../demux/video-track.js';
import { decodeError } from '../errors.js';
import type { EntryPointVerifier } from './entry-points.js';

async function findEntryBefore(
  track: VideoTrack,
  verifier: EntryPointVerifier,
  fromIndex: number,
  labeledOnly: boolean,
): Promise<EncodedSample | undefined> {
  for (let i = fromIndex; i >= 0; i--) {
    const sample = track.samples[i]!;
    if (labeledOnly && !sample.labeledSync) continue;
    if (await verifier.isEntryPoint(sample)) return sample;
  }
  return undefined;
}

/**
 * Returns the samples to decode, entry point first and target last. The entry point is the
 * nearest verified sync sample at or before the target in decode order; if no labelled sample
 * qualifies (a file whose sync table lies), unlabelled samples are inspected too. An HEVC
 * leading picture that cannot be decoded from its CRA (RASL) is decoded from the entry before.
 */
export async function planDecode(
  track: VideoTrack,
  verifier: EntryPointVerifier,
  target: EncodedSample,
): Promise<EncodedSample[]> {
  let entry =
    (await findEntryBefore(track, verifier, target.index, true)) ??
    (await findEntryBefore(track, verifier, target.index, false));
  if (entry && entry !== target) {
    const targetClass = verifier.classify(target, await verifier.readSample(target));
    if (targetClass.isLeadingUndecodable) {
      entry = entry.index > 0 ? await findEntryBefore(track, verifier, entry.index - 1, false) : undefined;
    }
  }
  if (!entry) {
    throw decodeError(`no decodable entry point precedes the frame at sample ${target.index}`);
  }
  return track.samples.slice(entry.index, target.index + 1);
}
