/**
 * Splitting one MP4 sample of H.264 or HEVC into its NAL units.
 *
 * ISO/IEC 14496-15 stores each NAL unit behind a big-endian length field whose size the
 * decoder configuration record gives (`lengthSizeMinusOne + 1`: 1, 2 or 4 bytes). Some
 * real muxers copy an encoder's Annex-B byte stream into the samples instead, start codes
 * (00 00 01 / 00 00 00 01) and all, while still writing an avcC/hvcC box (or an empty one).
 * ffmpeg plays such files, so the indexer must read them too: the framing is detected per
 * sample, from the bytes, rather than trusted from the box.
 *
 * Every unit returned is a `subarray` of the input: nothing is copied, because indexing
 * calls this on every sample of a file.
 */

import { invalidArgument } from '../errors.js';

/** How the NAL units of a sample are delimited. */
export type NalFraming = 'length-prefixed' | 'annex-b';

/** NAL units of one sample, and the framing they were found in. */
export interface NalSplit {
  /** The framing the bytes turned out to use; `null` when they fit neither (garbage). */
  framing: NalFraming | null;
  /**
   * The NAL units (header included, start code or length prefix excluded), in order, as
   * views into the sample. When the sample is only a prefix of the real sample (see
   * `sampleSize`), the last unit may be cut short. Empty when `framing` is `null`.
   */
  units: Uint8Array[];
}

/**
 * Splits an MP4 sample into NAL units, detecting whether it is length-prefixed (the MP4
 * norm) or carries Annex-B start codes. See {@link splitNalUnitsWithFraming} for the
 * detection rules.
 *
 * @param sample the sample bytes, or only its first bytes (then pass `sampleSize`).
 * @param lengthSize size of the NAL length fields, from the avcC/hvcC record (1, 2 or 4;
 *   3 is accepted because ffmpeg accepts it).
 * @param sampleSize full size of the sample when `sample` holds only its first bytes.
 * @returns the NAL units as views into `sample`; empty when the bytes fit neither framing.
 * @throws StillframeError `invalid-argument` for a length size outside 1..4 or a
 *   `sampleSize` smaller than the bytes given.
 */
export function splitNalUnits(sample: Uint8Array, lengthSize: number, sampleSize?: number): Uint8Array[] {
  return splitNalUnitsWithFraming(sample, lengthSize, sampleSize).units;
}

/**
 * Splits an MP4 sample into NAL units and says which framing it used.
 *
 * Detection heuristic, in order:
 * 1. Walk the sample as length-prefixed units. If the walk consumes the sample exactly
 *    (trailing zero padding allowed), every unit is non-empty and its first byte has the
 *    forbidden_zero_bit clear, it is length-prefixed. This is the normal case and costs
 *    one read per NAL unit: the payload bytes are never scanned.
 * 2. Otherwise, if the sample begins with a start code (two or more zero bytes, then 01)
 *    and splitting at start codes yields a well-formed first unit, it is Annex-B. Units
 *    from the first malformed one on are dropped: a cut file's last sample runs into
 *    whatever box follows. A start code never parses as a valid length-prefixed unit: with
 *    1- or 2-byte lengths it reads as a zero length; with 4-byte lengths `00 00 00 01`
 *    reads as a 1-byte unit, which only an H.264 end-of-sequence/end-of-stream NAL (never
 *    the first unit of a sample) can be.
 *    The one ambiguous pattern is a 3-byte start code read with 4-byte lengths
 *    (`00 00 01 xx` = a 256..511-byte unit). There, besides exact consumption, the first
 *    unit of the length-prefixed reading must not contain `00 00 00`/`00 00 01`/
 *    `00 00 02`: emulation prevention makes those impossible inside a NAL unit, so finding
 *    one means the walk swallowed the next start code (at most 511 bytes are scanned, and
 *    only for samples that begin with `00 00 01`). What remains ambiguous is a sample of a
 *    single NAL unit exactly 257 + (its first byte) bytes long behind a 3-byte start code:
 *    it reads as length-prefixed. Conforming Annex-B streams open every access unit with
 *    a 4-byte start code (H.264/H.265 B.1.2 zero_byte), which is never ambiguous.
 * 3. When `sample` is only a prefix of the sample (`sampleSize` larger than the bytes
 *    given), exact consumption cannot be checked. A length-prefixed walk that stays
 *    consistent up to the end of the bytes given (and never claims more than `sampleSize`
 *    bytes) is then accepted, unless the sample starts with a start code and one of the
 *    walked units contains `00 00 00`/`00 00 01`/`00 00 02`: emulation prevention makes
 *    those sequences impossible inside a real NAL unit, so the walk was reading start
 *    codes as lengths. A tie (both readings plausible) goes to length-prefixed, the
 *    framing the container declares.
 * 4. Anything else is garbage: `framing` is `null` and no units are returned.
 *
 * @param sample the sample bytes, or only its first bytes (then pass `sampleSize`).
 * @param lengthSize size of the NAL length fields (1..4).
 * @param sampleSize full size of the sample when `sample` holds only its first bytes;
 *   defaults to `sample.length` (the whole sample).
 * @throws StillframeError `invalid-argument` for a length size outside 1..4 or a
 *   `sampleSize` smaller than the bytes given.
 */
