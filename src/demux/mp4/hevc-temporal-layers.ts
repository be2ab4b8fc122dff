/**
 * The highest HEVC TemporalId a track may use, read from the `hvcC` record of its sample
 * description. Pruning needs it: a sub-layer non-reference picture is only unreferenced when no
 * higher sub-layer exists to reference it.
 */
import { parseHvcC } from '../../codec/decoder-config.js';
import { visitBoxes } from './moov-boxes.js';

/**
 * `DecoderConfig.maxTemporalId` of the first `hvcC` record in the `stsd` box bytes; `undefined`
 * when there is no usable record (the caller then treats every picture as possibly referenced).
 */
export function hevcMaxTemporalId(stsd: Uint8Array): number | undefined {
  let record: Uint8Array | undefined;
  visitBoxes(stsd, ({ type, at, size, inSampleEntry }) => {
    if (inSampleEntry && type === 'hvcC') record ??= stsd.subarray(at + 8, at + size);
  });
  if (!record) return undefined;
  try {
    return parseHvcC(record).maxTemporalId;
  } catch {
    return undefined;
  }
}
