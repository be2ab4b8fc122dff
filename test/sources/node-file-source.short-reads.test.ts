/**
 * The read loop must cope with short reads, which real local files rarely produce on
 * demand; here `node:fs` and `node:fs/promises` are wrapped so every read returns at most
 * 7 bytes.
 */

import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fileDescriptorSource, openFileSource } from '../../src/sources/node-file-source.js';
import { testBytes } from '../helpers/noise.js';

const MAX_PER_READ = 7;
const calls = vi.hoisted(() => ({ count: 0 }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const read = (fd: number, buffer: Uint8Array, offset: number, length: number, position: number, cb: never) => {
    calls.count++;
    return fs.read(fd, buffer, offset, Math.min(length, 7), position, cb);
  };
  return { ...fs, read, default: { ...fs, read } };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof fsp.open>) => {
    const handle = await fsp.open(...args);
    const realRead = handle.read.bind(handle);
    return Object.assign(handle, {
      read: (buffer: Uint8Array, offset: number, length: number, position: number) => {
        calls.count++;
        return realRead(buffer, offset, Math.min(length, 7), position);
      },
    });
  };
  return { ...fsp, open, default: { ...fsp, open } };
});

const dir = mkdtempSync(join(tmpdir(), 'stillframe-short-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = testBytes(200);
const path = join(dir, 'data.bin');
writeFileSync(path, data);

describe('file sources with short reads', () => {
  it('openFileSource keeps reading until the range is full', async () => {
    const source = await openFileSource(path);
    try {
      calls.count = 0;
      expect(await source.read(10, 100)).toEqual(data.slice(10, 110));
      expect(calls.count).toBe(Math.ceil(100 / MAX_PER_READ));
    } finally {
      await source.close();
    }
  });

  it('fileDescriptorSource keeps reading until the range is full', async () => {
    const fd = openSync(path, 'r');
    try {
      const source = await fileDescriptorSource(fd, { offset: 50 });
      calls.count = 0;
      expect(await source.read(3, 100)).toEqual(data.slice(53, 153));
      expect(calls.count).toBe(Math.ceil(100 / MAX_PER_READ));
    } finally {
      closeSync(fd);
    }
  });
});
