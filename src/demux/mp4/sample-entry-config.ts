/**
 * The decoder configuration record (`avcC` or `hvcC`) of a track's sample description. The
 * bitstream analyses need it: H.264 reference analysis reads its parameter sets, HEVC pruning its
 * highest TemporalId (a sub-layer non-reference picture is only unreferenced when no higher
 * sub-layer exists to reference it).
 */
import { type DecoderConfig, parseAvcC, parseHvcC } from '../../codec/decoder-config.js';
import { visitBoxes } from './moov-boxes.js';

/**
 * The first `avcC` or `hvcC` record in the `stsd` box bytes, parsed; `undefined` when there is
 * no usable record (callers then treat every picture as possibly referenced).
 */
export function sampleEntryConfig(stsd: Uint8Array): DecoderConfig | undefined {
  let record: { type: string; payload: Uint8Array } | undefined;
  visitBoxes(stsd, ({ type, at, size, inSampleEntry }) => {
    if (inSampleEntry && (type === 'avcC' || type === 'hvcC')) record ??= { type, payload: stsd.subarray(at + 8, at + size) };
  });
  if (!record) return undefined;
  try {
    return record.type === 'avcC' ? parseAvcC(record.payload) : parseHvcC(record.payload);
  } catch {
    return undefined;
  }
}
