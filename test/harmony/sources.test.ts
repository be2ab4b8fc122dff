/**
 * Where an AVImageGenerator reads from: `fdSrc` (HarmonyOS's AVFileDescriptor, a real file
 * descriptor in Node), and the stillframe extensions `url` (file path, file:// URL, fd://N,
 * http(s) with Range requests) and `dataSrc` (AVDataSrcDescriptor callback, bytes, Blob).
 */
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { media } from '../../src/harmony/index.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer } from '../helpers/http-server.js';
import { requireNativeTool } from '../helpers/native.js';
import { testBytes } from '../helpers/noise.js';
import { expectBusinessError, useEngine } from './helpers.js';

useEngine();

const { AV_IMAGE_QUERY_NEXT_SYNC } = media.AVImageQueryOptions;

/** One cheap fetch (the first key frame, small) that proves the source reads the right video. */
async function fetchFrom(configure: (generator: media.AVImageGenerator) => void): Promise<{ width: number; height: number }> {
  const generator = await media.createAVImageGenerator();
  configure(generator);
  try {
    const pixelMap = await generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC, { width: 48 });
    return pixelMap.getImageInfoSync().size;
  } finally {
    await generator.release();
  }
}

/** fetchFrom with a source that must be refused with `code`. */
async function expectRefused(configure: (generator: media.AVImageGenerator) => void, code: number, message?: RegExp) {
  const generator = await media.createAVImageGenerator();
  configure(generator);
  await expectBusinessError(generator.fetchScaledFrameByTime(0, AV_IMAGE_QUERY_NEXT_SYNC), code, message);
  await generator.release();
}

// The landscape fixture gives 48×36 at width 48, the portrait one 48×64: the size proves which
// video was read.
const LANDSCAPE = { width: 48, height: 36 };
const PORTRAIT = { width: 48, height: 64 };

