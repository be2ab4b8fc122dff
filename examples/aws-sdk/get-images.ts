/**
 * The official AWS SDK v3 client reading images from a local stillframe GetImages endpoint.
 *
 *   npx tsx examples/aws-sdk/get-images.ts [OUT_DIR]      (default OUT_DIR: out/aws-sdk)
 *
 * 1. Makes a stream's media on the spot with the engine's own encoder: two 4-second clips
 *    (nothing is committed), the second starting 2 s after the first ends.
 * 2. Writes a catalog for them (`OUT_DIR/streams.json`, sources relative to it) and a key pair.
 * 3. Starts the endpoint in this process on 127.0.0.1 (a free port), with SigV4 authentication.
 * 4. Lists a 12-second range, one image a second, with the SDK's `paginateGetImages`: images
 *    where there is video, NO_MEDIA before it, in the gap and after it. Images go to OUT_DIR/images.
 *
 * The SDK client is configured exactly as for AWS, except `endpoint`.
 */
import { KinesisVideoArchivedMediaClient, paginateGetImages } from '@aws-sdk/client-kinesis-video-archived-media';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// The package's Node entry (it registers the decode engine); in an application, `from 'stillframe'`.
import { closeSharedRunner, createNodeRunner, KinesisVideoArchivedMedia, loadCatalogFile } from '../../src/index.js';
import { createGetImagesApp } from '../../src/kinesis/http/app.js';
import { startGetImagesServer } from '../../src/kinesis/http/node-server.js';

const OUT = process.argv[2] ?? 'out/aws-sdk';
const STREAM = 'lobby-cam';
const T0 = Date.parse('2026-11-21T10:00:00Z');
/** The clips: what they show, and when each starts (ms after T0). Each lasts 4 s. */
const CLIPS = [
  { file: `${STREAM}/000.mp4`, source: 'testsrc2=size=320x180:rate=25', startMs: 0 },
  { file: `${STREAM}/001.mp4`, source: 'testsrc=size=320x180:rate=25', startMs: 6000 },
];

/** Encodes one 4-second clip with ffmpeg.wasm's libx264 (a keyframe a second), unless it exists. */
async function makeClip(path: string, lavfiSource: string): Promise<void> {
  if (existsSync(path)) return;
  const runner = createNodeRunner();
  try {
    const result = await runner.run({
      inputs: [],
      args: [
        '-f', 'lavfi', '-i', lavfiSource, '-t', '4',
        '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '25', '-movflags', '+faststart', '/clip.mp4',
      ],
      outputPath: '/clip.mp4',
      timeoutMs: 120_000,
    });
    if (result.exitCode !== 0 || !result.output) throw new Error(`could not make ${path}:\n${result.log.slice(-5).join('\n')}`);
    await writeFile(path, result.output);
  } finally {
    await runner.close();
  }
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);

await mkdir(join(OUT, STREAM), { recursive: true });
await mkdir(join(OUT, 'images'), { recursive: true });
await Promise.all(CLIPS.map((clip) => makeClip(join(OUT, clip.file), clip.source)));
const catalogPath = join(OUT, 'streams.json');
await writeFile(
  catalogPath,
  `${JSON.stringify(
    {
      streams: [
        {
          name: STREAM,
          arn: `arn:aws:kinesisvideo:us-east-1:123456789012:stream/${STREAM}/1763719200000`,
          fragments: CLIPS.map((clip) => ({ source: clip.file, producerStartTime: new Date(T0 + clip.startMs).toISOString() })),
        },
      ],
    },
    null,
    2,
  )}\n`,
);
console.log(`made ${CLIPS.map((c) => join(OUT, c.file)).join(' and ')}; catalog ${catalogPath}`);

// A key pair for this run: the server accepts it, the SDK signs with it (SigV4).
const credentials = { accessKeyId: `AKID${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') };
const kvam = new KinesisVideoArchivedMedia({
  catalog: await loadCatalogFile(catalogPath),
  // 1 s between images for these short clips (the service's minimum is 3 s).
  minSamplingIntervalMs: 1000,
});
const app = createGetImagesApp({ kvam, auth: { keys: [{ ...credentials, streams: [STREAM] }] } });
const server = await startGetImagesServer(app, { host: '127.0.0.1', port: 0 });
console.log(`listening on ${server.url}`);

try {
  const client = new KinesisVideoArchivedMediaClient({ endpoint: server.url, region: 'us-east-1', credentials });
  const start = T0 - 1000;
  const end = T0 + 11_000;
  console.log(`GetImages ${STREAM} ${time(start)}–${time(end)} every 1 s, JPEG 160×90, 4 per page:`);
  const counts = { images: 0, NO_MEDIA: 0, MEDIA_ERROR: 0 };
  let pageNumber = 0;
  const pages = paginateGetImages(
    { client, pageSize: 4 },
    {
      StreamName: STREAM,
      ImageSelectorType: 'PRODUCER_TIMESTAMP',
      StartTimestamp: new Date(start),
      EndTimestamp: new Date(end),
      SamplingInterval: 1000,
      Format: 'JPEG',
      FormatConfig: { JPEGQuality: '85' },
      WidthPixels: 160,
      HeightPixels: 90,
    },
  );
  for await (const page of pages) {
    console.log(`  page ${++pageNumber}`);
    for (const image of page.Images ?? []) {
      const at = time(image.TimeStamp!.getTime());
      if (image.ImageContent) {
        const file = join(OUT, 'images', `${at.replace(/[:.]/g, '')}.jpg`);
        const bytes = Buffer.from(image.ImageContent, 'base64');
        await writeFile(file, bytes);
        counts.images++;
        console.log(`    ${at}  image  ${file} (${bytes.length} bytes)`);
      } else {
        counts[image.Error ?? 'MEDIA_ERROR']++;
        console.log(`    ${at}  ${image.Error}`);
      }
    }
  }
  console.log(`done: ${counts.images} images, ${counts.NO_MEDIA} NO_MEDIA, ${counts.MEDIA_ERROR} MEDIA_ERROR`);
} finally {
  await server.close();
  await kvam.close();
  await closeSharedRunner();
}
