/** Builders for hand-made bitstream bytes in the codec unit tests. */

/** Concatenates byte arrays / number lists. */
export function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** An MP4-style sample: each unit behind a big-endian length field of `lengthSize` bytes. */
export function lengthPrefixed(lengthSize: number, ...units: (Uint8Array | readonly number[])[]): Uint8Array {
  const parts: number[][] = [];
  for (const unit of units) {
    const field: number[] = [];
    for (let i = lengthSize - 1; i >= 0; i--) field.push(Math.floor(unit.length / 2 ** (8 * i)) & 0xff);
    parts.push(field, Array.from(unit));
  }
  return concat(...parts);
}

/** An Annex-B sample: each unit behind a start code of 3 or 4 bytes. */
export function annexB(startCodeLength: 3 | 4, ...units: (Uint8Array | readonly number[])[]): Uint8Array {
  const code = startCodeLength === 4 ? [0, 0, 0, 1] : [0, 0, 1];
  return concat(...units.flatMap((u) => [code, u]));
}

/** `n` bytes of filler that contain no 00 00 pair (so no start code or EPB). */
export function filler(n: number, value = 0x5a): number[] {
  return new Array<number>(n).fill(value);
}

/** MSB-first bit writer, for headers (VP9) and RBSP fields (Exp-Golomb). */
export class BitWriter {
  private bits: number[] = [];

  /** Appends `count` bits of `value`. */
  put(value: number, count: number): this {
    for (let i = count - 1; i >= 0; i--) this.bits.push((value >> i) & 1);
    return this;
  }

  /** Appends ue(v). */
  ue(value: number): this {
    const code = value + 1;
    const length = Math.floor(Math.log2(code));
    this.put(0, length);
    return this.put(code, length + 1);
  }

  /** rbsp_trailing_bits / byte alignment: a 1 then zeros to the byte boundary. */
  trailing(): this {
    this.bits.push(1);
    while (this.bits.length % 8 !== 0) this.bits.push(0);
    return this;
  }

  /** The bits so far, zero-padded to whole bytes. */
  bytes(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.bits.length; i += 8) {
      let byte = 0;
      for (let b = 0; b < 8; b++) byte = (byte << 1) | (this.bits[i + b] ?? 0);
      out.push(byte);
    }
    return out;
  }
}
