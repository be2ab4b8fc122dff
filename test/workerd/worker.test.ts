/**
 * The decode engine in Cloudflare's workerd (through miniflare): the example Worker
 * (`examples/cloudflare-worker`), bundled from the sources, with the core's wasm arriving as a
 * precompiled `WebAssembly.Module` (a `CompiledWasm` module; compiling from bytes is made to
 * throw, as in Cloudflare's production runtime) and no file system. Over a URL
 * (HTTP Range requests to a local server), each query mode gives RGBA pixels and a PNG
 * byte-identical to Node's; the GetImages endpoint answers as a Worker over URL sources with
 * the same images as in Node.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare as MiniflareType } from 'miniflare';
import { closeSharedRunner, registerRunnerFactory } from '../../src/engine/shared-runner.js';
import { image, media } from '../../src/harmony/index.js';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import { createGetImagesApp } from '../../src/kinesis/http/app.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { caseUrl, FIXTURE_CASES, runConformance } from '../conformance/suite.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { requireNativeTool } from '../helpers/native.js';
import { buildWorker, FORBID_RUNTIME_COMPILE, startWorker, type WorkerModules } from './worker-build.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const START = '2026-11-21T10:00:00Z';
/** The conformance cases of each query mode, by URL, on the file the server serves. */
const MODE_CASES = FIXTURE_CASES.filter((c) => c.file === 'h264-bframes.mp4' && c.source === 'url' && c.width !== undefined);

describe.skipIf(!requireNativeTool('ffmpeg'))('the engine in workerd (miniflare)', () => {
  let server: TestServer;
  let worker: WorkerModules;
  let mf: MiniflareType;
  let catalog: string;

  beforeAll(async () => {
    const bytes = new Uint8Array(readFileSync(fixture('h264-bframes.mp4')));
    server = await startServer({ body: bytes, mode: 'ranges' });
    catalog = JSON.stringify({ streams: [{ name: 'cam-1', fragments: [{ source: server.url, producerStartTime: START }] }] });
    worker = await buildWorker({ banner: FORBID_RUNTIME_COMPILE });
    mf = await startWorker(worker, { CATALOG: catalog });
    registerRunnerFactory(() => createNodeRunner({ instances: 1 }));
  }, 300_000);
  afterAll(async () => {
    await mf?.dispose();
    await server?.close();
    await closeSharedRunner();
  });

  it('bundles with the wasm as an external CompiledWasm module', () => {
    expect(worker.externalImports).toContain('./ffmpeg-core.wasm');
    expect(worker.wasm.length).toBeGreaterThan(30_000_000);
  });

  it('answers /frame for every query mode over a URL: RGBA and PNG byte-identical to Node', { timeout: 180_000 }, async () => {
    const fromWorker = [];
    for (const c of MODE_CASES) {
      const url = caseUrl(server.url, c.file);
      const query = (format: string) =>
        `http://worker.test/frame?${new URLSearchParams({ url, timeUs: String(c.timeUs), mode: c.mode, width: String(c.width), height: String(c.height), format })}`;
      const rgba = await mf.dispatchFetch(query('rgba'));
      const rgbaBytes = new Uint8Array(await rgba.arrayBuffer());
      expect(rgba.status, new TextDecoder().decode(rgbaBytes)).toBe(200);
      const png = await mf.dispatchFetch(query('png'));
      const pngBytes = new Uint8Array(await png.arrayBuffer());
      expect(png.status, new TextDecoder().decode(pngBytes)).toBe(200);
      fromWorker.push({
        id: c.id,
        frameTimeUs: Number(rgba.headers.get('x-frame-time-us')),
        width: Number(rgba.headers.get('x-width')),
        height: Number(rgba.headers.get('x-height')),
        pixels: sha256(rgbaBytes),
        png: sha256(pngBytes),
      });
    }
    const inNode = (await runConformance({ media, image }, server.url, MODE_CASES)).map((result) => {
      if (!('pixels' in result)) throw new Error(`${result.id}: error ${result.errorCode} in Node`);
      const { jpeg: _jpeg, ...rest } = result;
      return rest;
    });
    expect(fromWorker).toEqual(inNode);
    // The comparison means something: three distinct frames over the four modes, read by Range.
    expect(new Set(fromWorker.map((frame) => frame.pixels)).size).toBe(3);
    expect(server.requests.some((request) => request.headers.range && request.headers.range !== 'bytes=0-0')).toBe(true);
  });

  it('serves GetImages as a Worker over URL sources, with the same images as in Node', { timeout: 180_000 }, async () => {
    const start = Date.parse(START) / 1000;
    const body = JSON.stringify({
      StreamName: 'cam-1',
      ImageSelectorType: 'PRODUCER_TIMESTAMP',
      StartTimestamp: start,
      EndTimestamp: start + 3,
      SamplingInterval: 3000,
      Format: 'PNG',
      WidthPixels: 160,
      HeightPixels: 120,
    });
    const init = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
    const fromWorker = await mf.dispatchFetch('http://worker.test/getImages', init);
    const workerText = await fromWorker.text();
    expect(fromWorker.status, workerText).toBe(200);

    const app = createGetImagesApp({ kvam: new KinesisVideoArchivedMedia({ catalog: JSON.parse(catalog) }), auth: 'none' });
    const fromNode = await app.fetch(new Request('http://node.test/getImages', init));
    const nodeJson = (await fromNode.json()) as { Images: { TimeStamp: number; ImageContent?: string; Error?: string }[] };
    const workerJson = JSON.parse(workerText) as typeof nodeJson;

    expect(workerJson).toEqual(nodeJson);
    expect(workerJson.Images).toHaveLength(2);
    expect(workerJson.Images.every((img) => img.ImageContent && !img.Error)).toBe(true);
    expect(new Set(workerJson.Images.map((img) => img.ImageContent)).size).toBe(2);
  });
});
