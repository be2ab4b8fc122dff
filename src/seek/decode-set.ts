/**
 * Which samples of a decode run the decoder must see for its targets to come out right.
 */
import { h264PicturesToDecode } from '../codec/h264-reference-analysis.js';
import { splitNalUnits } from '../codec/nal-units.js';
import type { SampleWithData, VideoTrack } from '../demux/video-track.js';
import type { EntryPointVerifier } from './entry-points.js';

/**
 * The samples of `run` (entry point first, decode order) to decode for `targets` (sample
 * indices): for H.264 runs the reference analysis can follow, exactly the entry, the targets and
 * the pictures they predict from; otherwise every sample some picture may reference (by NAL
 * headers, the VP9 frame header) plus the entry and the targets.
 */
export async function samplesToDecode(
  track: VideoTrack,
  verifier: EntryPointVerifier,
  run: readonly SampleWithData[],
  targets: ReadonlySet<number>,
): Promise<SampleWithData[]> {
  if (track.codec === 'h264') {
    const positions = new Set(run.flatMap((item, position) => (targets.has(item.sample.index) ? [position] : [])));
    const pictures = run.map((item) => splitNalUnits(item.data, track.nalLengthSize));
    const needed = h264PicturesToDecode(pictures, positions, track.parameterSets);
    if (needed) return run.filter((_, position) => needed.has(position));
  }
  const entry = run[0]!.sample.index;
  const kept: SampleWithData[] = [];
  for (const item of run) {
    if (item.sample.index === entry || targets.has(item.sample.index) || (await verifier.isReference(item.sample, item.data))) kept.push(item);
  }
  return kept;
}
