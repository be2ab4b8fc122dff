/**
 * stillframe in Deno 2: one PNG thumbnail per HarmonyOS query mode, from a video file or an
 * http(s) URL (read with Range requests, never downloaded whole).
 *
 *   npx deno run --allow-read --allow-write=out --allow-net examples/deno/thumbnails.ts [VIDEO | URL]
 *
 * Without an argument it makes a 6-second sample video first (out/deno/sample.mp4, encoded by
 * the same ffmpeg.wasm engine). Thumbnails go to out/deno/. A file is handed over as its bytes
 * (`dataSrc`), a URL as `url`.
 *
 * The engine runs in worker threads, through Deno's `node:worker_threads`; it needs no
 * permission beyond reading its own wasm from node_modules (`--allow-read`).
 */
// The package's entry; in a Deno application: `import { image, media } from 'npm:stillframe'`
// (or from 'stillframe' with it in package.json / deno.json).
import { image, media } from '../../src/index.js';
import { makeSampleVideo } from '../sample-video.js';

// Deno's own namespace, declared for this repository's type check (which knows only Node's
// types). In a Deno project leave this line out: Deno knows `Deno`.
declare const Deno: {
  readonly args: string[];
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
};

const OUT = 'out/deno';
/** Between key frames of the sample (one every 2 s): each mode picks a different frame. */
const TIME_US = 3_100_000;

await Deno.mkdir(OUT, { recursive: true });
const input = Deno.args[0] ?? (await makeSampleVideo(`${OUT}/sample.mp4`));

const generator = await media.createAVImageGenerator();
if (/^https?:\/\//i.test(input)) generator.url = input;
else generator.dataSrc = await Deno.readFile(input);
const packer = image.createImagePacker();

console.log(`thumbnails of ${input} at ${TIME_US / 1e6} s, one per query mode:`);
for (const [name, mode] of Object.entries(media.AVImageQueryOptions)) {
  if (typeof mode !== 'number') continue;
  // 320 pixels wide, the height following the video's aspect ratio.
  const pixelMap = await generator.fetchScaledFrameByTime(TIME_US, mode, { width: 320 });
  const png = new Uint8Array(await packer.packToData(pixelMap, { format: 'image/png', quality: 100 }));
  const file = `${OUT}/thumb-${name.replace('AV_IMAGE_QUERY_', '').toLowerCase().replace('_', '-')}.png`;
  await Deno.writeFile(file, png);
  const { size } = pixelMap.getImageInfoSync();
  console.log(`  wrote ${file}  ${size.width}x${size.height}, frame at ${(pixelMap.frameTimeUs / 1e6).toFixed(2)} s (${png.byteLength} bytes)`);
  await pixelMap.release();
}
await generator.release();
await packer.release();
