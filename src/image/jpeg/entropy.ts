/**
 * Huffman coding of one quantised block (T.81 F.1.2: DC difference, then AC run/size symbols).
 */

import type { BitWriter } from './bit-writer.js';
import type { HuffmanEncoder } from './huffman.js';
import { ZIGZAG, zigzagMask } from './zigzag.js';

/** The (run, size) symbols with special meaning: end of block and a run of 16 zeros. */
const EOB = 0x00;
const ZRL = 0xf0;

/** Scratch for the zigzag-order mask: module-level, since encoding never re-enters. */
const zigzagNonzero = new Int32Array(2);

/**
 * Encodes the quantised block `block` (natural order), whose non-zero coefficients are
 * flagged in the natural-order mask `nonzero` (see `fdctQuantize`), after a block of the same
 * component whose DC was `previousDc`, and returns this block's DC for the next one. The
 * writer must have room for `MAX_BLOCK_BYTES`.
 *
 * A value of magnitude category `n` is written as its `n` low bits, negative values as
 * `value − 1` (one's complement), which is what masking the two's-complement `value − 1` gives.
 *
 * Speed matters here (10–30% of an encode, the more the more detail survives quantisation),
 * so the writer's state lives in locals, each symbol's code and value bits go out in one
 * write when they fit in 24 bits (all but the rarest long codes), and only non-zero
 * coefficients are visited, found with `Math.clz32` on the mask. The output is the same as
 * writing symbol by symbol.
 */
export function encodeBlock(
  block: Int32Array,
  nonzero: Int32Array,
  previousDc: number,
  dc: HuffmanEncoder,
  ac: HuffmanEncoder,
  out: BitWriter,
): number {
  const buffer = out.buffer;
  let position = out.position;
  let acc = out.acc;
  let pending = out.pending;

  // DC: the difference's category (its bit length) coded, then its value bits. s is 0 or -1,
  // so `diff + s` is diff − 1 for negative differences, and `(diff ^ s) - s` is |diff|.
  const dcValue = block[0];
  const diff = dcValue - previousDc;
  let s = diff >> 31;
  let size = 32 - Math.clz32((diff ^ s) - s);
  let length = dc.lengths[size] + size; // at most 11 + 11 bits
  acc = (acc << length) | (dc.codes[size] << size) | ((diff + s) & ((1 << size) - 1));
  pending += length;
  while (pending >= 8) {
    pending -= 8;
    const b = (acc >>> pending) & 0xff;
    buffer[position++] = b;
    if (b === 0xff) buffer[position++] = 0;
  }

  // AC: one symbol per non-zero coefficient, (zeros skipped before it << 4) | category.
  const acCodes = ac.codes;
  const acLengths = ac.lengths;
  zigzagMask(nonzero, zigzagNonzero);
  let previous = 0; // zigzag index of the last coefficient coded (the DC to begin with)
  for (let word = 0; word < 2; word++) {
    // Bit 0 of the low word is the DC, already coded.
    let mask = word === 0 ? zigzagNonzero[0] & ~1 : zigzagNonzero[1];
    const base = word << 5;
    while (mask !== 0) {
      const lowest = mask & -mask;
      mask ^= lowest;
      const k = base + 31 - Math.clz32(lowest);
      let run = k - previous - 1;
      previous = k;
      while (run > 15) {
        // ZRL: sixteen zeros (a code of at most 11 bits).
        length = acLengths[ZRL];
        acc = (acc << length) | acCodes[ZRL];
        pending += length;
        while (pending >= 8) {
          pending -= 8;
          const b = (acc >>> pending) & 0xff;
          buffer[position++] = b;
          if (b === 0xff) buffer[position++] = 0;
        }
        run -= 16;
      }
      const v = block[ZIGZAG[k]];
      s = v >> 31;
      size = 32 - Math.clz32((v ^ s) - s);
      const symbol = (run << 4) | size;
      const codeLength = acLengths[symbol];
      const value = (v + s) & ((1 << size) - 1);
      length = codeLength + size;
      if (length <= 24) {
        acc = (acc << length) | (acCodes[symbol] << size) | value;
        pending += length;
      } else {
        // A 16-bit code with 9 or 10 value bits: the code first, then the value below.
        acc = (acc << codeLength) | acCodes[symbol];
        pending += codeLength;
        while (pending >= 8) {
          pending -= 8;
          const b = (acc >>> pending) & 0xff;
          buffer[position++] = b;
          if (b === 0xff) buffer[position++] = 0;
        }
        acc = (acc << size) | value;
        pending += size;
      }
      while (pending >= 8) {
        pending -= 8;
        const b = (acc >>> pending) & 0xff;
        buffer[position++] = b;
        if (b === 0xff) buffer[position++] = 0;
      }
    }
  }

  // Trailing zeros are implied by EOB, which is omitted only when coefficient 63 was coded.
  if (previous < 63) {
    length = acLengths[EOB];
    acc = (acc << length) | acCodes[EOB];
    pending += length;
    while (pending >= 8) {
      pending -= 8;
      const b = (acc >>> pending) & 0xff;
      buffer[position++] = b;
      if (b === 0xff) buffer[position++] = 0;
    }
  }

  out.position = position;
  out.acc = acc;
  out.pending = pending;
  return dcValue;
}
