/**
 * HarmonyOS's video thumbnail fetcher, `media.AVImageGenerator`, on the stillframe core.
 */
import { settle, type AsyncCallback } from './async-callback.js';
import { AVErrorCode } from './av-error-code.js';
import { BusinessError } from './business-error.js';
import { parseFetchFrameArgs, parseFetchScaledFrameArgs, type FrameRequest } from './fetch-arguments.js';
import type { DataSource, SourceSpec } from './generator-source.js';
import type { AVFileDescriptor, AVImageQueryOptions, OutputSize, PixelMapParams } from './media-types.js';
import { OpenedSource } from './opened-source.js';
import { createPixelMap, type PixelMap } from './pixel-map.js';

/** Keeps the constructor out of reach: generators come from `media.createAVImageGenerator()`. */
const CREATE = Symbol('create AVImageGenerator');

/** @internal */
export function newAVImageGenerator(): AVImageGenerator {
  return new AVImageGenerator(CREATE);
}

/**
 * Fetches thumbnails (still frames) from a video (`media.AVImageGenerator`). Create one with
 * `media.createAVImageGenerator()`, set a source, fetch, and `release()` when done.
 *
 * Sources: `fdSrc` as on HarmonyOS, plus two stillframe extensions, `dataSrc` and `url`. A
 * source is opened by the first fetch, not when it is set. Setting another source replaces the
 * current one (HarmonyOS silently ignores a second assignment; stillframe lets a generator be
 * reused); fetches already under way finish on the old source, which is then closed.
 * Assigning `undefined` removes the source.
 *
 * Errors (as `BusinessError`, through the callback or promise, never thrown):
 * - 401: a malformed argument or source descriptor (arguments are checked first);
 * - 5400102: no source set, or the generator was released;
 * - 5400103: the media could not be read, or the bytes a frame needs are missing or corrupt;
 * - 5400104: decoding took too long; 5400105: the decode engine failed;
 * - 5400106: not a supported container or codec, or no video track.
 *
 * Overlapping fetches on one generator, and any number of generators, are safe: each fetch
 * returns its own PixelMap.
 */
export class AVImageGenerator {
  #source: OpenedSource | undefined;
  #released = false;

  /** @internal Use `media.createAVImageGenerator()`. */
  constructor(token: typeof CREATE) {
    if (token !== CREATE) throw new TypeError('use media.createAVImageGenerator() to create an AVImageGenerator');
  }

  /**
   * The media as an open file descriptor, optionally a window of the file
   * (`{ fd, offset?, length? }`). In Node, `fd` comes from `fs.open`. The descriptor stays
   * the caller's: it is read positionally and never closed by the generator.
   */
  get fdSrc(): AVFileDescriptor | undefined {
    const spec = this.#spec();
    return spec?.kind === 'fdSrc' ? spec.value : undefined;
  }
  set fdSrc(value: AVFileDescriptor | undefined) {
    this.#setSource(value == null ? undefined : { kind: 'fdSrc', value });
  }

  /**
   * stillframe extension: the media through an `AVDataSrcDescriptor` (`{ fileSize, callback }`,
   * as HarmonyOS's AVPlayer and AVMetadataExtractor take it; a callback call that has not
   * returned within 30 s fails the fetch with 5400103), or as bytes already in memory
   * (`Uint8Array`, `ArrayBuffer`, read in place, so do not modify them while they are set) or a
   * `Blob`/`File`, read in slices.
   */
  get dataSrc(): DataSource | undefined {
    const spec = this.#spec();
    return spec?.kind === 'dataSrc' ? spec.value : undefined;
  }
  set dataSrc(value: DataSource | undefined) {
    this.#setSource(value == null ? undefined : { kind: 'dataSrc', value });
  }

  /**
   * stillframe extension: the media by address: an `http://` or `https://` URL (read with Range
   * requests), `fd://N` for an open file descriptor (as HarmonyOS's AVPlayer takes it), a
   * `file://` URL, or a file path (opened, and closed again, by the generator).
   */
  get url(): string | undefined {
    const spec = this.#spec();
    return spec?.kind === 'url' ? spec.value : undefined;
  }
  set url(value: string | undefined) {
    this.#setSource(value == null ? undefined : { kind: 'url', value });
  }

  /**
   * Fetches the frame `options` picks for `timeUs` (microseconds; times past either end give
   * the first or last frame), sized by `param` (see {@link PixelMapParams}: each side in
   * (0, original] is used, any other value keeps that side original) and in
   * `param.colorFormat` (default RGBA_8888). The original size is the frame's upright display
   * size (pixel aspect ratio and rotation applied).
   */
  fetchFrameByTime(timeUs: number, options: AVImageQueryOptions, param: PixelMapParams): Promise<PixelMap>;
  /** Callback form of {@link AVImageGenerator.fetchFrameByTime}. */
  fetchFrameByTime(
    timeUs: number,
    options: AVImageQueryOptions,
    param: PixelMapParams,
    callback: AsyncCallback<PixelMap>,
  ): void;
  fetchFrameByTime(
    timeUs: number,
    options: AVImageQueryOptions,
    param: PixelMapParams,
    callback?: AsyncCallback<PixelMap>,
  ): Promise<PixelMap> | void {
    return settle(() => this.#fetch(() => parseFetchFrameArgs(timeUs, options, param)), callback);
  }

  /**
   * Fetches the frame `queryMode` picks for `timeUs`, scaled to `outputSize` (see
   * {@link OutputSize}: a negative side keeps the original, 0 or none follows the other side's
   * scale, positive sides are used as given; by default the original size), as RGBA_8888.
   */
  fetchScaledFrameByTime(timeUs: number, queryMode: AVImageQueryOptions, outputSize?: OutputSize): Promise<PixelMap> {
    return settle(() => this.#fetch(() => parseFetchScaledFrameArgs(timeUs, queryMode, outputSize)), undefined)!;
  }

  /**
   * Releases the generator: the source is closed once fetches under way are done, and the
   * promise settles after that. Every later call, including another `release()`, fails with
   * 5400102, as on HarmonyOS ("Has released once, can't release again").
   */
  release(): Promise<void>;
  /** Callback form of {@link AVImageGenerator.release}. */
  release(callback: AsyncCallback<void>): void;
  release(callback?: AsyncCallback<void>): Promise<void> | void {
    return settle(async () => {
      if (this.#released) throw notAllowed('the AVImageGenerator has already been released');
      this.#released = true;
      const source = this.#source;
      this.#source = undefined;
      await source?.retire();
    }, callback);
  }

  async #fetch(parse: () => FrameRequest): Promise<PixelMap> {
    // Order as on HarmonyOS: a malformed argument is reported even when the state is also wrong.
    const request = parse();
    if (this.#released) throw notAllowed('the AVImageGenerator has been released');
    const source = this.#source;
    if (!source) throw notAllowed('no source is set: assign fdSrc (or dataSrc or url) before fetching');
    const frame = await source.use((video) => video.extractFrame(request.timeUs, { mode: request.mode, size: request.size }));
    return createPixelMap(frame, request.format, frame.timeUs);
  }

  #setSource(spec: SourceSpec | undefined): void {
    // HarmonyOS ignores a source set after release; fetches then report 5400102.
    if (this.#released) return;
    const previous = this.#source;
    this.#source = spec && new OpenedSource(spec);
    void previous?.retire();
  }

  #spec(): SourceSpec | undefined {
    return this.#source?.spec;
  }
}

function notAllowed(message: string): BusinessError {
  return new BusinessError(AVErrorCode.AVERR_OPERATE_NOT_PERMIT, `Operation not allowed: ${message}`);
}
