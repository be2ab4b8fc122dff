/**
 * Zigzag order: the order in which DQT tables and entropy-coded coefficients are stored,
 * roughly from low to high frequency.
 */

/**
 * `ZIGZAG[k]` is the natural (row-major) index of the k-th coefficient in zigzag order
 * (libjpeg's `jpeg_natural_order`).
 */
export const ZIGZAG: Readonly<Uint8Array> = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10,
  17, 24, 32, 25, 18, 11, 4, 5,
  12, 19, 26, 33, 40, 48, 41, 34,
  27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36,
  29, 22, 15, 23, 30, 37, 44, 51,
  58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
]);

/**
 * For each row r of a block and each 8-bit pattern of which of its coefficients are non-zero,
 * the same coefficients as a 64-bit zigzag-order mask: `[low word, high word]` at index
 * `(r · 256 + pattern) · 2`. 16 KiB, built once.
 *
 * It turns a natural-order mask into a zigzag-order one with 8 look-ups instead of 64
 * per-coefficient steps (see {@link zigzagMask}).
 */
const ROW_PATTERN_TO_ZIGZAG: Int32Array = (() => {
  const position = new Uint8Array(64); // natural index → zigzag index
  for (let k = 0; k < 64; k++) position[ZIGZAG[k]] = k;
  const table = new Int32Array(8 * 256 * 2);
  for (let row = 0; row < 8; row++) {
    for (let pattern = 0; pattern < 256; pattern++) {
      let low = 0;
      let high = 0;
      for (let col = 0; col < 8; col++) {
        if ((pattern & (1 << col)) === 0) continue;
        const k = position[row * 8 + col];
        if (k < 32) low |= 1 << k;
        else high |= 1 << (k - 32);
      }
      table[(row * 256 + pattern) * 2] = low;
      table[(row * 256 + pattern) * 2 + 1] = high;
    }
  }
  return table;
})();

/**
 * Converts a 64-bit natural-order mask (bit n of `natural[0]` for n < 32, bit n − 32 of
 * `natural[1]` otherwise) into the zigzag-order mask of the same coefficients, written to
 * `zigzag` in the same two-word form.
 */
export function zigzagMask(natural: Int32Array, zigzag: Int32Array): void {
  const t = ROW_PATTERN_TO_ZIGZAG;
  let low = 0;
  let high = 0;
  for (let row = 0; row < 8; row++) {
    const word = row < 4 ? natural[0] : natural[1];
    const i = (row * 256 + ((word >>> ((row & 3) * 8)) & 0xff)) * 2;
    low |= t[i];
    high |= t[i + 1];
  }
  zigzag[0] = low;
  zigzag[1] = high;
}
