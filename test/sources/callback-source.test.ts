import { describe, expect, it } from 'vitest';
import { callbackSource, type DataSourceCallback } from '../../src/sources/callback-source.js';
import { readExact } from '../../src/sources/read-exact.js';
import { testBytes } from '../helpers/noise.js';
import { describeByteSourceContract } from './helpers.js';

/** A well-behaved AVDataSrcDescriptor callback over `data`, delivering at most `chunk` bytes per call. */
function serving(data: Uint8Array, chunk = Number.POSITIVE_INFINITY): DataSourceCallback {
  return (buffer, length, pos = 0) => {
    if (pos >= data.length) return -1;
    const n = Math.min(length, chunk, data.length - pos);
    new Uint8Array(buffer).set(data.subarray(pos, pos + n));
    return n;
  };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describeByteSourceContract('callbackSource (sync callback)', async (data) => ({
  source: callbackSource({ fileSize: data.length, callback: serving(data) }),
}));

describeByteSourceContract('callbackSource (async callback)', async (data) => {
  const sync = serving(data);
  return {
    source: callbackSource({
      fileSize: data.length,
      callback: async (buffer, length, pos) => {
        await tick();
        return sync(buffer, length, pos);
      },
    }),
  };
});

describeByteSourceContract('callbackSource (callback returning 7 bytes at a time)', async (data) => ({
  source: callbackSource({ fileSize: data.length, callback: serving(data, 7) }),
}));

describe('callbackSource', () => {
  const data = testBytes(1000);

  it('asks the callback for the clipped range, with buffer, length and pos', async () => {
    const calls: Array<{ bufferBytes: number; length: number; pos: number | undefined }> = [];
    const inner = serving(data);
    const source = callbackSource({
      fileSize: data.length,
      callback: (buffer, length, pos) => {
        calls.push({ bufferBytes: buffer.byteLength, length, pos });
        return inner(buffer, length, pos);
      },
    });
    await source.read(10, 20);
    await source.read(995, 100);
    expect(calls).toEqual([
      { bufferBytes: 20, length: 20, pos: 10 },
      { bufferBytes: 5, length: 5, pos: 995 },
    ]);
  });

  it('keeps calling from the next position after a partial fill', async () => {
    const positions: Array<number | undefined> = [];
    const inner = serving(data, 30);
    const source = callbackSource({
      fileSize: data.length,
      callback: (buffer, length, pos) => {
        positions.push(pos);
        return inner(buffer, length, pos);
      },
    });
    expect(await source.read(100, 100)).toEqual(data.slice(100, 200));
    expect(positions).toEqual([100, 130, 160, 190]);
  });

  it('assembles a range from pieces of growing size (1, 2, 3, … bytes per call)', async () => {
    let next = 1;
    const inner = serving(data);
    const source = callbackSource({
      fileSize: data.length,
      callback: (buffer, length, pos) => inner(buffer, Math.min(length, next++), pos),
    });
    expect(await source.read(321, 50)).toEqual(data.slice(321, 371));
    expect(next - 1).toBe(10); // 1 + 2 + … + 9 = 45, then the last 5
  });

  it('returns a short read when the callback reports end of stream (-1) early, which readExact reports as truncation', async () => {
    // Declares 1000 bytes but only has 600.
    const source = callbackSource({ fileSize: 1000, callback: serving(data.subarray(0, 600)) });
    expect(await source.read(590, 20)).toEqual(data.slice(590, 600));
    await expect(readExact(source, 590, 20)).rejects.toMatchObject({
      kind: 'io',
      message: expect.stringContaining('truncated'),
    });
  });

  it('treats a return of 0 as end of stream instead of looping', async () => {
    let calls = 0;
    const source = callbackSource({
      fileSize: 100,
      callback: () => {
        // Asking again after a 0 would loop forever on a real source; fail loudly instead of hanging.
        if (calls++ > 0) throw new Error('asked again after returning 0');
        return 0;
      },
    });
    expect((await source.read(0, 10)).byteLength).toBe(0);
    expect(calls).toBe(1);
  });

  it('turns a throwing callback into an io error with the thrown error as cause', async () => {
    const boom = new Error('storage unavailable');
    const source = callbackSource({
      fileSize: 100,
      callback: () => {
        throw boom;
      },
    });
    const error = await source.read(0, 10).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StillframeError', kind: 'io', cause: boom });
    expect((error as Error).message).toContain('storage unavailable');
  });

  it('turns a rejecting async callback into an io error', async () => {
    const source = callbackSource({ fileSize: 100, callback: async () => Promise.reject(new Error('nope')) });
    await expect(source.read(0, 10)).rejects.toMatchObject({ kind: 'io' });
  });

  it.each([
    ['-2 (unrecoverable error)', -2],
    ['NaN', Number.NaN],
    ['a fraction', 2.5],
    ['more than requested', 11],
  ])('rejects with io when the callback returns %s', async (_label, value) => {
    const source = callbackSource({ fileSize: 100, callback: () => value });
    await expect(source.read(0, 10)).rejects.toMatchObject({ kind: 'io' });
  });

  it('never runs two callbacks at once, even for concurrent reads', async () => {
    let active = 0;
    let maxActive = 0;
    const inner = serving(data, 50);
    const source = callbackSource({
      fileSize: data.length,
      callback: async (buffer, length, pos) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await tick();
        active--;
        return inner(buffer, length, pos);
      },
    });
    const results = await Promise.all([source.read(0, 120), source.read(500, 120), source.read(900, 120)]);
    expect(maxActive).toBe(1);
    expect(results).toEqual([data.slice(0, 120), data.slice(500, 620), data.slice(900, 1000)]);
  });

  it('keeps serving reads after one failed', async () => {
    let fail = true;
    const inner = serving(data);
    const source = callbackSource({
      fileSize: data.length,
      callback: (buffer, length, pos) => {
        if (fail) {
          fail = false;
          throw new Error('transient');
        }
        return inner(buffer, length, pos);
      },
    });
    await expect(source.read(0, 4)).rejects.toMatchObject({ kind: 'io' });
    expect(await source.read(0, 4)).toEqual(data.slice(0, 4));
  });

  it('rejects live streams (fileSize -1) with a clear invalid-argument error', () => {
    expect(() => callbackSource({ fileSize: -1, callback: serving(data) })).toThrowError(
      expect.objectContaining({ kind: 'invalid-argument', message: expect.stringMatching(/live stream/) }),
    );
  });

  it('takes fileSize 0 as empty media: every read is empty, and the callback is never called', async () => {
    let calls = 0;
    const source = callbackSource({ fileSize: 0, callback: () => (calls++, -1) });
    expect(source.size).toBe(0);
    expect((await source.read(0, 10)).byteLength).toBe(0);
    expect(calls).toBe(0);
  });

  it.each([-5, Number.NaN, 1.5, Number.POSITIVE_INFINITY])('rejects fileSize %s with invalid-argument', (fileSize) => {
    expect(() => callbackSource({ fileSize, callback: serving(data) })).toThrowError(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });

  it('rejects a missing callback with invalid-argument', () => {
    expect(() => callbackSource({ fileSize: 10, callback: undefined as unknown as DataSourceCallback })).toThrowError(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});

/** (The default limit, 30 s, is specified end to end in test/harmony/robustness.test.ts.) */
describe('callbackSource time limit', () => {
  const data = testBytes(100);
  const never: DataSourceCallback = () => new Promise<number>(() => {});

  it('fails a read whose callback never settles with io, naming the limit and the position', async () => {
    const source = callbackSource({ fileSize: 100, callback: never }, { callbackTimeoutMs: 30 });
    const started = Date.now();
    await expect(source.read(40, 10)).rejects.toMatchObject({
      name: 'StillframeError',
      kind: 'io',
      message: expect.stringMatching(/did not return within 30 ms at position 40/),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('limits each call, not the whole read: a slow callback that keeps delivering pieces is not cut off', async () => {
    const inner = serving(data, 10);
    const source = callbackSource(
      {
        fileSize: data.length,
        callback: async (buffer, length, pos) => {
          await new Promise((resolve) => setTimeout(resolve, 15));
          return inner(buffer, length, pos);
        },
      },
      { callbackTimeoutMs: 60 },
    );
    // Ten calls of 15 ms each: far beyond one limit in all, but each call is within it.
    expect(await source.read(0, 100)).toEqual(data);
  });

  it('never calls the callback while a late call is still out, and works again once it settles', async () => {
    let release!: (n: number) => void;
    let calls = 0;
    const inner = serving(data);
    const source = callbackSource(
      {
        fileSize: data.length,
        callback: (buffer, length, pos) => {
          calls++;
          if (calls === 1) return new Promise<number>((resolve) => (release = resolve));
          return inner(buffer, length, pos);
        },
      },
      { callbackTimeoutMs: 20 },
    );
    await expect(source.read(0, 10)).rejects.toMatchObject({ kind: 'io' });
    await expect(source.read(10, 10)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/not yet returned/) });
    expect(calls).toBe(1);
    release(0);
    await tick();
    expect(await source.read(10, 10)).toEqual(data.slice(10, 20));
    expect(calls).toBe(2);
  });

  it('does not call it through a second source either (as after a reopen) while the late call is out', async () => {
    let calls = 0;
    const callback: DataSourceCallback = () => (calls++, new Promise<number>(() => {}));
    await expect(callbackSource({ fileSize: 100, callback }, { callbackTimeoutMs: 20 }).read(0, 10)).rejects.toMatchObject({ kind: 'io' });
    const reopened = callbackSource({ fileSize: 100, callback }, { callbackTimeoutMs: 20 });
    await expect(reopened.read(0, 10)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/not yet returned/) });
    expect(calls).toBe(1);
  });

  it('clears its timer when the callback returns in time', async () => {
    const source = callbackSource({ fileSize: data.length, callback: serving(data) }, { callbackTimeoutMs: 20 });
    expect(await source.read(0, 10)).toEqual(data.slice(0, 10));
    // Well past the limit, nothing fires: the next read still works first time.
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await source.read(10, 10)).toEqual(data.slice(10, 20));
  });

  it.each([0, -1, Number.NaN])('rejects a time limit of %s with invalid-argument', (callbackTimeoutMs) => {
    expect(() => callbackSource({ fileSize: 100, callback: serving(data) }, { callbackTimeoutMs })).toThrowError(
      expect.objectContaining({ kind: 'invalid-argument' }),
    );
  });
});
