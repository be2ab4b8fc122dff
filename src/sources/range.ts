/**
 * Argument checking shared by every `ByteSource` implementation, so that all sources
 * agree on what a valid request is and on how a request past the end is clipped.
 */

import { invalidArgument } from '../errors.js';

/** A half-open byte range `[start, end)`, already clipped to the source size. */
export interface ClippedRange {
  /** First byte to read. */
  readonly start: number;
  /** One past the last byte to read; `end - start` is the number of bytes to return (may be 0). */
  readonly end: number;
}

/**
 * Throws `invalid-argument` unless `value` is a non-negative safe integer.
 *
 * Byte positions are doubles so that files over 2 GiB work, but a position that is
 * fractional, NaN, infinite or beyond 2^53 can only come from a caller bug; failing loudly
 * beats reading the wrong bytes (fs APIs would otherwise truncate or throw untyped errors).
 */
export function checkByteCount(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${what} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Validates a `read(offset, length)` request and clips it to `size`.
 *
 * A range that starts at or after the end yields an empty range rather than an error: the
 * `ByteSource` contract is that reads past the end come back short, and callers that
 * need every byte use `readExact`, which turns the short read into a typed error.
 */
export function clipRange(offset: number, length: number, size: number): ClippedRange {
  checkByteCount(offset, 'offset');
  checkByteCount(length, 'length');
  const start = Math.min(offset, size);
  // offset + length can exceed 2^53 only for absurd lengths; Math.min keeps the result exact
  // because size itself is a safe integer.
  const end = Math.min(offset + length, size);
  return { start, end: Math.max(start, end) };
}
