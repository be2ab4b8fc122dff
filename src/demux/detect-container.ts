/**
 * Recognises the container from its first bytes, so that each format goes to its demuxer and
 * anything else gets a clear "unsupported" answer instead of an MP4 parse error.
 */
import type { ByteSource } from '../sources/byte-source.js';
import { LAYOUT_PROBE_BYTES, packetLayoutOf, type PacketLayout } from './mpegts/ts-packet.js';

/** Container families stillframe can recognise; for a transport stream, its packet layout too (found on the way). */
export type DetectedContainer = { readonly kind: 'isobmff' | 'matroska' | 'unknown' } | { readonly kind: 'mpegts'; readonly layout: PacketLayout };

/** Sniffs the container of `source` from at most its first `LAYOUT_PROBE_BYTES` bytes (3 transport packets). */
export async function detectContainer(source: ByteSource): Promise<DetectedContainer> {
  const head = await source.read(0, Math.min(source.size, LAYOUT_PROBE_BYTES));
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return { kind: 'matroska' };
  // Plain 188-byte packets, or M2TS's 192-byte ones.
  const layout = packetLayoutOf(head);
  if (layout) return { kind: 'mpegts', layout };
  if (head.length >= 8 && /^[\x20-\x7e]{4}$/.test(String.fromCharCode(...head.subarray(4, 8)))) return { kind: 'isobmff' };
  return { kind: 'unknown' };
}
