/**
 * GetImages with SigV4 authentication in Deno 2: the built package, imported by name from a
 * project that has it installed (the `deno` export condition), serves `createGetImagesApp` with
 * access keys through `Deno.serve` (`serve-getimages.mjs`), and the real AWS SDK client in Node
 * talks to it over HTTP. Signed with the right secret, it gets the same images as from the Node
 * endpoint; a wrong secret, an unknown key, a stale signature and an unsigned request get
 * NotAuthorizedException (401). Told to stop, Deno shuts the server down and exits by itself.
 */
import { GetImagesCommand, NotAuthorizedException } from '@aws-sdk/client-kinesis-video-archived-media';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/kinesis/catalog.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { requireDeno, requireNativeTool } from '../helpers/native.js';
import { expectTwoFramesAsFromNode, KEYS, rejectionOf, sdkClient, startEndpoint, TWO_FRAMES_START, twoFramesAsPng, type TestEndpoint } from '../kinesis-http/helpers.js';
import { builtPackage } from '../package-build.js';
import { startDeno, type RunningDeno } from './helpers.js';

const START = TWO_FRAMES_START;
const request = twoFramesAsPng;

describe.skipIf(!requireDeno() || !requireNativeTool('ffmpeg'))('GetImages with SigV4 in Deno (the built package, Deno.serve)', () => {
  let video: TestServer;
  let deno: RunningDeno<{ url: string }>;
  let node: TestEndpoint;

  beforeAll(async () => {
    const { consumer } = await builtPackage();
    mkdirSync(join(consumer, 'deno'), { recursive: true });
    copyFileSync(join(import.meta.dirname, 'serve-getimages.mjs'), join(consumer, 'deno', 'serve-getimages.mjs'));
    video = await startServer({ body: new Uint8Array(readFileSync(fixture('h264-bframes.mp4'))), mode: 'ranges' });
    const catalog: Catalog = { streams: [{ name: 'cam-1', fragments: [{ source: video.url, producerStartTime: START.toISOString() }] }] };
    const config = JSON.stringify({ catalog, keys: Object.values(KEYS) });
    deno = await startDeno(['run', '--allow-read', '--allow-net=127.0.0.1', 'deno/serve-getimages.mjs', config], consumer);
    node = await startEndpoint(catalog);
  }, 600_000);
  afterAll(async () => {
    await deno?.end().catch(() => {});
    await node?.close();
    await video?.close();
  });

  it('answers the SDK signing with the right secret: the same images as the Node endpoint', { timeout: 60_000 }, async () => {
    const fromDeno = await sdkClient(deno.ready, KEYS.all).send(new GetImagesCommand(request()));
    const fromNode = await sdkClient(node, KEYS.all).send(new GetImagesCommand(request()));
    expectTwoFramesAsFromNode(fromDeno, fromNode);
  });

  it('refuses a wrong secret, an unknown key and a stale signature with NotAuthorizedException', async () => {
    const refusals: Array<[string, Parameters<typeof sdkClient>[1], Parameters<typeof sdkClient>[2], RegExp]> = [
      ['wrong secret', { accessKeyId: KEYS.all.accessKeyId, secretAccessKey: 'not-the-secret' }, {}, /does not match/],
      ['unknown key', { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: KEYS.all.secretAccessKey }, {}, /unknown access key/],
      ['16 minutes slow', KEYS.all, { systemClockOffset: -16 * 60_000 }, /expired or not yet valid/],
    ];
    for (const [what, key, config, reason] of refusals) {
      const error = await rejectionOf(sdkClient(deno.ready, key, config).send(new GetImagesCommand(request())));
      expect(error, what).toBeInstanceOf(NotAuthorizedException);
      expect(error.$metadata?.httpStatusCode, what).toBe(401);
      expect(error.message, what).toMatch(reason);
    }
  });

  it('refuses an unsigned request with 401 and x-amzn-ErrorType NotAuthorizedException', async () => {
    const body = JSON.stringify({ ...request(), StartTimestamp: START.getTime() / 1000, EndTimestamp: START.getTime() / 1000 + 3 });
    const unsigned = await fetch(new URL('/getImages', deno.ready.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(await unsigned.json()).toEqual({ __type: 'NotAuthorizedException', Message: expect.stringMatching(/Missing Authorization/) });
  });

  it('shuts the server down when told, and Deno exits by itself', async () => {
    const run = await deno.end();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('{"closed":true}');
  });
});
