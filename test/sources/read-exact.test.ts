import { describe, expect, it } from 'vitest';
import { ioError } from '../../src/errors.js';
import type { ByteSource } from '../../src/sources/byte-source.js';
import { countingSource } from '../../src/sources/counting-source.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { readExact } from '../../src/sources/read-exact.js';
import { testBytes } from '../helpers/noise.js';

describe('readExact', () => {
  const data = testBytes(100);

  it('returns exactly the requested bytes when they exist', async () => {
    expect(await readExact(memorySource(data), 90, 10)).toEqual(data.slice(90, 100));
    expect(await readExact(memorySource(data), 0, 100)).toEqual(data);
  });

  it('fails with a typed truncation error when the source ends early', async () => {
    const error = await readExact(memorySource(data), 90, 20).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StillframeError', kind: 'io' });
    expect((error as Error).message).toMatch(/^truncated: needed bytes 90\.\.109 but source has 100 bytes/);
  });

  it('fails when the range starts past the end', async () => {
    await expect(readExact(memorySource(data), 200, 1)).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringContaining('needed bytes 200..200'),
    });
  });

  it('does not touch the source for an empty read', async () => {
    const counted = countingSource(memorySource(data));
    expect((await readExact(counted, 50, 0)).byteLength).toBe(0);
    expect(counted.reads).toHaveLength(0);
  });

  it('cuts off surplus bytes from a source that returns too many', async () => {
    const generous: ByteSource = { size: 100, read: async () => data.slice(0, 50) };
    const bytes = await readExact(generous, 0, 8);
    expect(bytes).toEqual(data.slice(0, 8));
  });

  it('rejects bad numbers with invalid-argument before reading', async () => {
    const counted = countingSource(memorySource(data));
    await expect(readExact(counted, -1, 5)).rejects.toMatchObject({ kind: 'invalid-argument' });
    await expect(readExact(counted, 0, Number.NaN)).rejects.toMatchObject({ kind: 'invalid-argument' });
    expect(counted.reads).toHaveLength(0);
  });

  it('propagates errors of the source unchanged', async () => {
    const failure = ioError('gone');
    await expect(readExact({ size: 10, read: () => Promise.reject(failure) }, 0, 1)).rejects.toBe(failure);
  });
});
