import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_UNRANGED_BYTES, httpSource } from '../../src/sources/http-source.js';
import { testBytes } from '../helpers/noise.js';
import { describeByteSourceContract } from './helpers.js';
import { startServer, type ServeOptions, type TestServer } from '../helpers/http-server.js';

const servers: TestServer[] = [];
async function serve(options: ServeOptions): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function served(data: Uint8Array, mode: ServeOptions['mode']) {
  const server = await startServer({ body: data, mode });
  return { source: await httpSource(server.url), cleanup: () => server.close() };
}

describeByteSourceContract('httpSource (server with range support)', (data) => served(data, 'ranges'));
describeByteSourceContract('httpSource (server ignoring Range, small file)', (data) => served(data, 'ignore-range'));
describeByteSourceContract('httpSource (server ignoring Range, chunked, small file)', (data) =>
  served(data, 'ignore-range-chunked'),
);
describeByteSourceContract('httpSource (total size only from HEAD)', (data) => served(data, 'unknown-total'));
describeByteSourceContract('httpSource (CDN that stops honouring Range after the probe)', (data) =>
  served(data, 'ranges-then-ignore'),
);

describe('httpSource', () => {
  const data = testBytes(10_000);

  describe('size discovery', () => {
    it('finds the size with a single GET for bytes 0-0', async () => {
      const server = await serve({ body: data, mode: 'ranges' });
      const source = await httpSource(server.url);
      expect(source.size).toBe(10_000);
      expect(server.requests.map((r) => [r.method, r.headers.range])).toEqual([['GET', 'bytes=0-0']]);
    });

    it('falls back to HEAD Content-Length when Content-Range has no total', async () => {
      const server = await serve({ body: data, mode: 'unknown-total' });
      const source = await httpSource(server.url);
      expect(source.size).toBe(10_000);
      expect(server.requests.map((r) => r.method)).toEqual(['GET', 'HEAD']);
    });

    it('does not forward a caller Range header on the HEAD fallback', async () => {
      const server = await serve({ body: data, mode: 'unknown-total' });
      await httpSource(server.url, { headers: { range: 'bytes=5-6', 'x-token': 'abc' } });
      const head = server.requests.find((r) => r.method === 'HEAD')!;
      expect(head.headers['x-token']).toBe('abc');
      expect(head.headers.range).toBeUndefined();
    });

    it('fails with io when neither Content-Range nor HEAD gives the size', async () => {
      const server = await serve({ body: data, mode: 'unknown-total-no-head' });
      await expect(httpSource(server.url)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('405') });
    });

    it('opens an empty resource (416 with the total) as a source of size 0', async () => {
      const server = await serve({ body: new Uint8Array(0), mode: 'ranges' });
      const source = await httpSource(server.url);
      expect(source.size).toBe(0);
      expect((await source.read(0, 10)).byteLength).toBe(0);
      expect(server.requests).toHaveLength(1);
    });
  });

  describe('reads', () => {
    it('asks for exactly the requested range, one request per read', async () => {
      const server = await serve({ body: data, mode: 'ranges' });
      const source = await httpSource(server.url);
      expect(await source.read(100, 50)).toEqual(data.slice(100, 150));
      expect(await source.read(9_990, 100)).toEqual(data.slice(9_990));
      expect(server.requests.slice(1).map((r) => r.headers.range)).toEqual(['bytes=100-149', 'bytes=9990-9999']);
    });

    it('sends no request for reads that are empty after clipping', async () => {
      const server = await serve({ body: data, mode: 'ranges' });
      const source = await httpSource(server.url);
      await source.read(10_000, 5);
      await source.read(3, 0);
      expect(server.requests).toHaveLength(1);
    });

    it('sends the caller headers with every request, but its own Range', async () => {
      const server = await serve({ body: data, mode: 'ranges' });
      const source = await httpSource(server.url, { headers: { Authorization: 'Bearer t0k3n', Range: 'bytes=5-6' } });
      expect(await source.read(20, 10)).toEqual(data.slice(20, 30));
      expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t0k3n', 'Bearer t0k3n']);
      expect(server.requests.map((r) => r.headers.range)).toEqual(['bytes=0-0', 'bytes=20-29']);
    });

    it('uses the fetch passed in options', async () => {
      const server = await serve({ body: data, mode: 'ranges' });
      const seen: string[] = [];
      const source = await httpSource(new URL(server.url), {
        fetch: (input, init) => {
          seen.push(new Headers(init?.headers).get('range') ?? '');
          return fetch(input, init);
        },
      });
      await source.read(1, 2);
      expect(seen).toEqual(['bytes=0-0', 'bytes=1-2']);
    });

    it('rejects with io naming the status when a read fails', async () => {
      const server = await serve({ body: data, mode: 'fail-after-probe' });
      const source = await httpSource(server.url);
      await expect(source.read(0, 10)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('500') });
    });

    it('rejects with io when the server answers with other bytes than asked for', async () => {
      const server = await serve({ body: data, mode: 'wrong-range' });
      const source = await httpSource(server.url);
      await expect(source.read(10, 10)).rejects.toMatchObject({ kind: 'io' });
    });

    it('rejects with io when a 206 body is shorter than the range', async () => {
      const server = await serve({ body: data, mode: 'short-range' });
      const source = await httpSource(server.url);
      await expect(source.read(10, 10)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('9 bytes') });
    });
  });

  describe('servers that ignore Range', () => {
    it('downloads a small file once and serves every read from memory', async () => {
      const server = await serve({ body: data, mode: 'ignore-range' });
      const source = await httpSource(server.url);
      expect(await source.read(0, 10)).toEqual(data.slice(0, 10));
      expect(await source.read(5_000, 10)).toEqual(data.slice(5_000, 5_010));
      expect(server.requests).toHaveLength(1);
    });

    it('refuses a file larger than maxUnrangedBytes with io, naming the limit', async () => {
      const server = await serve({ body: data, mode: 'ignore-range' });
      await expect(httpSource(server.url, { maxUnrangedBytes: 9_999 })).rejects.toMatchObject({
        kind: 'io',
        message: expect.stringMatching(/does not support Range.*10000 bytes.*9999/),
      });
    });

    it('refuses a chunked body once it grows past maxUnrangedBytes', async () => {
      const server = await serve({ body: data, mode: 'ignore-range-chunked' });
      await expect(httpSource(server.url, { maxUnrangedBytes: 5_000 })).rejects.toMatchObject({
        kind: 'io',
        message: expect.stringContaining('does not support Range'),
      });
    });

    it('does not download a huge file whole when Content-Length is declared', async () => {
      const huge = 256 * 1024 * 1024;
      const server = await serve({ body: { length: huge }, mode: 'ignore-range' });
      await expect(httpSource(server.url)).rejects.toMatchObject({ kind: 'io' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.bytesSent()).toBeLessThan(DEFAULT_MAX_UNRANGED_BYTES);
    });

    it('stops downloading a huge chunked body soon after the limit', async () => {
      const huge = 256 * 1024 * 1024;
      const server = await serve({ body: { length: huge }, mode: 'ignore-range-chunked' });
      await expect(httpSource(server.url)).rejects.toMatchObject({ kind: 'io' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.bytesSent()).toBeLessThan(2 * DEFAULT_MAX_UNRANGED_BYTES);
    });

    it('refuses any unranged server with maxUnrangedBytes 0', async () => {
      const server = await serve({ body: testBytes(10), mode: 'ignore-range' });
      await expect(httpSource(server.url, { maxUnrangedBytes: 0 })).rejects.toMatchObject({ kind: 'io' });
    });
  });

  describe('servers that stop answering', () => {
    it('fails a read with io when the server never answers, within the time limit', async () => {
      const server = await serve({ body: data, mode: 'stall-after-probe' });
      const source = await httpSource(server.url, { timeoutMs: 300 });
      const started = Date.now();
      await expect(source.read(0, 100)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('timed out after 300 ms') });
      expect(Date.now() - started).toBeLessThan(3_000);
    });

    it('fails a read with io when the body stalls halfway', async () => {
      const server = await serve({ body: data, mode: 'stall-mid-body' });
      const source = await httpSource(server.url, { timeoutMs: 300 });
      await expect(source.read(0, data.length)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('timed out') });
    });

    it('rejects a time limit that is not a positive number', async () => {
      for (const timeoutMs of [0, -1, Number.NaN]) {
        await expect(httpSource('http://127.0.0.1:9/x', { timeoutMs })).rejects.toMatchObject({ kind: 'invalid-argument' });
      }
    });
  });

  describe('errors', () => {
    it('rejects with io including the status for a 500', async () => {
      const server = await serve({ body: data, mode: 'error-500' });
      await expect(httpSource(server.url)).rejects.toMatchObject({
        name: 'StillframeError',
        kind: 'io',
        message: expect.stringContaining('HTTP 500'),
      });
    });

    it('rejects with io including the status for a 404', async () => {
      const server = await serve({ body: data, mode: 'error-404' });
      await expect(httpSource(server.url)).rejects.toMatchObject({ kind: 'io', message: expect.stringContaining('404') });
    });

    it('rejects with io when nothing listens (network failure)', async () => {
      const server = await startServer({ body: data, mode: 'ranges' });
      await server.close();
      const error = await httpSource(server.url).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'io', message: expect.stringContaining('network error') });
      expect((error as Error).cause).toBeDefined();
    });

    it('rejects with io when a custom fetch throws', async () => {
      const failing = (() => Promise.reject(new TypeError('offline'))) as typeof fetch;
      await expect(httpSource('https://example.invalid/v.mp4', { fetch: failing })).rejects.toMatchObject({
        kind: 'io',
        message: expect.stringContaining('offline'),
      });
    });

    it.each(['file:///etc/passwd', 'ftp://127.0.0.1/v.mp4', 'data:video/mp4;base64,AAAA', 'not a url', '/relative.mp4'])(
      'rejects %s with invalid-argument without fetching',
      async (url) => {
        let fetched = false;
        const spy = (() => {
          fetched = true;
          return Promise.reject(new Error('unreachable'));
        }) as typeof fetch;
        await expect(httpSource(url, { fetch: spy })).rejects.toMatchObject({ kind: 'invalid-argument' });
        expect(fetched).toBe(false);
      },
    );

    it('rejects a negative maxUnrangedBytes with invalid-argument', async () => {
      await expect(httpSource('http://127.0.0.1:1/', { maxUnrangedBytes: -1 })).rejects.toMatchObject({
        kind: 'invalid-argument',
      });
    });
  });
});
