// Job 7's page, in headless Chromium (served by `bench/jobs/browser-mediabunny.ts`): stillframe's
// built browser bundle at /dist/ (the ffmpeg core beside it), Mediabunny's ESM bundle at
// /mediabunny.mjs, the benchmark clip at /video.mp4. Exposes `window.benchPage` for the job to
// call. Plain JavaScript: the browser runs this file as served.
//
// Every run happens in a fresh page, so each contestant starts cold (stillframe: its workers and
// the wasm core; Mediabunny: its decoder), as a page that makes thumbnails once would.

/**
 * What WebCodecs says about decoding the clip: the decoder config Mediabunny derives from the
 * file (codec string, coded size, avcC), asked of `VideoDecoder.isConfigSupported` with each
 * hardware preference. Mediabunny decodes with WebCodecs, so without it there is nothing to
 * compare against; "prefer-hardware" false with "prefer-software" true means software decoding
 * (headless Chromium without a GPU). Untimed, in a page of its own.
 */
async function probe(videoUrl) {
  if (typeof VideoDecoder === 'undefined') return { available: false, why: `VideoDecoder is not defined (secure context: ${isSecureContext})` };
  const { Input, BlobSource, ALL_FORMATS } = await import('/mediabunny.mjs');
  const input = new Input({ source: new BlobSource(await loadVideo(videoUrl)), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  const config = track ? await track.getDecoderConfig() : null;
  input.dispose();
  if (!config) return { available: false, why: 'Mediabunny derived no decoder config from the file' };
  const supported = {};
  for (const hardwareAcceleration of ['no-preference', 'prefer-hardware', 'prefer-software']) {
    try {
      supported[hardwareAcceleration] = (await VideoDecoder.isConfigSupported({ ...config, hardwareAcceleration })).supported === true;
    } catch (error) {
      supported[hardwareAcceleration] = false;
      supported[`${hardwareAcceleration} error`] = String(error);
    }
  }
  const { codec, codedWidth, codedHeight } = config;
  return {
    available: supported['no-preference'],
    config: { codec, codedWidth, codedHeight },
    supported,
    ...(supported['no-preference'] ? {} : { why: `VideoDecoder.isConfigSupported({ codec: '${codec}', codedWidth: ${codedWidth}, codedHeight: ${codedHeight} }) is false` }),
  };
}

/**
 * Loads the video as a Blob, outside the timing: both contestants read the same in-memory Blob,
 * so neither pays for the network or the server, and neither gets a head start.
 */
async function loadVideo(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.blob();
}

/**
 * stillframe through its fastest public path, the core batch API: `openVideoFile(blobSource)`,
 * the frame on screen at each time (`frameShownAt`, as GetImages picks it), then one
 * `extractJpegs` call for all of them — it decodes each GOP once for all its targets (one pass
 * per entry point, on the engine's Web Workers) and encodes each frame straight from the
 * decoder's planes.
 */
async function stillframe(blob, { timesS, width, height, quality }) {
  const { openVideoFile, blobSource, closeSharedRunner } = await import('/dist/index.js');
  const started = performance.now();
  const video = await openVideoFile(blobSource(blob));
  const openMs = performance.now() - started;
  const shown = await Promise.all(timesS.map(async (timeS) => (await video.frameShownAt(Math.round(timeS * 1e6)))?.timeUs));
  const results = await video.extractJpegs(
    shown.map((timeUs) => timeUs ?? 0),
    { quality, size: { width, height } },
  );
  const wallMs = performance.now() - started;
  const images = results.map((result, i) =>
    shown[i] === undefined
      ? { ok: false, error: 'no frame on screen at this time' }
      : result instanceof Error
        ? { ok: false, error: String(result.message).slice(0, 120) }
        : { ok: true, frameTimeS: result.timeUs / 1e6, bytes: result.data.byteLength, width: result.width, height: result.height },
  );
  const stats = video.decodeStats;
  await video.close();
  await closeSharedRunner();
  return { wallMs, openMs, images, extra: { decodeStats: stats } };
}

/** A canvas as a JPEG Blob: `convertToBlob` on an OffscreenCanvas, `toBlob` on a canvas element. */
function jpegBlob(canvas, quality) {
  if (typeof canvas.convertToBlob === 'function') return canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('toBlob gave null'))), 'image/jpeg', quality));
}

/**
 * Mediabunny as its documentation recommends for sparse times: `Input` over a `BlobSource`, the
 * primary video track, a `CanvasSink` at the output size, `canvasesAtTimestamps` (which decodes
 * each packet at most once for sorted times), and each canvas to a JPEG at quality 0.8. The
 * encodes are started as the canvases arrive and awaited together at the end (the sink has no
 * canvas pool, so no canvas is reused): Mediabunny's best case, not a sequential one.
 */
async function mediabunny(blob, { timesS, width, height, quality }) {
  const { Input, BlobSource, ALL_FORMATS, CanvasSink } = await import('/mediabunny.mjs');
  const started = performance.now();
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  const track = await input.getPrimaryVideoTrack();
  if (!track) throw new Error('Mediabunny found no video track');
  const decodable = await track.canDecode();
  const openMs = performance.now() - started;
  if (!decodable) {
    input.dispose();
    return { wallMs: null, openMs, images: [], extra: { canDecode: false, codec: await track.getCodecParameterString() } };
  }
  // Both sides are given, so Mediabunny requires a fit; the clip is 16:9 like 320×180, so 'fill' does not distort.
  const sink = new CanvasSink(track, { width, height, fit: 'fill' });
  const pending = [];
  for await (const wrapped of sink.canvasesAtTimestamps(timesS)) {
    pending.push(
      wrapped === null
        ? Promise.resolve({ ok: false, error: 'no frame (null)' })
        : jpegBlob(wrapped.canvas, quality / 100).then(
            (jpeg) => ({ ok: true, frameTimeS: wrapped.timestamp, bytes: jpeg.size, width: wrapped.canvas.width, height: wrapped.canvas.height }),
            (error) => ({ ok: false, error: String(error).slice(0, 120) }),
          ),
    );
  }
  const images = await Promise.all(pending);
  const wallMs = performance.now() - started;
  const codec = await track.getCodecParameterString();
  input.dispose();
  return { wallMs, openMs, images, extra: { canDecode: true, codec } };
}

const CONTESTANTS = { stillframe, mediabunny };

/**
 * One timed run of contestant `name` on the video at `videoUrl` (loaded as a Blob first,
 * untimed). Timing starts after the contestant's module is imported and ends when the last JPEG
 * exists; it covers opening the file, engine or decoder start-up, decoding and encoding.
 */
async function run(name, { videoUrl, ...params }) {
  const blob = await loadVideo(videoUrl);
  const result = await CONTESTANTS[name](blob, params);
  return { name, blobBytes: blob.size, ...result };
}

window.benchPage = { probe, run };
window.benchPageReady = true;
