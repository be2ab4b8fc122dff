import { closeSync, existsSync, fstatSync, readdirSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileDescriptorSource, openFileSource } from '../../src/sources/node-file-source.js';
import { readExact } from '../../src/sources/read-exact.js';
import { testBytes } from '../helpers/noise.js';
import { describeByteSourceContract } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'stillframe-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
function tempFile(content: Uint8Array): string {
  const path = join(dir, `file-${fileCounter++}.bin`);
  writeFileSync(path, content);
  return path;
}

describeByteSourceContract('openFileSource', async (data) => {
  const source = await openFileSource(tempFile(data));
  return { source, cleanup: () => source.close() };
});

describeByteSourceContract('fileDescriptorSource (whole file)', async (data) => {
  const fd = openSync(tempFile(data), 'r');
  return { source: await fileDescriptorSource(fd), cleanup: () => closeSync(fd) };
});

describeByteSourceContract('fileDescriptorSource (offset/length window inside a larger file)', async (data) => {
  // The media sits between unrelated bytes, like a raw resource inside an application package.
  const file = new Uint8Array(777 + data.length + 555).fill(0xa5);
  file.set(data, 777);
  const fd = openSync(tempFile(file), 'r');
  return { source: await fileDescriptorSource(fd, { offset: 777, length: data.length }), cleanup: () => closeSync(fd) };
});

describeByteSourceContract('fileDescriptorSource (offset only: window runs to the end of the file)', async (data) => {
  const file = new Uint8Array(1000 + data.length).fill(0x5a);
  file.set(data, 1000);
  const fd = openSync(tempFile(file), 'r');
  return { source: await fileDescriptorSource(fd, { offset: 1000 }), cleanup: () => closeSync(fd) };
});

describe('openFileSource', () => {
  it('rejects a missing file with io naming ENOENT', async () => {
    await expect(openFileSource(join(dir, 'does-not-exist.mp4'))).rejects.toMatchObject({
      name: 'StillframeError',
      kind: 'io',
      message: expect.stringContaining('ENOENT'),
    });
  });

  it('rejects a directory with io', async () => {
    await expect(openFileSource(dir)).rejects.toMatchObject({ kind: 'io' });
  });

  it.skipIf(!existsSync('/proc/self/fd'))('does not leak the descriptor when it refuses a file', async () => {
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      await expect(openFileSource(dir)).rejects.toMatchObject({ kind: 'io' });
    }
    expect(openFds()).toBeLessThan(before + 5);
  });

  it('rejects an empty path with invalid-argument', async () => {
    await expect(openFileSource('')).rejects.toMatchObject({ kind: 'invalid-argument' });
  });

  it('closes its file handle; reads afterwards are not allowed; close is idempotent', async () => {
    const source = await openFileSource(tempFile(testBytes(100)));
    await source.close();
    await source.close();
    await expect(source.read(0, 10)).rejects.toMatchObject({ kind: 'not-allowed' });
  });
});

