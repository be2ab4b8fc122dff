/**
 * A virtual multi-gigabyte MP4 that costs no disk: a real file with a huge `free` box inserted
 * after `ftyp` (chunk offsets patched to match). Reads of the padding return zeros; a test that
 * wraps it in a counting source sees exactly which bytes stillframe asked for.
 */
import { readFileSync } from 'node:fs';
import type { ByteSource } from '../../src/sources/byte-source.js';

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

/** Adds `delta` to every chunk offset (`stco`/`co64`) inside the boxes of `bytes`. */
function patchChunkOffsets(bytes: Uint8Array, start: number, end: number, delta: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = start; at + 8 <= end; ) {
    const size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (size < 8) throw new Error(`unexpected box size at ${at}`);
    if (CONTAINERS.has(type)) patchChunkOffsets(bytes, at + 8, at + size, delta);
    if (type === 'stco') {
      const count = view.getUint32(at + 12);
      for (let i = 0; i < count; i++) {
        const value = view.getUint32(at + 16 + i * 4) + delta;
        if (value > 0xffffffff) throw new Error('padding too large for 32-bit chunk offsets');
        view.setUint32(at + 16 + i * 4, value);
      }
    }
    if (type === 'co64') {
      const count = view.getUint32(at + 12);
      for (let i = 0; i < count; i++) {
        view.setBigUint64(at + 16 + i * 8, view.getBigUint64(at + 16 + i * 8) + BigInt(delta));
      }
    }
    at += size;
  }
}

/** The layout of the virtual file, for assertions. */
export interface PaddedLayout {
  /** Bytes of the real file's descriptive boxes (ftyp + moov + other non-mdat boxes). */
  readonly indexBytes: number;
  /** Total virtual size. */
  readonly size: number;
}

/** Builds the virtual source from a faststart MP4 (`ftyp` first, `moov` before `mdat`). */
export function paddedMp4Source(path: string, padding: number): { source: ByteSource; layout: PaddedLayout } {
  const original = new Uint8Array(readFileSync(path));
  const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const ftypSize = view.getUint32(0);
  const rest = original.slice(ftypSize);
  const freeSize = 8 + padding;
  patchChunkOffsets(rest, 0, rest.length, freeSize);
  const freeHeader = new Uint8Array(8);
  new DataView(freeHeader.buffer).setUint32(0, freeSize);
  freeHeader.set([0x66, 0x72, 0x65, 0x65], 4);

  const segments: Array<{ start: number; bytes: Uint8Array | null; length: number }> = [
    { start: 0, bytes: original.subarray(0, ftypSize), length: ftypSize },
    { start: ftypSize, bytes: freeHeader, length: 8 },
    { start: ftypSize + 8, bytes: null, length: padding },
    { start: ftypSize + freeSize, bytes: rest, length: rest.length },
  ];
  const size = ftypSize + freeSize + rest.length;
  let indexBytes = ftypSize;
  for (let at = 0; at + 8 <= rest.length; ) {
    const boxSize = new DataView(rest.buffer).getUint32(at);
    const type = String.fromCharCode(...rest.subarray(at + 4, at + 8));
    if (type !== 'mdat') indexBytes += boxSize;
    at += boxSize;
  }

  const source: ByteSource = {
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset));
      for (const segment of segments) {
        const from = Math.max(offset, segment.start);
        const to = Math.min(end, segment.start + segment.length);
        if (from >= to || !segment.bytes) continue;
        out.set(segment.bytes.subarray(from - segment.start, to - segment.start), from - offset);
      }
      return out;
    },
  };
  return { source, layout: { indexBytes, size } };
}
