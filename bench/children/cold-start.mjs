// Job 4, our side: a fresh Node process, from just before `import('stillframe')` to the first
// thumbnail (the frame at TIME_S, WIDTH wide, JPEG at QUALITY). Plain JavaScript on purpose: it is
// copied into a project that has the built package installed and run with plain `node`, as a user
// would run it — no tsx loader, no TypeScript transpiled on the fly.
//
// Usage: node cold-start.mjs <json: { input, timeS, width, quality }>
const started = performance.now();
const { openVideoFile, openFileSource, encodeJpeg, closeSharedRunner } = await import('stillframe');
const imported = performance.now();

const { input, timeS, width, quality } = JSON.parse(process.argv[2]);
const video = await openVideoFile(await openFileSource(input));
const opened = performance.now();
const frame = await video.extractFrame(timeS * 1e6, {
  mode: 'closest',
  // WIDTH wide, the height keeping the aspect ratio, even (as ffmpeg's scale=W:-2).
  size: (natural) => ({ width, height: Math.max(2, 2 * Math.round((width * natural.height) / natural.width / 2)) }),
});
const jpeg = encodeJpeg(frame, quality);
const done = performance.now();
await video.close();
await closeSharedRunner();

process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    // performance.now() counts from the process's time origin: `started` is Node's own start-up.
    nodeStartupMs: started,
    importMs: imported - started,
    openMs: opened - imported,
    firstThumbnailMs: done - opened,
    totalMs: done - started,
    frameTimeUs: frame.timeUs,
    size: `${frame.width}x${frame.height}`,
    jpegBytes: jpeg.byteLength,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
  })}\n`,
);
process.exit(0);
