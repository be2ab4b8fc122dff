/**
 * PES packets (ISO/IEC 13818-1 2.4.3.6), which carry an elementary stream over transport
 * packets: a header with the presentation and decode time stamps (33 bits of a 90 kHz clock),
 * then the stream's bytes. Read to index and unpack samples, written for the decode input.
 */

/** Ticks per second of PES time stamps. */
export const PES_CLOCK = 90_000;
/** PES time stamps count modulo 2^33 (about 26.5 hours). */
export const TIMESTAMP_WRAP = 2 ** 33;

/** Bytes of a PES header before its optional fields: start code, stream_id, length, two flag bytes, header length. */
const FIXED_HEADER = 9;
/** Bytes of one coded time stamp. */
const TIMESTAMP_BYTES = 5;
/** The longest PES header: the fixed part and 255 bytes of optional fields. */
const MAX_HEADER = FIXED_HEADER + 255;
/** stream_id of the first video stream (0xE0–0xEF are video). */
const VIDEO_STREAM_ID = 0xe0;

/** The time stamps a PES header gives, as stored (33-bit). */
export interface PesTimestamps {
  readonly pts: number | undefined;
  readonly dts: number | undefined;
}

/**
 * Reads one PID's PES packets from its transport packets' payloads, in order: the header,
 * which a muxer may split over packets, is gathered and parsed; what follows it is passed on as
 * the elementary stream. It starts as if inside a PES's payload: a sample's packets may begin
 * in the middle of one.
 */
export class PesReader {
  private readonly header = new Uint8Array(MAX_HEADER);
  /** Header bytes gathered so far, while the header is incomplete; -1 once it is read (or the PES was dropped). */
  private gathered = -1;
  /** Whether the current PES has a valid header: its payload is dropped otherwise. */
  private valid = true;
  private current: PesTimestamps | undefined;

  /** The time stamps of the current PES, once its header is read. */
  get timestamps(): PesTimestamps | undefined {
    return this.current;
  }

  /** Feeds one transport packet's payload; returns the elementary stream bytes it carries (a view). */
  push(payload: Uint8Array, unitStart: boolean): Uint8Array {
    if (unitStart) {
      this.gathered = 0;
      this.valid = false;
      this.current = undefined;
    }
    if (this.gathered < 0) return this.valid ? payload : NOTHING;
    // The fixed part first: its last byte says how many bytes of optional fields follow.
    let rest = this.gather(payload, FIXED_HEADER);
    if (this.gathered < FIXED_HEADER) return NOTHING;
    if (!isPesStart(this.header)) {
      this.gathered = -1;
      return NOTHING;
    }
    const size = FIXED_HEADER + this.header[FIXED_HEADER - 1]!;
    rest = this.gather(rest, size);
    if (this.gathered < size) return NOTHING;
    this.gathered = -1;
    this.valid = true;
    this.current = readTimestamps(this.header);
    return rest;
  }

  /** Adds header bytes from `bytes` up to `size` in all; returns the bytes after those taken. */
  private gather(bytes: Uint8Array, size: number): Uint8Array {
    const taken = Math.max(0, Math.min(size - this.gathered, bytes.length));
    this.header.set(bytes.subarray(0, taken), this.gathered);
    this.gathered += taken;
    return bytes.subarray(taken);
  }
}

const NOTHING = new Uint8Array(0);

/** A packet start code prefix (00 00 01), and the '10' bits that open the optional header every video PES has. */
function isPesStart(header: Uint8Array): boolean {
  return header[0] === 0 && header[1] === 0 && header[2] === 1 && (header[6]! & 0xc0) === 0x80;
}

/** The PTS and DTS a complete header's PTS_DTS_flags announce, where its optional fields hold them. */
function readTimestamps(header: Uint8Array): PesTimestamps {
  const flags = header[7]! >> 6;
  const optional = header[FIXED_HEADER - 1]!;
  const pts = flags & 2 && optional >= TIMESTAMP_BYTES ? readTimestamp(header, FIXED_HEADER) : undefined;
  const dts = flags === 3 && optional >= 2 * TIMESTAMP_BYTES ? readTimestamp(header, FIXED_HEADER + TIMESTAMP_BYTES) : undefined;
  return { pts, dts };
}

/** A 33-bit time stamp coded over 5 bytes with marker bits; multiplications keep it exact above 2^32. */
function readTimestamp(bytes: Uint8Array, at: number): number {
  const high = (bytes[at]! >> 1) & 0x07;
  const middle = (bytes[at + 1]! << 7) | (bytes[at + 2]! >> 1);
  const low = (bytes[at + 3]! << 7) | (bytes[at + 4]! >> 1);
  return high * 2 ** 30 + middle * 2 ** 15 + low;
}

/**
 * A 33-bit time stamp placed on a monotonic timeline: of the values it may stand for (`raw`
 * plus whole wraps), the one nearest `near`, a time stamp already placed. A jump back of more
 * than half the range is the counter wrapping, and becomes a step forward.
 */
export function unwrapTimestamp(raw: number, near: number): number {
  return raw + Math.round((near - raw) / TIMESTAMP_WRAP) * TIMESTAMP_WRAP;
}

/** Bytes of the PES header {@link writePesHeader} writes. */
export function pesHeaderSize(pts: number, dts: number): number {
  return FIXED_HEADER + (pts === dts ? TIMESTAMP_BYTES : 2 * TIMESTAMP_BYTES);
}

/**
 * Writes a video PES header of {@link pesHeaderSize} bytes at `at`: unbounded length (0, as video
 * PES may be), data aligned, with the PTS, and the DTS when it differs.
 */
export function writePesHeader(out: Uint8Array, at: number, pts: number, dts: number): void {
  const both = pts !== dts;
  out.set([0, 0, 1, VIDEO_STREAM_ID, 0, 0, 0x84, both ? 0xc0 : 0x80, both ? 2 * TIMESTAMP_BYTES : TIMESTAMP_BYTES], at);
  writeTimestamp(out, at + FIXED_HEADER, both ? 0x3 : 0x2, pts);
  if (both) writeTimestamp(out, at + FIXED_HEADER + TIMESTAMP_BYTES, 0x1, dts);
}

/** A time stamp behind its 4-bit prefix, with the marker bits set. */
function writeTimestamp(out: Uint8Array, at: number, prefix: number, value: number): void {
  const high = Math.floor(value / 2 ** 30);
  const middle = Math.floor(value / 2 ** 15) % 2 ** 15;
  const low = value % 2 ** 15;
  out[at] = (prefix << 4) | (high << 1) | 1;
  out[at + 1] = middle >> 7;
  out[at + 2] = ((middle & 0x7f) << 1) | 1;
  out[at + 3] = low >> 7;
  out[at + 4] = ((low & 0x7f) << 1) | 1;
}
