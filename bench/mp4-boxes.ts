/**
 * The top-level boxes of an MP4, read independently of stillframe (job 5 checks stillframe's
 * reads against the index size, so the index size must not come from stillframe itself).
 */
import { openSync, readSync, closeSync, fstatSync } from 'node:fs';

/** One top-level box. */
export interface TopLevelBox {
  readonly type: string;
  readonly offset: number;
  readonly size: number;
}

/** Walks the top-level boxes: 32-bit sizes, 64-bit `largesize` (size 1), to-end-of-file (size 0). */
export function topLevelBoxes(path: string): TopLevelBox[] {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const header = Buffer.alloc(16);
    const boxes: TopLevelBox[] = [];
    for (let offset = 0; offset + 8 <= fileSize; ) {
      readSync(fd, header, 0, 16, offset);
      let size = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (size === 1) size = Number(header.readBigUInt64BE(8));
      else if (size === 0) size = fileSize - offset;
      if (size < 8) throw new Error(`${path}: bad box size ${size} at ${offset}`);
      boxes.push({ type, offset, size });
      offset += size;
    }
    return boxes;
  } finally {
    closeSync(fd);
  }
}

/** Size of the `moov` box (the index), bytes. */
export function moovSize(path: string): number {
  const moov = topLevelBoxes(path).find((box) => box.type === 'moov');
  if (!moov) throw new Error(`${path} has no moov box`);
  return moov.size;
}
