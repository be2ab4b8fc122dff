/**
 * One source set on an `AVImageGenerator`, from the moment it is assigned to the moment its
 * file is closed: opened lazily by the first fetch, shared by overlapping fetches, and closed
 * once it has been replaced (or the generator released) and the last fetch using it is done.
 */
import { openVideoFile, type VideoFile } from '../video-file.js';
import { openSpec, type SourceSpec } from './generator-source.js';

/** A source as set on a generator, with the video opened from it on demand. */
export class OpenedSource {
  #video: Promise<VideoFile> | undefined;
  #users = 0;
  #closed: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  /** @param spec The source as the application set it. */
  constructor(readonly spec: SourceSpec) {}

  /**
   * Runs `work` on the opened video. The fetch counts as a user from this call on (synchronously),
   * so a source replaced right after a fetch was started stays open until that fetch is done.
   */
  async use<T>(work: (video: VideoFile) => Promise<T>): Promise<T> {
    this.#users++;
    try {
      return await work(await this.#open());
    } finally {
      this.#users--;
      if (this.#users === 0) this.#drained?.();
    }
  }

  /**
   * Closes the video once no fetch uses it any more. Idempotent; the promise settles when the
   * file is closed. Never rejects: a source being discarded has nobody left to tell.
   */
  retire(): Promise<void> {
    this.#closed ??= (async () => {
      if (this.#users > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      const video = await this.#video?.catch(() => undefined);
      await video?.close().catch(() => undefined);
    })();
    return this.#closed;
  }

  #open(): Promise<VideoFile> {
    if (!this.#video) {
      const opening = openSpec(this.spec).then(async (source) => {
        try {
          return await openVideoFile(source);
        } catch (error) {
          // The video never took ownership of the source (an open file handle, say).
          await source.close?.().catch(() => undefined);
          throw error;
        }
      });
      this.#video = opening;
      // A failed open is not remembered, so that a passing failure (the network, a file being
      // written) does not condemn every later fetch; concurrent fetches still share one attempt.
      opening.catch(() => {
        if (this.#video === opening) this.#video = undefined;
      });
    }
    return this.#video;
  }
}
