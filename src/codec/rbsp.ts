/**
 * Reading the payload of an H.264/HEVC NAL unit as RBSP (raw byte sequence payload).
 *
 * Inside a NAL unit the encoder inserts an "emulation prevention" byte 0x03 after every
 * pair of zero bytes that would otherwise be followed by 0x00..0x03, so that no start code
 * can appear inside a unit. Every size and bit position the specifications define (SEI
 * payload sizes, Exp-Golomb fields) counts RBSP bytes, i.e. with those 0x03 removed. This
 * reader removes them on the fly instead of copying the unit, because the callers only
 * ever look at a handful of bytes near the start of a unit.
 */

/**
 * Sequential byte/bit reader over the RBSP of one NAL unit, dropping emulation prevention
 * bytes as it goes. It never throws: reads past the end return `-1` (bytes, bits) or
 * `undefined` (Exp-Golomb), because callers treat truncated units as "cannot tell".
 */
export class RbspReader {
  private pos: number;
  /** Zero bytes seen in a row, to recognise 00 00 03. */
  private zeros = 0;
  /** Current byte being consumed bit by bit, and how many of its bits are left. */
  private bitByte = 0;
  private bitsLeft = 0;

  /**
   * @param unit the NAL unit, header included (no start code or length prefix).
   * @param start offset of the first RBSP byte, i.e. the NAL header size (1 for H.264, 2 for HEVC).
   */
  constructor(
    private readonly unit: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }

  /** Raw bytes not yet consumed (an upper bound on the RBSP bytes left). */
  get rawBytesLeft(): number {
    return this.unit.length - this.pos;
  }

  /** Next RBSP byte (byte-aligned reads only), or -1 at the end of the unit. */
  readByte(): number {
    if (this.pos >= this.unit.length) return -1;
    let b = this.unit[this.pos++]!;
    if (this.zeros >= 2 && b === 0x03) {
      // Emulation prevention byte: not part of the RBSP. The byte after it is data, and
      // the zero run starts over from it.
      this.zeros = 0;
      if (this.pos >= this.unit.length) return -1;
      b = this.unit[this.pos++]!;
    }
    this.zeros = b === 0 ? this.zeros + 1 : 0;
    return b;
  }

  /** Skips `count` RBSP bytes; false when the unit ends first. */
  skipBytes(count: number): boolean {
    for (let i = 0; i < count; i++) {
      if (this.readByte() < 0) return false;
    }
    return true;
  }

  /** Skips `count` bits; false when the unit ends first. */
  skipBits(count: number): boolean {
    for (let i = 0; i < count; i++) if (this.readBit() < 0) return false;
    return true;
  }

  /** Next bit (MSB first), or -1 at the end of the unit. */
  readBit(): number {
    if (this.bitsLeft === 0) {
      const b = this.readByte();
      if (b < 0) return -1;
      this.bitByte = b;
      this.bitsLeft = 8;
    }
    this.bitsLeft--;
    return (this.bitByte >> this.bitsLeft) & 1;
  }

  /** `count` bits (at most 32) as an unsigned number, MSB first; -1 at the end of the unit. */
  readBits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const bit = this.readBit();
      if (bit < 0) return -1;
      value = value * 2 + bit;
    }
    return value;
  }

  /** Signed Exp-Golomb code se(v): 1, -1, 2, -2, … for codes 1, 2, 3, 4, …; `undefined` as for ue(v). */
  readSe(): number | undefined {
    const code = this.readUe();
    if (code === undefined) return undefined;
    return code % 2 === 1 ? (code + 1) / 2 : 0 - code / 2; // 0 - 0 is +0, -0 would not be
  }

  /**
   * Unsigned Exp-Golomb code ue(v). `undefined` when the unit ends, or when the code is
   * longer than 31 leading zeros (not a valid value for any field we read: garbage).
   */
  readUe(): number | undefined {
    let leadingZeros = 0;
    for (;;) {
      const bit = this.readBit();
      if (bit < 0) return undefined;
      if (bit === 1) break;
      if (++leadingZeros > 31) return undefined;
    }
    let suffix = 0;
    for (let i = 0; i < leadingZeros; i++) {
      const bit = this.readBit();
      if (bit < 0) return undefined;
      // Multiplication instead of shifts: 31-bit suffixes overflow int32 bit operations.
      suffix = suffix * 2 + bit;
    }
    return 2 ** leadingZeros - 1 + suffix;
  }
}
