/**
 * Real files carry broken decoder configuration records (an empty `avcC` in front of Annex-B
 * samples, say). ffmpeg copes; mp4box throws on them and loses the whole `moov`. So the copy of
 * `moov` handed to mp4box has such records renamed to `free`, while the decoder still gets the
 * original bytes.
 */
import { parseAvcC, parseHvcC } from '../../codec/decoder-config.js';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
const VISUAL_SAMPLE_ENTRY_HEADER = 8 + 78;
const SAMPLE_DESCRIPTION_HEADER = 8 + 8;

function typeAt(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
}

function isUsable(type: string, payload: Uint8Array): boolean {
  try {
    const config = type === 'avcC' ? parseAvcC(payload) : parseHvcC(payload);
    return config.framing === 'length-prefixed';
  } catch {
    return false;
  }
}

/** Visits the boxes in `[start, end)`, descending into containers and sample descriptions. */
function visit(bytes: Uint8Array, view: DataView, start: number, end: number, depth: 'tree' | 'stsd' | 'entry'): void {
  for (let at = start; at + 8 <= end; ) {
    const size = view.getUint32(at);
    if (size < 8 || at + size > end) return;
    const type = typeAt(bytes, at);
    if (depth === 'tree' && CONTAINERS.has(type)) visit(bytes, view, at + 8, at + size, 'tree');
    else if (depth === 'tree' && type === 'stsd') visit(bytes, view, at + SAMPLE_DESCRIPTION_HEADER, at + size, 'stsd');
    else if (depth === 'stsd') visit(bytes, view, at + VISUAL_SAMPLE_ENTRY_HEADER, at + size, 'entry');
    else if (depth === 'entry' && (type === 'avcC' || type === 'hvcC') && !isUsable(type, bytes.subarray(at + 8, at + size))) {
      bytes.set([0x66, 0x72, 0x65, 0x65], at + 4);
    }
    at += size;
  }
}

/** Returns a copy of a `moov` box in which unusable `avcC`/`hvcC` records are renamed `free`. */
export function withoutBrokenCodecConfigs(moov: Uint8Array): Uint8Array {
  const copy = new Uint8Array(moov);
  visit(copy, new DataView(copy.buffer), 8, copy.length, 'tree');
  return copy;
}
