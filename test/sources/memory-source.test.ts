import { describe, expect, it } from 'vitest';
import { memorySource } from '../../src/sources/memory-source.js';
import { testBytes } from '../helpers/noise.js';
import { describeByteSourceContract } from './helpers.js';

describeByteSourceContract('memorySource(Uint8Array)', async (data) => ({ source: memorySource(data) }));

describeByteSourceContract('memorySource(ArrayBuffer)', async (data) => ({ source: memorySource(data.slice().buffer) }));

describeByteSourceContract('memorySource(view into a larger buffer)', async (data) => {
  // Junk before and after the window: the source must honour byteOffset/byteLength.
  const backing = new Uint8Array(data.length + 300).fill(0xee);
  backing.set(data, 100);
  return { source: memorySource(backing.subarray(100, 100 + data.length)) };
});

describe('memorySource', () => {
  it('returns views of the original bytes instead of copies', async () => {
    const data = testBytes(64);
    const source = memorySource(data);
    const view = await source.read(8, 8);
    expect(view.buffer).toBe(data.buffer);
    expect(view.byteOffset).toBe(8);
    data[8] = data[8]! ^ 0xff;
    expect(view[0]).toBe(data[8]);
  });

  it('rejects inputs that are not bytes with invalid-argument', () => {
    expect(() => memorySource('abc' as unknown as Uint8Array)).toThrowError(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });

  it('has no close, because it holds no handles', () => {
    expect(memorySource(new Uint8Array(1)).close).toBeUndefined();
  });
});
