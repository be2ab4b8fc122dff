/**
 * Matroska blocks: the header of a `SimpleBlock` or `Block` (track, timestamp, flags, lacing) and
 * the frames it holds, and the payload of a whole block element with its additions (the alpha
 * plane of WebM VP9 alpha rides in a BlockGroup's `BlockAdditional`).
 */
import { ioError } from '../../errors.js';
import type { SamplePayload } from '../video-track.js';
import { childElements, readUint, readVint } from './ebml.js';
import { ELEMENT } from './element-ids.js';

/** SimpleBlock flag: decoding can start at this block. */
export const FLAG_KEYFRAME = 0x80;

/** The `BlockAddID` of the alpha plane of VP8/VP9 (the Matroska default ID). */
const ALPHA_ADD_ID = 1;

/** A block's header, read from its first bytes. */
export interface BlockHeader {
  readonly trackNumber: number;
  /** Timestamp relative to the Cluster's, in TimecodeScale ticks. */
  readonly relativeTimecode: number;
  readonly flags: number;
  /** Bytes before the first frame (header and lace sizes). */
  readonly headerBytes: number;
  /** The size of each frame: one, or several when the block is laced. */
  readonly frameSizes: readonly number[];
}

/**
 * The header of a block whose payload is `blockSize` bytes, from its first bytes `head`;
 * `undefined` when `head` is too short to be a block.
 */
export function readBlockHeader(head: Uint8Array, blockSize: number): BlockHeader | undefined {
  const number = readVint(head, 0, false);
  if (!number || head.length < number.length + 3) return undefined;
  // A big-endian int16, sign-extended (no DataView for two bytes of every block).
  const relativeTimecode = (((head[number.length]! << 8) | head[number.length + 1]!) << 16) >> 16;
  const flags = head[number.length + 2]!;
  const { headerBytes, sizes } = laceSizes(head, number.length + 3, blockSize, (flags >> 1) & 3);
  return { trackNumber: number.value, relativeTimecode, flags, headerBytes, frameSizes: sizes };
}

/** The sizes of the frames of a block with `lacing` (0 none, 1 Xiph, 2 fixed, 3 EBML), and the header bytes before them. */
function laceSizes(head: Uint8Array, at: number, blockSize: number, lacing: number): { headerBytes: number; sizes: number[] } {
  if (lacing === 0) return { headerBytes: at, sizes: [blockSize - at] };
  const count = head[at]! + 1;
  let pos = at + 1;
  const sizes: number[] = [];
  if (lacing === 2) {
    const each = (blockSize - pos) / count;
    if (!Number.isInteger(each)) throw ioError('a fixed-size laced Matroska block does not divide evenly');
    return { headerBytes: pos, sizes: Array(count).fill(each) };
  }
  for (let i = 0; i < count - 1; i++) {
    if (lacing === 1) {
      let laceSize = 0;
      for (let byte = 255; byte === 255; pos++) {
        byte = head[pos]!;
        laceSize += byte;
      }
      sizes.push(laceSize);
    } else {
      const read = readLaceVint(head, pos, i > 0);
      pos += read.length;
      sizes.push(i === 0 ? read.value : sizes[i - 1]! + read.value);
    }
  }
  if (pos > head.length) throw ioError('a laced Matroska block header is cut short');
  const used = sizes.reduce((sum, s) => sum + s, 0);
  sizes.push(blockSize - pos - used);
  if (sizes.some((s) => s < 0)) throw ioError('a laced Matroska block declares more bytes than it holds');
  return { headerBytes: pos, sizes };
}

/** An EBML lace size: unsigned for the first, signed (value minus the middle of its range) for the others. */
function readLaceVint(bytes: Uint8Array, at: number, signed: boolean): { value: number; length: number } {
  const size = readVint(bytes, at, false);
  if (!size) throw ioError('a laced Matroska block has an invalid lace size');
  return { value: signed ? size.value - (2 ** (7 * size.length - 1) - 1) : size.value, length: size.length };
}

/**
 * The frame of a whole, unlaced `SimpleBlock` or `BlockGroup` element (ID and size included), and
 * the alpha plane its `BlockAdditional` 1 carries, if any.
 */
export function unpackBlockElement(element: Uint8Array): SamplePayload {
  const [whole] = childElements(element);
  if (whole?.id === ELEMENT.simpleBlock) return { data: blockFrame(whole.data) };
  if (whole?.id !== ELEMENT.blockGroup) throw ioError('the bytes of a Matroska sample are not a block element');
  const group = childElements(whole.data);
  const block = group.find((child) => child.id === ELEMENT.block);
  if (!block) throw ioError('a Matroska BlockGroup has no Block');
  const alphaData = blockAdditional(group.find((child) => child.id === ELEMENT.blockAdditions)?.data, ALPHA_ADD_ID);
  return alphaData ? { data: blockFrame(block.data), alphaData } : { data: blockFrame(block.data) };
}

/** The one frame of an unlaced block payload. */
function blockFrame(block: Uint8Array): Uint8Array {
  const header = readBlockHeader(block, block.length);
  if (!header || header.frameSizes.length !== 1) throw ioError('a Matroska block with alpha is laced or cut short');
  return block.subarray(header.headerBytes);
}

/** The `BlockAdditional` with `addId` of a `BlockAdditions` payload. */
function blockAdditional(additions: Uint8Array | undefined, addId: number): Uint8Array | undefined {
  for (const more of childElements(additions ?? new Uint8Array(0))) {
    if (more.id !== ELEMENT.blockMore) continue;
    const fields = childElements(more.data);
    const id = fields.find((field) => field.id === ELEMENT.blockAddId);
    if ((id ? readUint(id.data) : ALPHA_ADD_ID) !== addId) continue;
    const data = fields.find((field) => field.id === ELEMENT.blockAdditional)?.data;
    if (data && data.length > 0) return data;
  }
  return undefined;
}
