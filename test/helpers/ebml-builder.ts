/**
 * A small EBML builder for hand-made Matroska files in the specs (laced blocks, fragments shaped
 * as Kinesis Video Streams hands them out): every size is written in 8 bytes, or as "unknown".
 */
import { concat } from '../codec/helpers/bytes.js';

function bytesOf(value: number, length: number): number[] {
  return Array.from({ length }, (_, i) => Math.floor(value / 256 ** (length - 1 - i)) % 256);
}

function idBytes(id: number): number[] {
  return bytesOf(id, id < 0x100 ? 1 : id < 0x10000 ? 2 : id < 0x1000000 ? 3 : 4);
}

/** An element of `payload`, its size in 8 bytes. */
export function element(id: number, ...payload: Uint8Array[]): Uint8Array {
  const size = payload.reduce((sum, part) => sum + part.length, 0);
  return concat(Uint8Array.from([...idBytes(id), 0x01, ...bytesOf(size, 7)]), ...payload);
}

/** An element whose size is "unknown" (all value bits set), as live writers leave Segments and Clusters. */
export function unknownSizeElement(id: number, ...payload: Uint8Array[]): Uint8Array {
  return concat(Uint8Array.from([...idBytes(id), 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), ...payload);
}

/** An unsigned integer element, in 8 bytes. */
export const uint = (id: number, value: number): Uint8Array => element(id, Uint8Array.from(bytesOf(value, 8)));

/** A string element. */
export const text = (id: number, value: string): Uint8Array => element(id, new TextEncoder().encode(value));

/** A SimpleBlock of track 1 holding `frame`, `relative` ticks after its Cluster. */
export function simpleBlock(relative: number, key: boolean, frame: Uint8Array): Uint8Array {
  return element(0xa3, Uint8Array.from([0x81, (relative >> 8) & 0xff, relative & 0xff, key ? 0x80 : 0]), frame);
}
