/**
 * What a track's sample description (`stsd`) says beside the codec: its decoder configuration
 * record (`avcC` or `hvcC`), which the bitstream analyses need (H.264 reference analysis reads
 * its parameter sets, HEVC pruning its highest TemporalId), and what its `colr` and `pasp` boxes
 * say of the picture, which a decoder outside ffmpeg must know. One walk of the entry's boxes.
 */
import { type DecoderConfig, tryParseDecoderConfig } from '../../codec/decoder-config.js';
import type { ContainerPictureInfo } from '../video-track.js';
import { visitBoxes } from './moov-boxes.js';

/** A track's decoder configuration record: its box type, its bytes and what they say. */
export interface SampleEntryConfig {
  readonly type: 'avcC' | 'hvcC';
  /** The record as stored (the box payload), e.g. a WebCodecs `description`. */
  readonly record: Uint8Array;
  readonly config: DecoderConfig;
}

/** What {@link describeSampleEntry} reads. */
export interface SampleEntryDescription {
  /** The first usable `avcC` or `hvcC` record; `undefined` when there is none (callers then treat every picture as possibly referenced). */
  readonly config: SampleEntryConfig | undefined;
  readonly picture: ContainerPictureInfo;
}

/** Reads the sample entries' child boxes of the `stsd` box bytes. */
export function describeSampleEntry(stsd: Uint8Array): SampleEntryDescription {
  const view = new DataView(stsd.buffer, stsd.byteOffset, stsd.byteLength);
  let found: { type: 'avcC' | 'hvcC'; record: Uint8Array } | undefined;
  let colour = false;
  let sampleAspectRatio: ContainerPictureInfo['sampleAspectRatio'];
  visitBoxes(stsd, ({ type, at, size, inSampleEntry }) => {
    if (!inSampleEntry) return;
    if (type === 'avcC' || type === 'hvcC') found ??= { type, record: stsd.subarray(at + 8, at + size) };
    if (type === 'colr') colour = true;
    if (type === 'pasp' && size >= 16) {
      const num = view.getUint32(at + 8);
      const den = view.getUint32(at + 12);
      if (num > 0 && den > 0) sampleAspectRatio = { num, den };
    }
  });
  const parsed = found && tryParseDecoderConfig(found.type, found.record);
  return { config: found && parsed ? { ...found, config: parsed } : undefined, picture: { colour, sampleAspectRatio } };
}
