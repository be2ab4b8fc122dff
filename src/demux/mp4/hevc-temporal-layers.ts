/**
 * The highest HEVC TemporalId a track may use, read from the `hvcC` record of its sample
 * description. Pruning needs it: a sub-layer non-reference picture is only unreferenced when no
 * higher sub-layer exists to reference it.
 */
import { parseHvcC } from '../../codec/decoder-config.js';

const SAMPLE_DESCRIPTION_HEADER = 8 + 8;
const VISUAL_SAMPLE_ENTRY_HEADER = 8 + 78;

/**
 * `DecoderConfig.maxTemporalId` of the first sample entry's `hvcC`, from the `stsd` box bytes;
 * `undefined` when there is no usable record (the caller then treats every picture as
 * possibly referenced).
 */
export function hevcMaxTemporalId(stsd: Uint8Array): number | undefined {
  const view = new DataView(stsd.buffer, stsd.byteOffset, stsd.byteLength);
  const entryStart = SAMPLE_DESCRIPTION_HEADER;
  if (entryStart + 8 > stsd.length) return undefined;
  const entryEnd = Math.min(stsd.length, entryStart + view.getUint32(entryStart));
  for (let at = entryStart + VISUAL_SAMPLE_ENTRY_HEADER; at + 8 <= entryEnd; ) {
    const size = view.getUint32(at);
    if (size < 8 || at + size > entryEnd) return undefined;
    if (String.fromCharCode(...stsd.subarray(at + 4, at + 8)) === 'hvcC') {
      try {
        return parseHvcC(stsd.subarray(at + 8, at + size)).maxTemporalId;
      } catch {
        return undefined;
      }
    }
    at += size;
  }
  return undefined;
}
