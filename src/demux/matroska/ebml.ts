/**
 * Reading EBML (RFC 8794), the binary format of Matroska and WebM: elements are an ID, a size
 * and a payload, IDs and sizes being variable-length integers. The reader walks a byte source
 * through a read-ahead window, so a file is read in large ranges, never loaded whole.
 */
import { unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';
import { readExact } from '../../sources/read-exact.js';

/** Bytes read at a time when walking a file. */
const WINDOW_BYTES = 1024 * 1024;

/** An element header: where it starts, its ID, and where its payload lies. */
export interface EbmlElement {
  readonly id: number;
  /** Offset of the ID's first byte. */
  readonly start: number;
  /** Offset of the payload. */
  readonly dataStart: number;
  /** Payload size; `undefined` for an element of unknown size (live-recorded files). */
  readonly size: number | undefined;
}

/**
 * A variable-length integer at `at`: its value (with the length marker kept, as IDs are written,
 * or removed, as sizes are) and its length; `unknown` when every value bit is 1 (the reserved
 * "unknown size"). `undefined` for a first byte of 0 or a cut-off integer.
 */
export function readVint(bytes: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | undefined {
  const first = bytes[at];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23; // 1 for 0b1xxxxxxx … 8 for 0b00000001
  if (at + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  for (let i = 1; i < length; i++) value = value * 256 + bytes[at + i]!;
  return { value, length, unknown: !keepMarker && value === 2 ** (7 * length) - 1 };
}

/**
 * Reads a source through a window, so that many small reads cost a few large ones. The window
 * never reaches past `readAhead` (the end of what a walk is after), except for what a read asks for.
 */
export class WindowedReader {
  private windowStart = 0;
  private window: Uint8Array = new Uint8Array(0);

  constructor(
    readonly source: ByteSource,
    private readonly readAhead = source.size,
  ) {}

  /** `length` bytes at `offset` (fewer at the end of the source). */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.source.size);
    if (offset < this.windowStart || end > this.windowStart + this.window.length) {
      const size = Math.min(Math.max(length, Math.min(WINDOW_BYTES, this.readAhead - offset)), this.source.size - offset);
      this.window = await readExact(this.source, offset, Math.max(0, size));
      this.windowStart = offset;
    }
    return this.window.subarray(offset - this.windowStart, end - this.windowStart);
  }

  /** The element header at `offset`; `undefined` at the end of the source or on bytes that are no header. */
  async element(offset: number): Promise<EbmlElement | undefined> {
    const head = await this.bytes(offset, 12);
    const id = readVint(head, 0, true);
    if (!id || id.length > 4) return undefined;
    const size = readVint(head, id.length, false);
    if (!size) return undefined;
    return { id: id.value, start: offset, dataStart: offset + id.length + size.length, size: size.unknown ? undefined : size.value };
  }

  /**
   * The whole payload of a sized element, through the window (a view into it: copy what must
   * outlive the next read). Rejects with `io` when the source ends first.
   */
  async payload(element: EbmlElement): Promise<Uint8Array> {
    if (element.size === undefined) throw unsupported(`the Matroska element 0x${element.id.toString(16)} has an unknown size where one is needed`);
    const bytes = await this.bytes(element.dataStart, element.size);
    return bytes.length === element.size ? bytes : readExact(this.source, element.dataStart, element.size);
  }
}

/** The child elements of a payload held in memory, in order; a malformed size ends the list. */
export function childElements(payload: Uint8Array): Array<{ id: number; data: Uint8Array; bytes: Uint8Array }> {
  const children: Array<{ id: number; data: Uint8Array; bytes: Uint8Array }> = [];
  for (let at = 0; at < payload.length; ) {
    const id = readVint(payload, at, true);
    const size = id && readVint(payload, at + id.length, false);
    if (!id || !size || size.unknown) break;
    const dataStart = at + id.length + size.length;
    const end = dataStart + size.value;
    if (end > payload.length) break;
    children.push({ id: id.value, data: payload.subarray(dataStart, end), bytes: payload.subarray(at, end) });
    at = end;
  }
  return children;
}

/** An unsigned integer element's value (big-endian, up to 8 bytes). */
export function readUint(data: Uint8Array): number {
  let value = 0;
  for (const byte of data) value = value * 256 + byte;
  return value;
}

/** A string element's value (ASCII or UTF-8; trailing zero bytes dropped). */
export function readString(data: Uint8Array): string {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return new TextDecoder().decode(data.subarray(0, end));
}
