// Job 5, our side: one thumbnail from the middle of a file over 2 GiB, in a fresh Node process on
// the built package (plain `node`, like cold-start.mjs, so the peak RSS is what a user's process
// would show, without the ~35 MB of the tsx loader). The file source is wrapped in a counting
// ByteSource to report how many bytes were read, in how many reads, and where (offset, length).
//
// Usage: node big-file.mjs <json: { input, timeS, width, quality }>
const { openVideoFile, openFileSource, encodeJpeg, closeSharedRunner } = await import('stillframe');

/**
 * Wraps a ByteSource (`{ size, read(offset, length), close?() }`, see stillframe's `ByteSource`)
 * so that every read is counted. Reads, size and close are forwarded unchanged.
 *
 * @template {{ size: number, read(offset: number, length: number): Promise<Uint8Array>, close?(): Promise<void> }} S
 * @param {S} inner
 */
function countingSource(inner) {
  const counts = { reads: 0, bytesRead: 0, largestRead: 0, /** @type {Array<[number, number]>} */ log: [] };
  const source = {
    size: inner.size,
    /** @param {number} offset @param {number} length */
    async read(offset, length) {
      counts.reads++;
      const bytes = await inner.read(offset, length);
      counts.bytesRead += bytes.byteLength;
      counts.largestRead = Math.max(counts.largestRead, bytes.byteLength);
      counts.log.push([offset, bytes.byteLength]);
      return bytes;
    },
    close: () => inner.close?.() ?? Promise.resolve(),
  };
  return { source, counts };
}

const { input, timeS, width, quality } = JSON.parse(process.argv[2]);
const started = performance.now();
const { source, counts } = countingSource(await openFileSource(input));
const video = await openVideoFile(source);
const frame = await video.extractFrame(timeS * 1e6, {
  mode: 'closest',
  size: (natural) => ({ width, height: Math.max(2, 2 * Math.round((width * natural.height) / natural.width / 2)) }),
});
const jpeg = encodeJpeg(frame, quality);
const wallMs = performance.now() - started;
await video.close();
await closeSharedRunner();

process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    wallMs,
    frameTimeUs: frame.timeUs,
    size: `${frame.width}x${frame.height}`,
    jpegBytes: jpeg.byteLength,
    fileBytes: source.size,
    ...counts,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6,
  })}\n`,
);
process.exit(0);
