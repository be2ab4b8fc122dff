/**
 * Recognises the container from its first bytes, so that formats without a demuxer yet get a
 * clear "unsupported" answer instead of an MP4 parse error.
 */
import type { ByteSource } from '../sources/byte-source.js';

/** Container families stillframe can recognise. */
export type ContainerKind = 'isobmff' | 'matroska' | 'mpegts' | 'unknown';

const TS_PACKET = 188;

/** Sniffs the container of `source` from at most its first 3 × 188 + 1 bytes. */
export async function detectContainer(source: ByteSource): Promise<ContainerKind> {
  const head = await source.read(0, Math.min(source.size, TS_PACKET * 2 + 1));
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'matroska';
  if (head.length > TS_PACKET * 2 && head[0] === 0x47 && head[TS_PACKET] === 0x47 && head[TS_PACKET * 2] === 0x47) {
    return 'mpegts';
  }
  if (head.length >= 8 && /^[\x20-\x7e]{4}$/.test(String.fromCharCode(...head.subarray(4, 8)))) return 'isobmff';
  return 'unknown';
}
