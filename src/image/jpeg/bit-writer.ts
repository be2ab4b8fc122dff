/**
 * A growable byte buffer with a big-endian bit accumulator for JPEG entropy-coded data.
 */

/**
 * The most bytes one 8×8 block can add: at most 27 bits for the DC difference and 26 per AC
 * coefficient (a 16-bit code plus 10 value bits), 1665 bits in all, i.e. 209 bytes, every
 * one of which may be stuffed. Rounded up generously.
 */
export const MAX_BLOCK_BYTES = 512;

/**
 * Writes marker segments byte-wise and entropy-coded data bit-wise into one buffer.
 *
 * Bits collect in `acc`; after every write all whole bytes go out, so at most 7 bits stay
 * pending and a write of up to 24 bits never needs more than 31: always within an int32.
 * Each 0xFF byte of entropy-coded data is followed by a stuffed 0x00 (T.81 F.1.2.3), so
 * decoders do not read it as a marker. The bit path does not check capacity: callers reserve
 * room with {@link ensure} once per block, which keeps the per-symbol path branch-light.
 *
 * The block coder (`entropy.ts`) inlines this logic on local copies of `buffer`, `position`,
 * `acc` and `pending` for speed, and must keep the same invariants.
 */
export class BitWriter {
  /** The output so far: `buffer[0 .. position)`. Replaced by a larger copy when it grows. */
  buffer: Uint8Array;
  position = 0;
  /** Pending bits, in the low `pending` (0–7) bits; higher bits are stale and ignored. */
  acc = 0;
  pending = 0;

  constructor(initialCapacity: number) {
    this.buffer = new Uint8Array(Math.max(1024, initialCapacity));
  }

  /** Makes room for at least `bytes` more bytes, doubling the buffer as needed. */
  ensure(bytes: number): void {
    const needed = this.position + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.position));
    this.buffer = grown;
  }

  /** Appends one raw byte (marker segments; no stuffing). */
  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value;
  }

  /** Appends a raw big-endian 16-bit value. */
  uint16(value: number): void {
    this.ensure(2);
    this.buffer[this.position++] = value >>> 8;
    this.buffer[this.position++] = value & 0xff;
  }

  /** Appends raw bytes. */
  bytes(values: ArrayLike<number>): void {
    this.ensure(values.length);
    for (let i = 0; i < values.length; i++) this.buffer[this.position++] = values[i];
  }

  /**
   * Appends the low `length` bits (0–24: 7 pending and 24 new bits fit in an int32) of `bits`,
   * most significant first, to the entropy-coded data. Bits above `length` must be zero. Capacity must have been reserved.
   */
  bits(bits: number, length: number): void {
    const acc = (this.acc << length) | bits;
    let pending = this.pending + length;
    while (pending >= 8) {
      pending -= 8;
      const b = (acc >>> pending) & 0xff;
      this.buffer[this.position++] = b;
      if (b === 0xff) this.buffer[this.position++] = 0;
    }
    this.acc = acc;
    this.pending = pending;
  }

  /**
   * Ends the entropy-coded segment: pads the last byte with 1 bits (T.81 F.1.2.3, so the
   * padding cannot be mistaken for a code) and writes it out.
   */
  flushBits(): void {
    this.ensure(2);
    const pad = (8 - this.pending) & 7;
    this.bits((1 << pad) - 1, pad);
    this.acc = 0;
  }

  /** The bytes written, as a plain exactly-sized `Uint8Array` (a copy, not a view). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.position);
  }
}
