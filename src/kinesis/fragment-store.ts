/**
 * Opened fragments, kept between requests. Opening a fragment reads and indexes its container
 * (for a remote fragment, a few HTTP round trips), so it is done once and the `VideoFile` reused
 * by every later request — up to a bound, beyond which the least recently used idle fragment is
 * closed. What a fragment spans is remembered for good (a few numbers), so placing points never
 * needs a closed fragment reopened.
 */
import type { FFmpegRunner } from '../engine/ffmpeg-runner.js';
import { StillframeError } from '../errors.js';
import type { VideoFile } from '../video-file.js';
import type { CatalogFragment } from './catalog.js';
import { openFragmentVideo, type SourceOpener } from './source-opener.js';

/** Default {@link FragmentStoreOptions.maxOpenFragments}. */
export const DEFAULT_MAX_OPEN_FRAGMENTS = 32;

/** What a fragment's video spans, in its own media time (microseconds). */
export interface FragmentExtent {
  /** When its first frame is presented. */
  readonly firstUs: number;
  /** When its last frame stops showing (that frame's time plus its duration). */
  readonly endUs: number;
}

/** Options of {@link FragmentStore}. */
export interface FragmentStoreOptions {
  /** How `source` strings are opened; default: URLs by HTTP, paths by the runtime's registered opener. */
  readonly openSource?: SourceOpener;
  /** The decode engine; default the runtime's shared engine. */
  readonly runner?: FFmpegRunner;
  /** Most fragments kept open while idle. Default 32. */
  readonly maxOpenFragments?: number;
}

/** @internal An opened (or opening) fragment and the number of holds on it. */
export interface Entry {
  readonly video: Promise<VideoFile>;
  /** Requests using the video now: it is closed only once this is 0. */
  users: number;
}

/**
 * A bounded cache of opened fragments, safe for concurrent requests. Requests hold the fragments
 * they use through a {@link FragmentLease}, so a fragment is never closed under a request, nor
 * closed and reopened within one; the bound applies to fragments no request holds.
 */
export class FragmentStore {
  private readonly entries = new Map<number, Entry>();
  private readonly extents = new Map<number, FragmentExtent>();
  private readonly maxOpen: number;
  private closed = false;

  constructor(private readonly options: FragmentStoreOptions = {}) {
    this.maxOpen = options.maxOpenFragments ?? DEFAULT_MAX_OPEN_FRAGMENTS;
    if (!Number.isInteger(this.maxOpen) || this.maxOpen < 1) {
      throw new RangeError(`maxOpenFragments must be a positive integer, got ${String(options.maxOpenFragments)}`);
    }
  }

  /** A lease for one request: release it when the request is done. */
  lease(): FragmentLease {
    return new FragmentLease(this);
  }

  /** Closes every fragment (also those requests still hold: their later reads fail). Later leases fail. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => closeEntry(entry)));
  }

  /** @internal The extent already known for a fragment. */
  knownExtent(fragment: CatalogFragment): FragmentExtent | undefined {
    return this.extents.get(fragment.id);
  }

  /** @internal Takes a hold on the fragment's entry, opening it if need be. */
  acquire(fragment: CatalogFragment): Entry {
    if (this.closed) {
      const video = Promise.reject(new StillframeError('not-allowed', 'the GetImages service has been closed'));
      video.catch(() => undefined);
      return { video, users: 1 };
    }
    let entry = this.entries.get(fragment.id);
    if (entry) {
      // Re-insert: Map order is the recency order eviction walks.
      this.entries.delete(fragment.id);
    } else {
      const video = this.open(fragment).then(async (opened) => {
        try {
          if (!this.extents.has(fragment.id)) this.extents.set(fragment.id, await extentOf(opened));
        } catch (error) {
          await opened.close();
          throw error;
        }
        return opened;
      });
      const created: Entry = { video, users: 0 };
      // Failures are not kept: a fragment that is missing now may be there next time.
      video.catch(() => {
        if (this.entries.get(fragment.id) === created) this.entries.delete(fragment.id);
      });
      entry = created;
    }
    this.entries.set(fragment.id, entry);
    entry.users++;
    return entry;
  }

  /** @internal Drops a hold taken by {@link acquire}. */
  release(entry: Entry): void {
    entry.users--;
    this.trim();
  }

  private open(fragment: CatalogFragment): Promise<VideoFile> {
    return openFragmentVideo(fragment, this.options.openSource, { runner: this.options.runner });
  }

  /** Closes the least recently used fragments no request holds, beyond the bound. */
  private trim(): void {
    if (this.entries.size <= this.maxOpen) return;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxOpen) break;
      if (entry.users > 0) continue;
      this.entries.delete(id);
      void closeEntry(entry);
    }
  }
}

/**
 * The fragments one request uses, held open from the first time the request needs each until
 * {@link release}. Opening failures are shared too, so a broken fragment is tried once per request.
 */
export class FragmentLease {
  private readonly held = new Map<number, Entry>();
  private released = false;

  /** @internal Use {@link FragmentStore.lease}. */
  constructor(private readonly store: FragmentStore) {}

  /**
   * What `fragment` spans: known without opening it if it was ever opened before.
   * @throws StillframeError when it cannot be opened (missing, unreadable, no decodable video).
   */
  async extent(fragment: CatalogFragment): Promise<FragmentExtent> {
    const known = this.store.knownExtent(fragment);
    if (known) return known;
    await this.video(fragment);
    return this.store.knownExtent(fragment)!;
  }

  /**
   * The fragment's opened video, held until the lease is released.
   * @throws StillframeError when it cannot be opened.
   */
  video(fragment: CatalogFragment): Promise<VideoFile> {
    if (this.released) throw new Error('the fragment lease has been released');
    let entry = this.held.get(fragment.id);
    if (!entry) {
      entry = this.store.acquire(fragment);
      this.held.set(fragment.id, entry);
    }
    return entry.video;
  }

  /** Lets the store close the held fragments again. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const entry of this.held.values()) this.store.release(entry);
    this.held.clear();
  }
}

async function extentOf(video: VideoFile): Promise<FragmentExtent> {
  const { firstFrameUs, lastFrameUs } = video.info;
  return { firstUs: firstFrameUs, endUs: (await video.frameShownAt(lastFrameUs))?.endUs ?? lastFrameUs + 1 };
}

async function closeEntry(entry: Entry): Promise<void> {
  await entry.video.then((video) => video.close()).catch(() => undefined);
}
