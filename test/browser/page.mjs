// Runs in headless Chromium, served by browser.test.ts: the built browser bundle is at /dist/,
// the HarmonyOS frame hashing shared with the Deno specs at /frame-hashes.js, the video at
// /video.mp4 (Range requests honoured). Exposes `window.stillframeTests` for the test to call.
import { configureBrowserEngine, image, media } from '/dist/index.js';
import { frameHashes, sourcesOf } from '/frame-hashes.js';

async function fetchVideo() {
  const response = await fetch('/video.mp4');
  const blob = await response.blob();
  return { blob, bytes: new Uint8Array(await blob.arrayBuffer()), url: new URL('/video.mp4', location.href).href };
}

/**
 * Hashes of every query mode's frame through a `Blob`, bytes, the callback descriptor and a URL.
 * `engine`: "default" (files beside the bundle, `new URL(…, import.meta.url)`) or "explicit"
 * (the core given by URL through `configureBrowserEngine`).
 */
async function hashes(engine) {
  if (engine === 'explicit') {
    await configureBrowserEngine({ coreUrl: '/core/ffmpeg-core.js', wasmUrl: new URL('/core/ffmpeg-core.wasm', location.href) });
  }
  const { blob, bytes, url } = await fetchVideo();
  const sources = { 'dataSrc blob': (generator) => (generator.dataSrc = blob), ...sourcesOf(bytes, url) };
  return frameHashes({ media, image }, sources);
}

/**
 * The main thread's longest gap between 5 ms timer ticks while a batch of `count` thumbnails is
 * fetched (from a Blob), the same with nothing running (for comparison), and the total time of
 * the long tasks (over 50 ms) the browser saw during the batch.
 */
async function blocking(count) {
  const probe = () => {
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    return () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    };
  };
  const { blob } = await fetchVideo();
  const generator = await media.createAVImageGenerator();
  generator.dataSrc = blob;
  // Warm: the engine is started and the index read before measuring.
  await (await generator.fetchFrameByTime(0, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST_SYNC, { width: 160, height: 120 })).release();

  const idleStop = probe();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const idleMs = idleStop();

  // Long tasks (over 50 ms) on the main thread, as the browser itself reports them.
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => entry.duration)));
  observer.observe({ type: 'longtask' });
  const stop = probe();
  const started = performance.now();
  const frames = [];
  for (let i = 0; i < count; i++) {
    const pixelMap = await generator.fetchFrameByTime(
      (i * 2_900_000) / count,
      media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST,
      { width: 160, height: 120, colorFormat: media.PixelFormat.RGBA_8888 },
    );
    frames.push(pixelMap.frameTimeUs);
    await pixelMap.release();
  }
  const batchMs = performance.now() - started;
  const longestMs = stop();
  await new Promise((resolve) => setTimeout(resolve, 0));
  observer.disconnect();
  await generator.release();
  return { count, frames, batchMs, longestMs, idleMs, longTaskMs: longTasks.reduce((sum, ms) => sum + ms, 0) };
}

window.stillframeTests = { hashes, blocking };
window.stillframeReady = true;
