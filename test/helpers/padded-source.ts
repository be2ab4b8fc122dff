/**
 * A virtual multi-gigabyte MP4 that costs no disk: a real file with a huge `free` box inserted
 * after `ftyp` (chunk offsets patched to match). Reads of the padding return zeros; a test that
 * wraps it in a counting source sees exactly which bytes stillframe asked for.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { visitBoxes } from '../../src/demux/mp4/moov-boxes.js';
import type { ByteSource } from '../../src/sources/byte-source.js';

/** Adds `delta` to every chunk offset (`stco`/`co64`) inside the boxes of `bytes` in `[start, end)`. */
function patchChunkOffsets(bytes: Uint8Array, start: number, end: number, delta: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  visitBoxes(
    bytes,
    ({ type, at }) => {
      const count = type === 'stco' || type === 'co64' ? view.getUint32(at + 12) : 0;
      for (let i = 0; i < count; i++) {
        if (type === 'stco') {
          const value = view.getUint32(at + 16 + i * 4) + delta;
          if (value > 0xffffffff) throw new Error('padding too large for 32-bit chunk offsets');
          view.setUint32(at + 16 + i * 4, value);
        } else {
          view.setBigUint64(at + 16 + i * 8, view.getBigUint64(at + 16 + i * 8) + BigInt(delta));
        }
      }
    },
    start,
    end,
  );
}

/** The layout of the virtual file, for assertions. */
export interface PaddedLayout {
  /** Bytes of the real file's descriptive boxes (ftyp + moov + other non-mdat boxes). */
  readonly indexBytes: number;
  /** Total virtual size. */
  readonly size: number;
}

interface Segment {
  readonly start: number;
  /** `null` for the padding, which reads as zeros. */
  readonly bytes: Uint8Array | null;
  readonly length: number;
}

/** Lays out a faststart MP4 (`ftyp` first, `moov` before `mdat`) with `padding` bytes after `ftyp`. */
function paddedLayout(path: string, padding: number): { segments: Segment[]; layout: PaddedLayout } {
  const original = new Uint8Array(readFileSync(path));
  const view = new DataView(original.buffer, original.byteOffset, original.byteLength);
  const ftypSize = view.getUint32(0);
  const rest = original.slice(ftypSize);
  const freeSize = 8 + padding;
  patchChunkOffsets(rest, 0, rest.length, freeSize);
  const freeHeader = new Uint8Array(8);
  new DataView(freeHeader.buffer).setUint32(0, freeSize);
  freeHeader.set([0x66, 0x72, 0x65, 0x65], 4);

  const segments: Segment[] = [
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
  return { segments, layout: { indexBytes, size } };
}

/** The padded MP4 as an in-memory virtual source. */
export function paddedMp4Source(path: string, padding: number): { source: ByteSource; layout: PaddedLayout } {
  const { segments, layout } = paddedLayout(path, padding);
  const size = layout.size;
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
  return { source, layout };
}

/** Writes the padded MP4 as a sparse file (the padding takes no disk space). */
export function writePaddedMp4(path: string, padding: number, out: string): PaddedLayout {
  const { segments, layout } = paddedLayout(path, padding);
  const fd = openSync(out, 'w');
  try {
    ftruncateSync(fd, layout.size);
    for (const segment of segments) if (segment.bytes) writeSync(fd, segment.bytes, 0, segment.length, segment.start);
  } finally {
    closeSync(fd);
  }
  return layout;
}