describe('fileDescriptorSource', () => {
  const data = testBytes(1000);

  it('leaves the descriptor position where it was', async () => {
    const fd = openSync(tempFile(data), 'r');
    try {
      const head = new Uint8Array(5);
      readSync(fd, head, 0, 5, null); // advances the fd position to 5
      const source = await fileDescriptorSource(fd);
      await source.read(500, 100);
      await source.read(0, 1000);
      const next = new Uint8Array(5);
      readSync(fd, next, 0, 5, null); // continues from the fd position
      expect(next).toEqual(data.slice(5, 10));
    } finally {
      closeSync(fd);
    }
  });

  it('does not close the descriptor it was given, even on close()', async () => {
    const fd = openSync(tempFile(data), 'r');
    try {
      const source = await fileDescriptorSource(fd);
      await source.close();
      expect(() => fstatSync(fd)).not.toThrow();
      await expect(source.read(0, 1)).rejects.toMatchObject({ kind: 'not-allowed' });
    } finally {
      closeSync(fd);
    }
  });

  it('does not read outside its window', async () => {
    const file = testBytes(300, 7);
    const fd = openSync(tempFile(file), 'r');
    try {
      const source = await fileDescriptorSource(fd, { offset: 100, length: 50 });
      expect(source.size).toBe(50);
      expect(await source.read(0, 1000)).toEqual(file.slice(100, 150));
      await expect(readExact(source, 40, 20)).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/truncated/) });
    } finally {
      closeSync(fd);
    }
  });

  it('accepts an empty window at the end of the file', async () => {
    const fd = openSync(tempFile(data), 'r');
    try {
      const source = await fileDescriptorSource(fd, { offset: 1000 });
      expect(source.size).toBe(0);
      expect((await source.read(0, 10)).byteLength).toBe(0);
    } finally {
      closeSync(fd);
    }
  });

  it('rejects a descriptor that is not open with io (EBADF)', async () => {
    const fd = openSync(tempFile(data), 'r');
    closeSync(fd);
    await expect(fileDescriptorSource(fd)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('EBADF') });
  });

  it('rejects reads with io once the caller has closed the descriptor', async () => {
    const fd = openSync(tempFile(data), 'r');
    const source = await fileDescriptorSource(fd);
    closeSync(fd);
    await expect(source.read(0, 10)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('EBADF') });
  });

  it.each([
    ['a negative fd', -1, undefined],
    ['a fractional fd', 1.5, undefined],
    ['a NaN fd', Number.NaN, undefined],
    ['a negative offset', 0, { offset: -1 }],
    ['a NaN offset', 0, { offset: Number.NaN }],
    ['an infinite offset', 0, { offset: Number.POSITIVE_INFINITY }],
    ['a negative length', 0, { length: -1 }],
    ['a NaN length', 0, { length: Number.NaN }],
  ])('rejects %s with invalid-argument', async (_label, fd, window) => {
    await expect(fileDescriptorSource(fd, window)).rejects.toMatchObject({ kind: 'invalid-argument' });
  });

  it('rejects a window that starts or ends past the end of the file with invalid-argument', async () => {
    const fd = openSync(tempFile(data), 'r');
    try {
      await expect(fileDescriptorSource(fd, { offset: 1001 })).rejects.toMatchObject({ kind: 'invalid-argument' });
      await expect(fileDescriptorSource(fd, { offset: 900, length: 101 })).rejects.toMatchObject({
        kind: 'invalid-argument',
      });
    } finally {
      closeSync(fd);
    }
  });
});

describe('files larger than 2 GiB (sparse file)', () => {
  const GiB = 1024 ** 3;
  const size = 5 * GiB; // past both 2^31 and 2^32, where int32/uint32 position bugs show
  const markers = [
    { at: 2.5 * GiB, bytes: new TextEncoder().encode('marker@2.5GiB') },
    { at: 4.5 * GiB, bytes: new TextEncoder().encode('marker@4.5GiB') },
    { at: size - 8, bytes: new TextEncoder().encode('the-end!') },
  ];

  function withSparseFile(run: (path: string) => Promise<void>): () => Promise<void> {
    return async () => {
      const path = join(dir, `sparse-${fileCounter++}.bin`);
      const fd = openSync(path, 'w');
      try {
        ftruncateSync(fd, size);
        for (const { at, bytes } of markers) writeSync(fd, bytes, 0, bytes.length, at);
      } finally {
        closeSync(fd);
      }
      try {
        await run(path);
      } finally {
        rmSync(path, { force: true });
      }
    };
  }

  it(
    'openFileSource reads markers beyond 2 GiB and 4 GiB',
    withSparseFile(async (path) => {
      const source = await openFileSource(path);
      try {
        expect(source.size).toBe(size);
        for (const { at, bytes } of markers) {
          expect(await readExact(source, at, bytes.length)).toEqual(bytes);
        }
        // A read straddling the marker: zeros of the hole, then the marker.
        const straddle = await readExact(source, 2.5 * GiB - 4, 8);
        expect(straddle).toEqual(new Uint8Array([0, 0, 0, 0, ...markers[0]!.bytes.subarray(0, 4)]));
      } finally {
        await source.close();
      }
    }),
  );

  it(
    'fileDescriptorSource reads through a window that starts beyond 2 GiB',
    withSparseFile(async (path) => {
      const fd = openSync(path, 'r');
      try {
        const windowStart = 2 * GiB + 12_345;
        const source = await fileDescriptorSource(fd, { offset: windowStart });
        expect(source.size).toBe(size - windowStart);
        for (const { at, bytes } of markers) {
          expect(await readExact(source, at - windowStart, bytes.length)).toEqual(bytes);
        }
      } finally {
        closeSync(fd);
      }
    }),
  );
});
