/**
 * `npm run demo`: one thumbnail per AVImageQueryOptions mode from the bundled sample video,
 * written to out/ as JPEG through the HarmonyOS-style API.
 */
import { openSync, closeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { image, media } from '../src/index.js';
import { makeSampleVideo } from './sample-video.js';

const OUT = 'out';
const TIME_US = 3_100_000;

await mkdir(OUT, { recursive: true });
const samplePath = await makeSampleVideo(`${OUT}/sample.mp4`);
const fd = openSync(samplePath, 'r');
const generator = await media.createAVImageGenerator();
generator.fdSrc = { fd };
const packer = image.createImagePacker();

console.log(`thumbnails of ${samplePath} at ${TIME_US / 1e6} s, one per query mode:`);
for (const [name, mode] of Object.entries(media.AVImageQueryOptions)) {
  if (typeof mode !== 'number') continue;
  const pixelMap = await generator.fetchFrameByTime(TIME_US, mode, { width: 320, height: 180 });
  const jpeg = await packer.packToData(pixelMap, { format: 'image/jpeg', quality: 85 });
  const file = `${OUT}/thumb-${name.replace('AV_IMAGE_QUERY_', '').toLowerCase().replace('_', '-')}.jpg`;
  await writeFile(file, new Uint8Array(jpeg));
  const { size } = pixelMap.getImageInfoSync();
  console.log(`  wrote ${file}  ${size.width}x${size.height}, frame at ${(pixelMap.frameTimeUs / 1e6).toFixed(2)} s (${jpeg.byteLength} bytes)`);
  await pixelMap.release();
}
await generator.release();
closeSync(fd);