export function splitNalUnitsWithFraming(sample: Uint8Array, lengthSize: number, sampleSize?: number): NalSplit {
  if (!Number.isInteger(lengthSize) || lengthSize < 1 || lengthSize > 4) {
    throw invalidArgument(`NAL length size must be 1, 2, 3 or 4 bytes, got ${lengthSize}`);
  }
  const fullSize = sampleSize ?? sample.length;
  if (!Number.isFinite(fullSize) || fullSize < sample.length) {
    throw invalidArgument(`sampleSize ${fullSize} is smaller than the ${sample.length} bytes given`);
  }
  const complete = fullSize === sample.length;
  if (sample.length === 0) return { framing: null, units: [] };

  const walk = walkLengthPrefixed(sample, lengthSize, fullSize);
  const startCode = startsWithStartCode(sample);
  if (walk.status === 'exact') {
    // `00 00 01 xx` also reads as a 4-byte length of 256..511 (step 2). A real unit that
    // long never contains a start code, so one inside the first unit unmasks Annex-B.
    const first = walk.units[0];
    if (!startCode || first === undefined || !containsStartCodePattern(first)) {
      return { framing: 'length-prefixed', units: walk.units };
    }
  }

  const annexB = startCode ? splitAnnexB(sample) : null;
  if (annexB !== null) {
    if (walk.status === 'invalid' || complete) return { framing: 'annex-b', units: annexB };
    // Prefix of a sample, both readings plausible so far: see step 3 above.
    if (walk.units.some(containsStartCodePattern)) return { framing: 'annex-b', units: annexB };
  }
  if (walk.status === 'invalid') return { framing: null, units: [] };
  return { framing: 'length-prefixed', units: walk.units };
}

/** Outcome of reading a sample as length-prefixed NAL units. */
interface LengthPrefixedWalk {
  /**
   * `exact`: the units tile the whole sample. `prefix`: consistent so far, but the bytes
   * given end before the sample does. `invalid`: cannot be length-prefixed.
   */
  status: 'exact' | 'prefix' | 'invalid';
  units: Uint8Array[];
}

