/**
 * Real files carry broken decoder configuration records (an empty `avcC` in front of Annex-B
 * samples, say). ffmpeg copes; mp4box throws on them and loses the whole `moov`. So the copy of
 * `moov` handed to mp4box has such records renamed to `free`, while the decoder still gets the
 * original bytes.
 */
import { tryParseDecoderConfig } from '../../codec/decoder-config.js';
import { hideBox, visitBoxes } from './moov-boxes.js';

function isUsable(type: 'avcC' | 'hvcC', payload: Uint8Array): boolean {
  return tryParseDecoderConfig(type, payload)?.framing === 'length-prefixed';
}

/** Returns a copy of a `moov` box in which unusable `avcC`/`hvcC` records are renamed `free`. */
export function withoutBrokenCodecConfigs(moov: Uint8Array): Uint8Array {
  const copy = new Uint8Array(moov);
  visitBoxes(
    copy,
    ({ type, at, size, inSampleEntry }) => {
      if (inSampleEntry && (type === 'avcC' || type === 'hvcC') && !isUsable(type, copy.subarray(at + 8, at + size))) hideBox(copy, at);
    },
    8,
  );
  return copy;
}
