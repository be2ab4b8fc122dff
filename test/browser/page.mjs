// Runs in headless Chromium, served by browser.test.ts: the built browser bundle is at /dist/,
// the conformance suite at /suite.js (its media under /media/), the video of the blocking test
// at /video.mp4. Exposes `window.stillframeTests` for the test to call.
import { configureBrowserEngine, image, media } from '/dist/index.js';
import { runConformance } from '/suite.js';

/**
 * Runs conformance `cases` over the media under `base`. `engine`: "default" (WebCodecs where it
 * takes a run, the core's files beside the bundle, `new URL(…, import.meta.url)`, for the rest)
 * or "explicit" (ffmpeg.wasm only, its files given by URL through `configureBrowserEngine`).
 */
async function conformance(engine, base, cases) {
  if (engine === 'explicit') {
    await configureBrowserEngine({ coreUrl: '/core/ffmpeg-core.js', wasmUrl: new URL('/core/ffmpeg-core.wasm', location.href), webCodecs: false });
  }
  return runConformance({ media, image }, base, cases);
}

/**
 * The main thread's longest gap between 5 ms timer ticks while a batch of `count` thumbnails is
 * fetched (from a Blob), the same with nothing running (for comparison), and the total time of
 * the long tasks (over 50 ms) the browser saw during the batch. Decoded by ffmpeg.wasm in its Web
 * Workers (WebCodecs off): the batch is then long enough to show where the work runs.
 */
async function blocking(count) {
  await configureBrowserEngine({ webCodecs: false });
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
  const blob = await (await fetch('/video.mp4')).blob();
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

window.stillframeTests = { conformance, blocking };
window.stillframeReady = true;
