/**
 * Walking the box tree of a `moov` (or of a part of it, such as an `stsd`) in place, for the
 * few jobs done on raw bytes rather than on mp4box's parse: hiding boxes from mp4box by renaming
 * them, and finding a sample entry's decoder configuration.
 */
import { fourcc } from './box-walker.js';

/** Boxes that hold nothing but boxes. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);
/** `stsd` header: box header, version/flags, entry count. */
const SAMPLE_DESCRIPTION_HEADER = 8 + 8;
/** A visual sample entry's header before its child boxes (`avcC`, `hvcC`, `colr` …). */
const VISUAL_SAMPLE_ENTRY_HEADER = 8 + 78;

/** A box met by {@link visitBoxes}. */
export interface VisitedBox {
  readonly type: string;
  /** Offset of the box header in the walked bytes. */
  readonly at: number;
  readonly size: number;
  /** True for the child boxes of a sample entry (decoder configurations and the like). */
  readonly inSampleEntry: boolean;
}

/** The four-character type of the box whose header starts at `at`. */
export function boxType(bytes: Uint8Array, at: number): string {
  return fourcc(bytes, at + 4);
}

/** Renames the box at `at` to `free`, which every parser skips. */
export function hideBox(bytes: Uint8Array, at: number): void {
  bytes.set([0x66, 0x72, 0x65, 0x65], at + 4);
}

/**
 * Calls `visit` for every box in `[start, end)` of `bytes`, descending into the `moov` tree's
 * containers, `stsd` and its sample entries. A malformed size ends the walk of its level.
 */
export function visitBoxes(bytes: Uint8Array, visit: (box: VisitedBox) => void, start = 0, end = bytes.length): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const walk = (from: number, to: number, level: 'tree' | 'stsd' | 'entry'): void => {
    for (let at = from; at + 8 <= to; ) {
      const size = view.getUint32(at);
      if (size < 8 || at + size > to) return;
      const type = boxType(bytes, at);
      if (level === 'stsd') {
        walk(at + VISUAL_SAMPLE_ENTRY_HEADER, at + size, 'entry');
      } else {
        visit({ type, at, size, inSampleEntry: level === 'entry' });
        if (level === 'tree' && CONTAINERS.has(type)) walk(at + 8, at + size, 'tree');
        else if (level === 'tree' && type === 'stsd') walk(at + SAMPLE_DESCRIPTION_HEADER, at + size, 'stsd');
      }
      at += size;
    }
  };
  walk(start, end, 'tree');
}
