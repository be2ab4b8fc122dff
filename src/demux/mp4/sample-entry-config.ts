/**
 * The decoder configuration record (`avcC` or `hvcC`) of a track's sample description. The
 * bitstream analyses need it: H.264 reference analysis reads its parameter sets, HEVC pruning its
 * highest TemporalId (a sub-layer non-reference picture is only unreferenced when no higher
 * sub-layer exists to reference it).
 */
import { type DecoderConfig, tryParseDecoderConfig } from '../../codec/decoder-config.js';
import { visitBoxes } from './moov-boxes.js';

/** A track's decoder configuration record: its box type, its bytes and what they say. */
export interface SampleEntryConfig {
  readonly type: 'avcC' | 'hvcC';
  /** The record as stored (the box payload), e.g. a WebCodecs `description`. */
  readonly record: Uint8Array;
  readonly config: DecoderConfig;
}

/**
 * The first `avcC` or `hvcC` record in the `stsd` box bytes, parsed; `undefined` when there is
 * no usable record (callers then treat every picture as possibly referenced).
 */
export function sampleEntryConfig(stsd: Uint8Array): SampleEntryConfig | undefined {
  let found: { type: 'avcC' | 'hvcC'; record: Uint8Array } | undefined;
  visitBoxes(stsd, ({ type, at, size, inSampleEntry }) => {
    if (inSampleEntry && (type === 'avcC' || type === 'hvcC')) found ??= { type, record: stsd.subarray(at + 8, at + size) };
  });
  const config = found && tryParseDecoderConfig(found.type, found.record);
  return found && config ? { ...found, config } : undefined;
}
