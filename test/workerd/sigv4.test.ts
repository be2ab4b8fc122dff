/**
 * GetImages with SigV4 authentication in Cloudflare's workerd (through miniflare): a Worker
 * (`sigv4-worker.ts`, bundled from the sources as `worker-build.ts` bundles the example, the
 * core's wasm a precompiled module) serves `createGetImagesApp` with access keys, and the real
 * AWS SDK client in Node talks to it over HTTP. Signed with the right secret, it gets the same
 * images as from the Node endpoint; a wrong secret, an unknown key, a stale signature, an
 * unsigned request and a key not granted the stream get NotAuthorizedException (401).
 */
import { GetImagesCommand, NotAuthorizedException } from '@aws-sdk/client-kinesis-video-archived-media';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import type { Catalog } from '../../src/kinesis/catalog.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { requireNativeTool } from '../helpers/native.js';
import { expectTwoFramesAsFromNode, KEYS, rejectionOf, sdkClient, startEndpoint, TWO_FRAMES_START, twoFramesAsPng, type TestEndpoint } from '../kinesis-http/helpers.js';
import { buildWorker, FORBID_RUNTIME_COMPILE, startWorker } from './worker-build.js';

const START = TWO_FRAMES_START;
const request = twoFramesAsPng;

describe.skipIf(!requireNativeTool('ffmpeg'))('GetImages with SigV4 in workerd (miniflare)', () => {
  let video: TestServer;
  let mf: Miniflare;
  /** The Worker's address, as the SDK's `endpoint`. */
  let worker: { url: string };
  let node: TestEndpoint;

  beforeAll(async () => {
    video = await startServer({ body: new Uint8Array(readFileSync(fixture('h264-bframes.mp4'))), mode: 'ranges' });
    const fragments = [{ source: video.url, producerStartTime: START.toISOString() }];
    const catalog: Catalog = { streams: [{ name: 'cam-1', fragments }, { name: 'cam-2', fragments }] };
    const modules = await buildWorker({ banner: FORBID_RUNTIME_COMPILE, entry: join(import.meta.dirname, 'sigv4-worker.ts') });
    mf = await startWorker(modules, { CATALOG: JSON.stringify(catalog), ACCESS_KEYS: JSON.stringify({ keys: Object.values(KEYS) }) });
    worker = { url: (await mf.ready).href };
    node = await startEndpoint(catalog);
  }, 120_000);
  afterAll(async () => {
    await mf?.dispose();
    await node?.close();
    await video?.close();
  });

  it('answers the SDK signing with the right secret: the same images as the Node endpoint', { timeout: 60_000 }, async () => {
    const fromWorker = await sdkClient(worker, KEYS.all).send(new GetImagesCommand(request()));
    const fromNode = await sdkClient(node, KEYS.all).send(new GetImagesCommand(request()));
    expectTwoFramesAsFromNode(fromWorker, fromNode);
    // A key granted only cam-1 reads cam-1 too.
    const cam1 = await sdkClient(worker, KEYS.cam1).send(new GetImagesCommand(request()));
    expect(cam1.Images).toEqual(fromNode.Images);
  });

  it('refuses a wrong secret, an unknown key and a stale signature with NotAuthorizedException', async () => {
    const refusals: Array<[string, Parameters<typeof sdkClient>[1], Parameters<typeof sdkClient>[2], RegExp]> = [
      ['wrong secret', { accessKeyId: KEYS.all.accessKeyId, secretAccessKey: 'not-the-secret' }, {}, /does not match/],
      ['unknown key', { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: KEYS.all.secretAccessKey }, {}, /unknown access key/],
      ['16 minutes slow', KEYS.all, { systemClockOffset: -16 * 60_000 }, /expired or not yet valid/],
      ['16 minutes fast', KEYS.all, { systemClockOffset: 16 * 60_000 }, /expired or not yet valid/],
      ['stream not granted', KEYS.cam1, {}, /not authorized to read stream 'cam-2'/],
    ];
    for (const [what, key, config, reason] of refusals) {
      const input = what === 'stream not granted' ? request({ StreamName: 'cam-2' }) : request();
      const error = await rejectionOf(sdkClient(worker, key, config).send(new GetImagesCommand(input)));
      expect(error, what).toBeInstanceOf(NotAuthorizedException);
      expect(error.$metadata?.httpStatusCode, what).toBe(401);
      expect(error.message, what).toMatch(reason);
    }
  });

  it('refuses an unsigned request with 401 and x-amzn-ErrorType NotAuthorizedException', async () => {
    const body = JSON.stringify({ ...request(), StartTimestamp: START.getTime() / 1000, EndTimestamp: START.getTime() / 1000 + 3 });
    const unsigned = await fetch(new URL('/getImages', worker.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(await unsigned.json()).toEqual({ __type: 'NotAuthorizedException', Message: expect.stringMatching(/Missing Authorization/) });
  });
});
