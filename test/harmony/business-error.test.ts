/**
 * BusinessError and the translation of core failures into HarmonyOS media error codes.
 */
import { describe, expect, it } from 'vitest';
import { StillframeError, type StillframeErrorKind } from '../../src/errors.js';
import { AVErrorCode } from '../../src/harmony/av-error-code.js';
import { BusinessError, toBusinessError } from '../../src/harmony/business-error.js';
import { media } from '../../src/harmony/index.js';

describe('BusinessError', () => {
  it('is an Error with a numeric code, an optional data payload and a cause', () => {
    const cause = new Error('root');
    const error = new BusinessError<{ detail: string }>(5400103, 'I/O error', { data: { detail: 'x' }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BusinessError');
    expect(error.code).toBe(5400103);
    expect(error.message).toBe('I/O error');
    expect(error.data).toEqual({ detail: 'x' });
    expect(error.cause).toBe(cause);
  });

  it('has no data property unless one is given', () => {
    expect('data' in new BusinessError(401, 'bad')).toBe(false);
  });
});

describe('toBusinessError', () => {
  const cases: Array<[StillframeErrorKind, number]> = [
    ['invalid-argument', 401],
    ['not-allowed', 5400102],
    ['io', 5400103],
    ['timeout', 5400104],
    ['engine-crashed', 5400105],
    ['unsupported', 5400106],
    // Corrupt data is reported as an I/O error: the media API has no code of its own for it.
    ['decode', 5400103],
  ];
  it.each(cases)('maps the core kind %s to %i, keeping the message and the cause', (kind, code) => {
    const core = new StillframeError(kind, `something about ${kind}`);
    const error = toBusinessError(core);
    expect(error).toBeInstanceOf(BusinessError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(`something about ${kind}`);
    expect(error.cause).toBe(core);
  });

  it('returns a BusinessError unchanged', () => {
    const error = new BusinessError(401, 'bad');
    expect(toBusinessError(error)).toBe(error);
  });

  it('reports anything else as 5400105 with the original message', () => {
    const error = toBusinessError(new RangeError('Array buffer allocation failed'));
    expect(error.code).toBe(5400105);
    expect(error.message).toContain('Array buffer allocation failed');
    expect(toBusinessError('a string').message).toContain('a string');
  });
});

describe('media.AVErrorCode', () => {
  it('has the platform values', () => {
    expect({ ...media.AVErrorCode }).toMatchObject({
      AVERR_OK: 0,
      AVERR_NO_PERMISSION: 201,
      AVERR_INVALID_PARAMETER: 401,
      AVERR_UNSUPPORT_CAPABILITY: 801,
      AVERR_NO_MEMORY: 5400101,
      AVERR_OPERATE_NOT_PERMIT: 5400102,
      AVERR_IO: 5400103,
      AVERR_TIMEOUT: 5400104,
      AVERR_SERVICE_DIED: 5400105,
      AVERR_UNSUPPORT_FORMAT: 5400106,
      AVERR_AUDIO_INTERRUPTED: 5400107,
    });
    expect(media.AVErrorCode).toBe(AVErrorCode);
  });
});
