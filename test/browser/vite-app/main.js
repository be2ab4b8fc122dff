// A Vite application using stillframe as users do: the package imported by name (Vite picks its
// `browser` build), @ffmpeg/core's files imported as asset URLs. Built and loaded by
// `../vite-build.test.ts`, which copies this folder into a project that has stillframe installed
// and adds `public/video.mp4` (the test video) and `public/assets/ffmpeg-core.{js,wasm}` (the core
// where the bundle looks by default: beside its own chunk).
import { configureBrowserEngine, media } from 'stillframe';
import coreUrl from '@ffmpeg/core?url';
import wasmUrl from '@ffmpeg/core/wasm?url';

/**
 * The frame of `/video.mp4` (read as a Blob) closest to 1.3 s, 160×120 RGBA: its time, size and
 * the SHA-256 (hex) of its pixels. `engine`: "explicit" gives the engine the core's asset URLs
 * (`configureBrowserEngine`), "default" leaves it to look beside the bundle. WebCodecs is turned
 * off in both: it would decode this H.264 video without ever loading the core, which is what
 * the test follows.
 */
async function closestFrame(engine) {
  await configureBrowserEngine(engine === 'explicit' ? { coreUrl, wasmUrl, webCodecs: false } : { webCodecs: false });
  const blob = await (await fetch('/video.mp4')).blob();
  const generator = await media.createAVImageGenerator();
  generator.dataSrc = blob;
  const pixelMap = await generator.fetchFrameByTime(1_300_000, media.AVImageQueryOptions.AV_IMAGE_QUERY_CLOSEST, { width: 160, height: 120 });
  const rgba = new ArrayBuffer(pixelMap.getPixelBytesNumber());
  await pixelMap.readPixelsToBuffer(rgba);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', rgba));
  const frame = {
    frameTimeUs: pixelMap.frameTimeUs,
    size: pixelMap.getImageInfoSync().size,
    rgba: Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join(''),
  };
  await pixelMap.release();
  await generator.release();
  return frame;
}

window.closestFrame = closestFrame;