function walkLengthPrefixed(sample: Uint8Array, lengthSize: number, sampleSize: number): LengthPrefixedWalk {
  const units: Uint8Array[] = [];
  const end = sample.length;
  const complete = sampleSize === end;
  let pos = 0;
  while (pos < end) {
    if (pos + lengthSize > end) {
      // The next length field is cut by the end of the bytes we have.
      if (!complete) return { status: 'prefix', units };
      return { status: allZero(sample, pos) ? 'exact' : 'invalid', units };
    }
    let length = 0;
    for (let i = 0; i < lengthSize; i++) length = length * 256 + sample[pos + i]!;
    if (length === 0) {
      // Some muxers pad samples with zero bytes after the last unit; a zero length
      // anywhere else means these are not length fields.
      if (allZero(sample, pos)) return { status: complete ? 'exact' : 'prefix', units };
      return { status: 'invalid', units };
    }
    const start = pos + lengthSize;
    const unitEnd = start + length;
    if (unitEnd > sampleSize) return { status: 'invalid', units };
    if (start < end) {
      const header = sample[start]!;
      // forbidden_zero_bit is 0 in every H.264 and HEVC NAL unit header.
      if (header & 0x80) return { status: 'invalid', units };
      // A unit of just one byte can only be an H.264 end of sequence (0x0A) or end of
      // stream (0x0B); HEVC headers alone are two bytes. This is what rejects a 4-byte
      // start code `00 00 00 01` read as a length.
      if (length === 1 && header !== 0x0a && header !== 0x0b) return { status: 'invalid', units };
    }
    if (unitEnd > end) {
      // Runs past the bytes given but not past the sample: a prefix.
      if (start < end) units.push(sample.subarray(start, end));
      return { status: 'prefix', units };
    }
    units.push(sample.subarray(start, unitEnd));
    pos = unitEnd;
  }
  return { status: complete ? 'exact' : 'prefix', units };
}

function allZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Two or more zero bytes, then 0x01, at offset 0. */
function startsWithStartCode(sample: Uint8Array): boolean {
  let i = 0;
  while (i < sample.length && sample[i] === 0) i++;
  return i >= 2 && i < sample.length && sample[i] === 1;
}

/** Position of the first start code (00 00 01) at or after `from`, or -1. */
export function nextStartCode(bytes: Uint8Array, from: number): number {
  // The standard skip-ahead scan: look at the third byte of the window first; if it is above 1,
  // no start code can begin at any of the three positions.
  for (let i = from; i + 2 < bytes.length; ) {
    const third = bytes[i + 2]!;
    if (third > 1) i += 3;
    else if (third === 0) i += 1;
    else if (bytes[i] === 0 && bytes[i + 1] === 0) return i;
    else i += 3;
  }
  return -1;
}

/**
 * Splits an Annex-B byte stream at its start codes. Stops at the first unit whose
 * forbidden_zero_bit is set: what follows is not H.264/HEVC data (typically a file cut
 * short, whose last sample runs into the next box), but the well-formed units before it
 * still tell what the sample is. Returns `null` when not even the first unit is
 * well-formed.
 */
function splitAnnexB(bytes: Uint8Array): Uint8Array[] | null {
  const units: Uint8Array[] = [];
  let unitStart = -1;
  for (let i = nextStartCode(bytes, 0); i >= 0; i = nextStartCode(bytes, i + 3)) {
    if (unitStart >= 0 && !pushUnit(bytes, unitStart, i, units)) return units.length > 0 ? units : null;
    unitStart = i + 3;
  }
  if (unitStart >= 0) pushUnit(bytes, unitStart, bytes.length, units);
  return units.length > 0 ? units : null;
}

/**
 * Adds `bytes[start, end)` minus trailing zero bytes (the extra zero of a 4-byte start
 * code, or trailing_zero_8bits: a NAL unit never ends in 0x00 because its RBSP ends with a
 * stop bit). Empty units (back-to-back start codes) are skipped. False, adding nothing,
 * when the unit's forbidden_zero_bit is set.
 */
function pushUnit(bytes: Uint8Array, start: number, end: number, units: Uint8Array[]): boolean {
  while (end > start && bytes[end - 1] === 0) end--;
  if (end === start) return true;
  if (bytes[start]! & 0x80) return false;
  units.push(bytes.subarray(start, end));
  return true;
}

/** True when `unit` contains 00 00 00, 00 00 01 or 00 00 02: impossible inside a NAL unit. */
function containsStartCodePattern(unit: Uint8Array): boolean {
  for (let i = 0; i + 2 < unit.length; i++) {
    if (unit[i] === 0 && unit[i + 1] === 0 && unit[i + 2]! <= 2) return true;
  }
  return false;
}
