// The page's script: the video is read from the picked File (a Blob, read in slices), the frames
// are decoded by stillframe's engine in Web Workers, and each thumbnail is drawn on a canvas.
// `/stillframe/` is the package's browser build (dist/browser/), served by serve.ts together
// with @ffmpeg/core's two files beside it, where the engine looks for them by default.
import { media } from '/stillframe/index.js';

const $ = (id) => document.getElementById(id);
const status = (text) => ($('status').textContent = text);

/** The video's duration in seconds, as the browser's own demuxer reads it (NaN if it cannot). */
function durationOf(file) {
  return new Promise((resolve) => {
    const video = document.createElement('video');
    video.preload = 'metadata';
    video.onloadedmetadata = () => resolve(video.duration);
    video.onerror = () => resolve(NaN);
    video.src = URL.createObjectURL(file);
  });
}

async function makeStrip() {
  const file = $('file').files[0];
  if (!file) return;
  const mode = media.AVImageQueryOptions[$('mode').value];
  const count = Math.max(1, Math.min(60, Number($('count').value) || 10));
  const strip = $('strip');
  strip.replaceChildren();
  $('go').disabled = true;
  const started = performance.now();
  let generator;
  try {
    let seconds = await durationOf(file);
    if (!Number.isFinite(seconds)) seconds = Number(prompt('Duration of the video in seconds?', '10')) || 10;
    generator = await media.createAVImageGenerator();
    generator.dataSrc = file;
    for (let i = 0; i < count; i++) {
      const timeUs = Math.floor(((i + 0.5) * seconds * 1e6) / count);
      status(`thumbnail ${i + 1} of ${count}…`);
      const pixelMap = await generator.fetchScaledFrameByTime(timeUs, mode, { width: 160 });
      const { width, height } = pixelMap.getImageInfoSync().size;
      const pixels = new ArrayBuffer(pixelMap.getPixelBytesNumber());
      await pixelMap.readPixelsToBuffer(pixels);
      const frameTimeUs = pixelMap.frameTimeUs;
      await pixelMap.release();

      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(pixels), width, height), 0, 0);
      const figure = document.createElement('figure');
      const caption = document.createElement('figcaption');
      caption.textContent = `asked ${(timeUs / 1e6).toFixed(2)} s → frame ${(frameTimeUs / 1e6).toFixed(3)} s`;
      figure.append(canvas, caption);
      strip.append(figure);
    }
    status(`${count} thumbnails in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    status(`failed: ${error?.message ?? error}`);
    console.error(error);
  } finally {
    await generator?.release();
    $('go').disabled = false;
  }
}

$('file').addEventListener('change', () => {
  $('go').disabled = !$('file').files[0];
  makeStrip();
});
$('go').addEventListener('click', makeStrip);
$('mode').addEventListener('change', makeStrip);
