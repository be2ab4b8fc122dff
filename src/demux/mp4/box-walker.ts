/**
 * Walks the top-level boxes of an ISO BMFF file with small ranged reads, so that `moov` is
 * found wherever it is (start or end) and `moof` boxes are found without reading `mdat`.
 */
import { ioError, unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';

/** A top-level box: its type, where it starts and how long it is (header included). */
export interface TopLevelBox {
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  /** Length of the box header: 8, or 16 with a 64-bit size. */
  readonly headerSize: number;
}

const KNOWN_TOP_LEVEL = new Set([
  'ftyp', 'styp', 'moov', 'moof', 'mdat', 'free', 'skip', 'wide', 'uuid', 'sidx', 'mfra', 'meta', 'pdin', 'prft', 'emsg', 'ssix', 'junk', 'pnot', 'PICT',
]);

/** Reads `[offset, offset + length)`, clipped to the source size. */
async function readAt(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  return source.read(offset, Math.min(length, source.size - offset));
}

/** The four characters at `at` (a box type, a sample entry's codec). */
export function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

function isPrintableFourcc(type: string): boolean {
  return /^[\x20-\x7e]{4}$/.test(type);
}

/** Lists the top-level boxes. Rejects with `unsupported` when the bytes are not ISO BMFF. */
export async function walkTopLevelBoxes(source: ByteSource): Promise<TopLevelBox[]> {
  const boxes: TopLevelBox[] = [];
  let offset = 0;
  while (offset + 8 <= source.size) {
    const header = await readAt(source, offset, 16);
    if (header.length < 8) throw ioError(`could not read the box header at byte ${offset}`);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const type = fourcc(header, 4);
    let size = view.getUint32(0);
    let headerSize = 8;
    if (size === 1) {
      if (header.length < 16) break;
      size = Number(view.getBigUint64(8));
      headerSize = 16;
    } else if (size === 0) {
      size = source.size - offset;
    }
    if (!isPrintableFourcc(type) || size < 8 || (boxes.length === 0 && !KNOWN_TOP_LEVEL.has(type))) {
      if (boxes.length === 0) throw unsupported('not an MP4/MOV file: no ISO BMFF box at the start');
      // Junk after valid boxes (a common trailer): stop rather than misread it.
      break;
    }
    boxes.push({ type, offset, size, headerSize });
    offset += size;
  }
  if (boxes.length === 0) throw unsupported('not an MP4/MOV file: it is too short to hold a box');
  return boxes;
}

/** Reads a whole box; rejects with `io` when the file ends inside it (a truncated file). */
export async function readBox(source: ByteSource, box: TopLevelBox): Promise<Uint8Array> {
  if (box.offset + box.size > source.size) {
    throw ioError(
      `the file is truncated: its '${box.type}' box needs bytes up to ${box.offset + box.size} but the file ends at ${source.size}`,
    );
  }
  return source.read(box.offset, box.size);
}