describe.skipIf(!requireNativeTool('ffmpeg'))('sources', () => {
  let dir: string;
  let landscape: string;
  let landscapeBytes: Uint8Array<ArrayBuffer>;
  let portrait: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stillframe-harmony-'));
    landscape = fixture('h264-bframes.mp4');
    landscapeBytes = new Uint8Array(readFileSync(landscape));
    portrait = fixture('portrait-h264.mp4');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('fdSrc (AVFileDescriptor)', () => {
    it('reads a whole file through an open descriptor, and leaves the descriptor open', async () => {
      const fd = openSync(landscape, 'r');
      try {
        let generator!: media.AVImageGenerator;
        const size = await fetchFrom((g) => {
          generator = g;
          g.fdSrc = { fd };
        });
        expect(size).toEqual(LANDSCAPE);
        expect(generator.fdSrc).toBeUndefined(); // released
        expect(() => fstatSync(fd)).not.toThrow(); // still the caller's to close
      } finally {
        closeSync(fd);
      }
    });

    it('reads the media window { offset, length } of a larger file', async () => {
      // A package-like file: other data, the video, more data.
      const path = join(dir, 'bundle.bin');
      // Filler that is not a video.
      const before = testBytes(4099, 1);
      const after = testBytes(777, 2);
      writeFileSync(path, Buffer.concat([before, landscapeBytes, after]));
      const fd = openSync(path, 'r');
      try {
        const descriptor = { fd, offset: before.length, length: landscapeBytes.length };
        let seen: media.AVFileDescriptor | undefined;
        const size = await fetchFrom((g) => {
          g.fdSrc = descriptor;
          seen = g.fdSrc;
        });
        expect(size).toEqual(LANDSCAPE);
        expect(seen).toEqual(descriptor);
      } finally {
        closeSync(fd);
      }
    });

    it.each([
      ['-1', -1],
      ['1.5', 1.5],
      ['a string', '3'],
    ])('refuses fd %s with 401', async (_, fd) => {
      await expectRefused((g) => (g.fdSrc = { fd: fd as number }), 401, /fd/);
    });

    it('refuses a window past the end of the file with 401', async () => {
      const fd = openSync(landscape, 'r');
      try {
        await expectRefused((g) => (g.fdSrc = { fd, offset: 100, length: landscapeBytes.length }), 401, /past the end/);
      } finally {
        closeSync(fd);
      }
    });

    it('reports a descriptor that is not open as 5400103', async () => {
      // Far above any descriptor this process has open (a just-closed one could be reused by
      // the engine loading its files in parallel).
      await expectRefused((g) => (g.fdSrc = { fd: 987_654 }), 5400103, /EBADF/);
    });
  });

  describe('url (extension)', () => {
    it('reads a file path', async () => {
      expect(await fetchFrom((g) => (g.url = portrait))).toEqual(PORTRAIT);
    });

    it('reads a file:// URL', async () => {
      expect(await fetchFrom((g) => (g.url = pathToFileURL(portrait).href))).toEqual(PORTRAIT);
    });

    it('reads fd://N, an open descriptor, as HarmonyOS players take it', async () => {
      const fd = openSync(landscape, 'r');
      try {
        expect(await fetchFrom((g) => (g.url = `fd://${fd}`))).toEqual(LANDSCAPE);
      } finally {
        closeSync(fd);
      }
    });

    it('reads an http URL with Range requests, never the whole file', async () => {
      const server = await startServer({ body: landscapeBytes, mode: 'ranges' });
      try {
        expect(await fetchFrom((g) => (g.url = server.url))).toEqual(LANDSCAPE);
        const ranges = server.requests.filter((request) => request.method === 'GET').map((request) => request.headers.range);
        expect(ranges.length).toBeGreaterThan(0);
        // A GET without Range, or for bytes=0-, would fetch the whole file.
        expect(ranges).not.toContain(undefined);
        expect(ranges).not.toContain('bytes=0-');
        expect(ranges).not.toContain(`bytes=0-${landscapeBytes.length - 1}`);
      } finally {
        await server.close();
      }
    });

    it('reports a missing file as 5400103', async () => {
      await expectRefused((g) => (g.url = join(dir, 'missing.mp4')), 5400103, /ENOENT/);
    });

    it('reports an unreachable http server as 5400103', async () => {
      // Port 1 (tcpmux) is never served here: the connection is refused at once.
      await expectRefused((g) => (g.url = 'http://127.0.0.1:1/video.mp4'), 5400103, /network error/);
    });

    it.each([
      ['an empty string', ''],
      ['an unsupported scheme', 'rtsp://127.0.0.1/stream'],
      ['fd:// without a number', 'fd://abc'],
    ])('refuses %s with 401', async (_, url) => {
      await expectRefused((g) => (g.url = url), 401);
    });
  });

  describe('dataSrc (extension)', () => {
    it('reads through an AVDataSrcDescriptor callback, as HarmonyOS defines it', async () => {
      const calls: Array<{ length: number; pos: number | undefined }> = [];
      const descriptor: media.AVDataSrcDescriptor = {
        fileSize: landscapeBytes.length,
        callback: (buffer, length, pos) => {
          calls.push({ length, pos });
          if (pos === undefined || pos >= landscapeBytes.length) return -1;
          const chunk = landscapeBytes.subarray(pos, Math.min(pos + length, landscapeBytes.length));
          new Uint8Array(buffer).set(chunk);
          return chunk.length;
        },
      };
      expect(await fetchFrom((g) => (g.dataSrc = descriptor))).toEqual(LANDSCAPE);
      expect(calls.length).toBeGreaterThan(0);
      for (const { length, pos } of calls) {
        expect(pos).toBeGreaterThanOrEqual(0);
        expect(pos! + length).toBeLessThanOrEqual(landscapeBytes.length);
      }
      // Ranged reads: far less than the whole file is asked for.
      expect(calls.reduce((sum, call) => sum + call.length, 0)).toBeLessThan(landscapeBytes.length);
    });

    it('accepts a callback that returns a promise', async () => {
      const descriptor: media.AVDataSrcDescriptor = {
        fileSize: landscapeBytes.length,
        callback: async (buffer, length, pos = 0) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          const chunk = landscapeBytes.subarray(pos, pos + length);
          new Uint8Array(buffer).set(chunk);
          return chunk.length;
        },
      };
      expect(await fetchFrom((g) => (g.dataSrc = descriptor))).toEqual(LANDSCAPE);
    });

    it('reads bytes in memory: Uint8Array, ArrayBuffer and Blob', async () => {
      expect(await fetchFrom((g) => (g.dataSrc = landscapeBytes))).toEqual(LANDSCAPE);
      const copy = landscapeBytes.slice();
      expect(await fetchFrom((g) => (g.dataSrc = copy.buffer))).toEqual(LANDSCAPE);
      expect(await fetchFrom((g) => (g.dataSrc = new Blob([landscapeBytes])))).toEqual(LANDSCAPE);
    });

    it('reports a callback that signals an unrecoverable error (-2) as 5400103', async () => {
      await expectRefused((g) => (g.dataSrc = { fileSize: landscapeBytes.length, callback: () => -2 }), 5400103);
    });

    it('refuses fileSize -1 (a live stream cannot be seeked) with 401', async () => {
      await expectRefused((g) => (g.dataSrc = { fileSize: -1, callback: () => -1 }), 401, /live stream/);
    });

    it('refuses something that is not a data source with 401', async () => {
      await expectRefused((g) => (g.dataSrc = { size: 10 } as never), 401, /dataSrc/);
    });
  });
});
