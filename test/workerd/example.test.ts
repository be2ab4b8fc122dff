/**
 * `examples/cloudflare-worker` runs with the command its README gives — `npx wrangler dev`, the
 * real wrangler (the last release that runs on Node 20) bundling the Worker and serving it from
 * workerd — and answers as documented: `GET /frame` gives the same PNG as Node for a video URL
 * (read with Range requests from a local server), and `POST /getImages` answers GetImages over
 * a catalog of URLs given with `--var CATALOG:…`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSharedRunner, registerRunnerFactory } from '../../src/engine/shared-runner.js';
import { image, media } from '../../src/harmony/index.js';
import { createNodeRunner } from '../../wasm/node-runner.js';
import { caseUrl, FIXTURE_CASES, runConformance } from '../conformance/suite.js';
import { fixture } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { requireNativeTool } from '../helpers/native.js';

const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'examples/cloudflare-worker');
const START = '2026-11-21T10:00:00Z';
const CLOSEST = FIXTURE_CASES.find((c) => c.id === 'h264-bframes closest')!;

/** The README's command (run from the example's folder), as program and arguments. */
function readmeCommand(): string[] {
  const readme = readFileSync(join(EXAMPLE, 'README.md'), 'utf8');
  const command = /```sh\n(npx wrangler dev)\n```/.exec(readme)?.[1];
  expect(command, 'the README shows the command').toBeDefined();
  return command!.split(' ');
}

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe.skipIf(!requireNativeTool('ffmpeg'))('examples/cloudflare-worker with `npx wrangler dev`', () => {
  let video: TestServer;
  let url: string;
  let stop: () => Promise<void>;
  let output = '';

  beforeAll(async () => {
    video = await startServer({ body: new Uint8Array(readFileSync(fixture('h264-bframes.mp4'))), mode: 'ranges' });
    const catalog = JSON.stringify({ streams: [{ name: 'cam-1', fragments: [{ source: caseUrl(video.url, CLOSEST.file), producerStartTime: START }] }] });
    const port = await freePort();
    const [program, ...args] = readmeCommand();
    const child = spawn(program!, [...args, '--ip', '127.0.0.1', '--port', String(port), '--var', `CATALOG:${catalog}`], {
      cwd: EXAMPLE,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    stop = async () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return; // Already gone.
      }
      await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Ended by the SIGTERM.
      }
    };
    const deadline = Date.now() + 120_000;
    while (!/Ready on http:\/\//.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`wrangler dev did not get ready:\n${output}`);
      await new Promise((done) => setTimeout(done, 200));
    }
    url = `http://127.0.0.1:${port}`;
    registerRunnerFactory(() => createNodeRunner({ instances: 1 }));
  }, 180_000);
  afterAll(async () => {
    await stop?.();
    await video?.close();
    await closeSharedRunner();
  });

  it('answers GET /frame with the PNG Node makes of the same frame', { timeout: 120_000 }, async () => {
    const query = new URLSearchParams({
      url: caseUrl(video.url, CLOSEST.file),
      timeUs: String(CLOSEST.timeUs),
      mode: CLOSEST.mode,
      width: String(CLOSEST.width),
      height: String(CLOSEST.height),
    });
    const response = await fetch(`${url}/frame?${query}`);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(response.status, new TextDecoder().decode(body)).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    const [inNode] = await runConformance({ media, image }, video.url, [CLOSEST]);
    expect({
      frameTimeUs: Number(response.headers.get('x-frame-time-us')),
      width: Number(response.headers.get('x-width')),
      height: Number(response.headers.get('x-height')),
      png: createHash('sha256').update(body).digest('hex'),
    }).toEqual({ frameTimeUs: 1_280_000, width: 160, height: 120, png: inNode && 'png' in inNode ? inNode.png : undefined });
    expect(video.requests.some((request) => request.headers.range && request.headers.range !== 'bytes=0-0')).toBe(true);
  });

  it('answers POST /getImages over the catalog given as a var', { timeout: 120_000 }, async () => {
    const start = Date.parse(START) / 1000;
    const response = await fetch(`${url}/getImages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ StreamName: 'cam-1', ImageSelectorType: 'PRODUCER_TIMESTAMP', StartTimestamp: start, EndTimestamp: start + 3, SamplingInterval: 3000, Format: 'JPEG', HeightPixels: 60 }),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const { Images } = JSON.parse(text) as { Images: { TimeStamp: number; ImageContent?: string; Error?: string }[] };
    expect(Images.map((img) => [img.TimeStamp, img.Error, Buffer.from(img.ImageContent ?? '', 'base64').subarray(0, 2).toString('hex')])).toEqual([
      [start, undefined, 'ffd8'],
      [start + 3, undefined, 'ffd8'],
    ]);
  });
});
