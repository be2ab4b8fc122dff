import { describe, expect, it, vi } from 'vitest';
import type { ByteSource } from '../../src/sources/byte-source.js';
import { ioError } from '../../src/errors.js';
import { countingSource } from '../../src/sources/counting-source.js';
import { memorySource } from '../../src/sources/memory-source.js';
import { testBytes } from '../helpers/noise.js';
import { describeByteSourceContract } from './helpers.js';

describeByteSourceContract('countingSource(memorySource)', async (data) => ({ source: countingSource(memorySource(data)) }));

describe('countingSource', () => {
  it('starts with no reads recorded', () => {
    const counted = countingSource(memorySource(testBytes(10)));
    expect(counted.reads).toEqual([]);
    expect(counted.bytesRead).toBe(0);
  });

  it('records every read in call order and counts the bytes delivered', async () => {
    const counted = countingSource(memorySource(testBytes(100)));
    await counted.read(10, 20);
    await counted.read(0, 5);
    expect(counted.reads).toEqual([
      { offset: 10, length: 20 },
      { offset: 0, length: 5 },
    ]);
    expect(counted.bytesRead).toBe(25);
  });

  it('counts what a short read delivered, while recording what was asked', async () => {
    const counted = countingSource(memorySource(testBytes(100)));
    await counted.read(90, 50);
    expect(counted.reads).toEqual([{ offset: 90, length: 50 }]);
    expect(counted.bytesRead).toBe(10);
  });

  it('records a failing read without counting bytes, and passes the error through', async () => {
    const failure = ioError('disk on fire');
    const counted = countingSource({ size: 10, read: () => Promise.reject(failure) });
    await expect(counted.read(3, 4)).rejects.toBe(failure);
    expect(counted.reads).toEqual([{ offset: 3, length: 4 }]);
    expect(counted.bytesRead).toBe(0);
  });

  it('forwards size and close of the inner source', async () => {
    const close = vi.fn(async () => {});
    const inner: ByteSource = { size: 1234, read: async () => new Uint8Array(0), close };
    const counted = countingSource(inner);
    expect(counted.size).toBe(1234);
    await counted.close?.();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('has no close when the inner source has none', () => {
    expect(countingSource(memorySource(new Uint8Array(4))).close).toBeUndefined();
  });
});
