import { describe, expect, it, vi } from 'vitest';
import { blobSource } from '../../src/sources/blob-source.js';
import { testBytes } from '../helpers/noise.js';
import { describeByteSourceContract } from './helpers.js';

describeByteSourceContract('blobSource(Blob)', async (data) => ({ source: blobSource(new Blob([data])) }));

describeByteSourceContract('blobSource(File)', async (data) => ({
  source: blobSource(new File([data], 'clip.mp4', { type: 'video/mp4' })),
}));

describe('blobSource', () => {
  it('materialises only the requested slice', async () => {
    const blob = new Blob([testBytes(10_000)]);
    const slice = vi.spyOn(blob, 'slice');
    await blobSource(blob).read(100, 10);
    expect(slice).toHaveBeenCalledTimes(1);
    expect(slice).toHaveBeenCalledWith(100, 110);
  });

  it('clips the slice to the blob size', async () => {
    const blob = new Blob([testBytes(50)]);
    const slice = vi.spyOn(blob, 'slice');
    await blobSource(blob).read(40, 100);
    expect(slice).toHaveBeenCalledWith(40, 50);
  });

  it('reports a blob that became unreadable as io, keeping the cause', async () => {
    const cause = new DOMException('The file could not be read', 'NotReadableError');
    const unreadable = {
      size: 100,
      slice: () => ({ arrayBuffer: () => Promise.reject(cause) }),
    } as unknown as Blob;
    const error = await blobSource(unreadable)
      .read(0, 10)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StillframeError', kind: 'io', cause });
    expect((error as Error).message).toContain('NotReadableError');
  });

  it('rejects something that is not a blob with invalid-argument', () => {
    expect(() => blobSource(new Uint8Array(3) as unknown as Blob)).toThrowError(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
    expect(() => blobSource(null as unknown as Blob)).toThrowError(expect.objectContaining({ kind: 'invalid-argument' }));
  });
});
