/**
 * stillframe's core API in Node: a contact sheet of a video. Eight thumbnails, evenly spaced
 * from the first frame to the last, are written as JPEG files and laid out together on one PNG.
 *
 *   npx tsx examples/node/contact-sheet.ts [VIDEO]
 *
 * Without an argument it first makes a 6-second sample video (out/node/sample.mp4) with the
 * engine's own encoder. Output goes to out/node/: thumb-1.jpg … thumb-8.jpg and contact-sheet.png.
 * A StillframeError (not a video, a codec the engine lacks, an unreadable file) is printed with
 * its kind, and the exit code is 1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// The package's Node entry (it registers the decode engine); in an application, `from 'stillframe'`.
import {
  closeSharedRunner,
  encodeJpeg,
  encodePng,
  openFileSource,
  openVideoFile,
  StillframeError,
  type ExtractedFrame,
  type RgbaImage,
} from '../../src/index.js';
import { makeSampleVideo } from '../sample-video.js';

const OUT = 'out/node';
const COUNT = 8;
const THUMB_WIDTH = 160;
/** Thumbnails per row of the contact sheet, and the white margin around each, in pixels. */
const COLUMNS = 4;
const GAP = 4;

const seconds = (us: number) => `${(us / 1e6).toFixed(2)} s`;

/** Makes the thumbnails and the sheet; resolves to the exit code (1 when a frame failed). */
async function main(): Promise<number> {
  await mkdir(OUT, { recursive: true });
  const path = process.argv[2] ?? (await makeSampleVideo(join(OUT, 'sample.mp4')));

  const source = await openFileSource(path);
  // The video owns the source once opened; until then, closing it is ours to do.
  const video = await openVideoFile(source).catch(async (error: unknown) => {
    await source.close();
    throw error;
  });
  try {
    const { codec, codecString, codedWidth, codedHeight, rotation, frameCount, firstFrameUs, lastFrameUs } = video.info;
    const turned = rotation ? `, shown turned ${rotation}°` : '';
    console.log(`${path}: ${codec} (${codecString}) ${codedWidth}x${codedHeight}${turned}, ${frameCount ?? 'an unknown number of'} frames from ${seconds(firstFrameUs)} to ${seconds(lastFrameUs)}`);

    const step = (lastFrameUs - firstFrameUs) / (COUNT - 1);
    const times = Array.from({ length: COUNT }, (_, i) => Math.round(firstFrameUs + i * step));
    // One call for all times: frames that start decoding at the same key frame share one
    // decode pass, instead of each decoding its GOP from the key frame again.
    const frames = await video.extractFrames(times, {
      mode: 'closest',
      // THUMB_WIDTH wide, the height keeping the upright picture's aspect ratio.
      size: (natural) => ({ width: THUMB_WIDTH, height: Math.max(1, Math.round((THUMB_WIDTH * natural.height) / natural.width)) }),
    });

    console.log(`${COUNT} frames, ${THUMB_WIDTH} pixels wide:`);
    let failed = 0;
    for (const [i, frame] of frames.entries()) {
      // A time that fails yields its error in its place; the other frames are unaffected.
      if (frame instanceof StillframeError) {
        console.error(`  at ${seconds(times[i]!)}: ${frame.kind}: ${frame.message}`);
        failed++;
        continue;
      }
      const jpeg = encodeJpeg(frame, 85);
      const file = join(OUT, `thumb-${i + 1}.jpg`);
      await writeFile(file, jpeg);
      console.log(`  wrote ${file}  ${frame.width}x${frame.height}, frame at ${seconds(frame.timeUs)} (asked ${seconds(times[i]!)}), ${jpeg.length} bytes`);
    }

    if (failed < frames.length) {
      const sheet = contactSheet(frames);
      const file = join(OUT, 'contact-sheet.png');
      await writeFile(file, encodePng(sheet));
      console.log(`wrote ${file}  ${sheet.width}x${sheet.height}`);
    }
    return failed ? 1 : 0;
  } finally {
    await video.close();
  }
}

/**
 * Lays the thumbnails out on white, COLUMNS to a row, GAP pixels apart, in the order given; a
 * failed frame leaves its cell empty. Needs at least one frame.
 */
function contactSheet(thumbs: ReadonlyArray<ExtractedFrame | StillframeError>): RgbaImage {
  const frames = thumbs.filter((thumb): thumb is ExtractedFrame => !(thumb instanceof StillframeError));
  const cellWidth = Math.max(...frames.map((frame) => frame.width)) + GAP;
  const cellHeight = Math.max(...frames.map((frame) => frame.height)) + GAP;
  const columns = Math.min(COLUMNS, thumbs.length);
  const width = GAP + columns * cellWidth;
  const height = GAP + Math.ceil(thumbs.length / columns) * cellHeight;
  const data = new Uint8Array(width * height * 4).fill(255);
  thumbs.forEach((thumb, i) => {
    if (thumb instanceof StillframeError) return;
    const left = GAP + (i % columns) * cellWidth;
    const top = GAP + Math.floor(i / columns) * cellHeight;
    const rowBytes = thumb.width * 4;
    // A row of pixels is contiguous in both buffers: copy it whole.
    for (let y = 0; y < thumb.height; y++) {
      data.set(thumb.data.subarray(y * rowBytes, (y + 1) * rowBytes), ((top + y) * width + left) * 4);
    }
  });
  return { width, height, data };
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof StillframeError)) throw error;
  console.error(`stillframe: ${error.kind}: ${error.message}`);
  process.exitCode = 1;
} finally {
  // Idle engine workers would not keep Node alive; closing ends them now, as a long-running
  // program does once it is done with stillframe.
  await closeSharedRunner();
}
