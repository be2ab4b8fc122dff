/**
 * The stillframe core: open a video, find the frame a query names, decode as little as
 * possible, and hand back upright RGBA pixels. Facades build on this and nothing below it.
 */
import { mapConcurrently } from './concurrency.js';
import { detectContainer } from './demux/detect-container.js';
import { openMatroska } from './demux/matroska/matroska-index.js';
import { indexMp4 } from './demux/mp4/mp4-index.js';
import { indexMpegts } from './demux/mpegts/mpegts-index.js';
import type { EncodedSample, Rotation, SampleWithData, SegmentedTrack, VideoCodec, VideoTrack } from './demux/video-track.js';
import { decodeFrames, type DecodedFrame } from './engine/frame-decoder.js';
import { sharedSampleDecoder, type SampleDecoder } from './engine/sample-decoder.js';
import type { FFmpegRunner } from './engine/ffmpeg-runner.js';
import { sharedRunner } from './engine/shared-runner.js';
import { asFailure, decodeError, invalidArgument, notAllowed, StillframeError, unsupported } from './errors.js';
import type { Size } from './image/display-geometry.js';
import { assertJpegQuality } from './image/jpeg/quant-tables.js';
import type { RawVideoFrame } from './image/raw-frame.js';
import { renderFrame, renderJpeg, type EncodedImage, type RenderOptions } from './image/render.js';
import type { RgbaImage } from './image/rgba-image.js';
import type { ByteSource } from './sources/byte-source.js';
import { planDecode } from './seek/decode-plan.js';
import { samplesToDecode } from './seek/decode-set.js';
import type { PresentedFrame, ShownFrame } from './seek/presentation-timeline.js';
import { selectFrame, type QueryMode } from './seek/query-mode.js';
import { segmentedTrackWindows, wholeTrackWindows, type TrackWindow, type TrackWindows } from './seek/track-windows.js';

export type { QueryMode } from './seek/query-mode.js';
export type { Size } from './image/display-geometry.js';
export type { ShownFrame } from './seek/presentation-timeline.js';

/** Codecs the bundled ffmpeg core decodes in software. */
const DECODABLE: ReadonlySet<VideoCodec> = new Set(['h264', 'hevc', 'vp8', 'vp9', 'mpeg4', 'mjpeg', 'prores']);

/** Default wall-clock limit for one decode pass. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** Options of {@link openVideoFile}. */
export interface OpenOptions {
  /** The decode engine to use; by default the runtime's shared engine. */
  readonly runner?: FFmpegRunner;
  /** Time limit for one decode pass (the frames of one GOP), in milliseconds. Default 30 000. */
  readonly decodeTimeoutMs?: number;
  /**
   * A decoder to offer each decode pass first (what it declines goes to the engine); by default
   * the runtime's (WebCodecs in browsers that have it, none elsewhere). `null` for none.
   */
  readonly sampleDecoder?: SampleDecoder | null;
}

/** What is known about the video once it is indexed (before anything is decoded). */
export interface VideoInfo {
  readonly codec: VideoCodec;
  /** The container's name for the codec (sample entry type such as `avc1`, `hvc1`). */
  readonly codecString: string;
  /** Coded picture size from the container. */
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** Clockwise rotation players apply. */
  readonly rotation: Rotation;
  /** Presentation time of the first and last frame, in microseconds. */
  readonly firstFrameUs: number;
  readonly lastFrameUs: number;
  /**
   * Number of presented frames; `undefined` when it is not known without reading the whole file
   * (a Matroska file indexed from its Cues, a few segments at a time).
   */
  readonly frameCount: number | undefined;
  /**
   * The file's metadata tags by name, as the container stores them (Matroska `SimpleTag`s, such
   * as the `AWS_KINESISVIDEO_*` tags of Kinesis Video fragments); empty when it has none or
   * its tags are not read (MP4, MPEG-TS).
   */
  readonly tags: ReadonlyMap<string, string>;
}

/** Options of {@link VideoFile.extractFrame}. */
export interface ExtractFrameOptions {
  /** How the time maps to a frame. Default `'closest'`. */
  readonly mode?: QueryMode;
  /**
   * Output size: a fixed size, or a function of the frame's natural size (upright display size,
   * or the coded size when `upright` is false). Default: the natural size.
   */
  readonly size?: Size | ((natural: Size) => Size);
  /** Apply the pixel aspect ratio and the track rotation, as players do. Default true. */
  readonly upright?: boolean;
}

/** A frame extracted as a JPEG file (see {@link VideoFile.extractJpegs}): its size and bytes. */
export interface ExtractedJpeg extends EncodedImage {
  /** Presentation time of the frame shown, in microseconds. */
  readonly timeUs: number;
}

/** An extracted frame: RGBA pixels plus the presentation time of the frame they show. */
export interface ExtractedFrame extends RgbaImage {
  /** Presentation time of the frame shown, in microseconds (like iOS's `actualTime`). */
  readonly timeUs: number;
}

/** What a {@link VideoFile} has decoded so far: to see what a query costs, or to tune a batch. */
export interface DecodeStats {
  /** Decode passes run (engine jobs), retries of a failed group's frames one by one included. */
  readonly passes: number;
  /** Samples handed to the engine, over all passes. */
  readonly samples: number;
  /** Samples between each pass's entry point and its last target that were left out, as no target depends on them. */
  readonly skipped: number;
}

/** An opened, indexed video from which frames can be extracted, concurrently if need be. */
export class VideoFile {
  /** What the index says about the video. */
  readonly info: VideoInfo;
  private closed = false;
  private stats: DecodeStats = { passes: 0, samples: 0, skipped: 0 };

  private constructor(
    private readonly source: ByteSource,
    private readonly windows: TrackWindows,
    /** The engine given at open; otherwise the shared one, asked for only when first needed. */
    private readonly givenRunner: FFmpegRunner | undefined,
    private readonly sampleDecoder: SampleDecoder | undefined,
    private readonly timeoutMs: number,
  ) {
    const { track } = windows.first;
    this.info = {
      codec: track.codec,
      codecString: track.codecString,
      codedWidth: track.codedWidth,
      codedHeight: track.codedHeight,
      rotation: track.rotation,
      firstFrameUs: windows.first.timeline.timeUs(0),
      lastFrameUs: windows.last.timeline.timeUs(windows.last.timeline.length - 1),
      frameCount: windows.isWhole ? windows.first.timeline.length : undefined,
      tags: track.tags ?? new Map(),
    };
  }

  /** @internal Use {@link openVideoFile}. */
  static async open(source: ByteSource, options: OpenOptions = {}): Promise<VideoFile> {
    const indexed = await indexTrack(source);
    const windows = 'indexSegments' in indexed ? await segmentedTrackWindows(source, indexed) : wholeTrackWindows(source, indexed);
    const { track } = windows.first;
    if (!DECODABLE.has(track.codec)) {
      throw unsupported(`the video codec '${track.codecString}' cannot be decoded by the engine`);
    }
    if (windows.first.timeline.length === 0 || windows.last.timeline.length === 0) throw unsupported('the video track presents no frames');
    const sampleDecoder = options.sampleDecoder === null ? undefined : (options.sampleDecoder ?? sharedSampleDecoder());
    return new VideoFile(source, windows, options.runner, sampleDecoder, options.decodeTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * Extracts the frame `options.mode` names for `timeUs` (clamped to the video's first and last
   * frame). Reads and decodes only the samples from the frame's entry point to the frame.
   */
  async extractFrame(timeUs: number, options: ExtractFrameOptions = {}): Promise<ExtractedFrame> {
    const [result] = await this.extractFrames([timeUs], options);
    if (result instanceof StillframeError) throw result;
    return result!;
  }

  /**
   * Extracts one frame per time, as {@link extractFrame} would, in the order of `timesUs`.
   * Frames that start decoding from the same entry point are decoded in one pass, and a frame
   * that several times name is decoded and rendered once. A time that fails yields its
   * `StillframeError` in its place; the others are unaffected.
   */
  extractFrames(timesUs: readonly number[], options: ExtractFrameOptions = {}): Promise<Array<ExtractedFrame | StillframeError>> {
    return this.extractFramesAs(timesUs, options, (frame) => frame);
  }

  /**
   * {@link extractFrames}, handing each distinct frame to `transform` as soon as it is rendered
   * (to encode it, say) and keeping only what `transform` returns: a batch then never holds more
   * than one decode pass's pixels. A `StillframeError` thrown by `transform` becomes that item's
   * result.
   */
  extractFramesAs<T>(
    timesUs: readonly number[],
    options: ExtractFrameOptions,
    transform: (frame: ExtractedFrame) => T | Promise<T>,
  ): Promise<Array<T | StillframeError>> {
    return this.extractRendered(timesUs, options, (raw, render, timeUs) => {
      const image = renderFrame(raw, render);
      return transform({ width: image.width, height: image.height, data: image.data, timeUs });
    });
  }

  /**
   * {@link extractFrames} as JPEG files at `options.quality`, each distinct frame encoded once.
   * Faster than encoding extracted frames: a frame that needs no resampling or rotation goes
   * from the decoder's planes to the encoder without an RGB round trip (see `renderJpeg`).
   *
   * @throws StillframeError `invalid-argument` when `options.quality` is not an integer in 1–100.
   */
  async extractJpegs(timesUs: readonly number[], options: ExtractFrameOptions & { readonly quality: number }): Promise<Array<ExtractedJpeg | StillframeError>> {
    assertJpegQuality(options.quality);
    return this.extractRendered(timesUs, options, async (raw, render, timeUs) => ({ ...(await renderJpeg(raw, render, options.quality, yieldToEventLoop)), timeUs }));
  }

  /** The batch machinery of the extract methods: `produce` makes each distinct frame's result from its decoded picture. */
  private async extractRendered<T>(timesUs: readonly number[], options: ExtractFrameOptions, produce: Produce<T>): Promise<Array<T | StillframeError>> {
    if (this.closed) throw notAllowed('the video has been closed');
    const mode = options.mode ?? 'closest';
    const targets = await Promise.all(timesUs.map((timeUs) => settle(() => this.selectTarget(timeUs, mode))));
    const distinct = [...new Map(targets.flatMap((t) => (t instanceof StillframeError ? [] : [[targetKey(t), t] as const]))).values()];
    const results = new Map<string, T | StillframeError>();
    const groups = await this.groupByEntryPoint(distinct, results);
    // Nothing to decode asks for no engine.
    if (groups.length > 0) {
      // Twice the groups the engine runs at once, plus one: while every instance decodes, finished
      // groups are rendered and encoded here, and the next decode passes already wait in the
      // engine's queue, so that no instance idles while this thread encodes.
      const inFlight = 2 * (this.runner.parallelism ?? 1) + 1;
      await mapConcurrently(groups, inFlight, async (group) => {
        for (const [frame, result] of await this.decodeGroup(group, options, produce)) results.set(targetKey({ frame }), result);
      });
    }
    return targets.map((t) => (t instanceof StillframeError ? t : results.get(targetKey(t))!));
  }

  /**
   * The frame on screen at `timeUs`: the last frame presented at or before it, while it is still
   * showing (until the next frame, or for the last frame until its duration ends). `undefined`
   * before the first frame and after the last one. Decodes nothing; reads nothing, except for a
   * file indexed a few segments at a time, the index of the segments around `timeUs`.
   */
  async frameShownAt(timeUs: number): Promise<ShownFrame | undefined> {
    if (this.closed) throw notAllowed('the video has been closed');
    return (await this.windows.at(timeUs)).timeline.frameShownAt(timeUs);
  }

  /**
   * The frame `mode` names for `timeUs`, in the window it is decoded in: the window around its
   * own time, so that a frame several times name is one target, however far apart the times.
   */
  private async selectTarget(timeUs: number, mode: QueryMode): Promise<Target> {
    if (typeof timeUs !== 'number' || !Number.isFinite(timeUs) || timeUs < 0) {
      throw invalidArgument(`time must be a finite number of microseconds >= 0, got ${String(timeUs)}`);
    }
    let window = await this.windows.at(timeUs);
    let frame = await selectIn(window, timeUs, mode);
    // The window cannot vouch for an answer beyond it (a cued frame that is no entry point).
    if (!frame && !isWholeTrack(window)) {
      window = await this.windows.whole();
      frame = await selectIn(window, timeUs, mode);
    }
    if (!frame) throw unsupported('the video has no frame where decoding can start');
    const own = await this.windows.at(frame.timeUs);
    return own === window ? { window, frame } : { window: own, frame: sameFrameIn(own, frame) };
  }

  /** The samples to decode for a target, from the target's window, or from the whole track when its entry point lies beyond. */
  private async plan(target: Target): Promise<{ target: Target; plan: EncodedSample[] }> {
    try {
      return { target, plan: await planDecode(target.window.track, target.window.verifier, target.frame.sample) };
    } catch (error) {
      if (!(error instanceof StillframeError) || isWholeTrack(target.window)) throw error;
      const window = await this.windows.whole();
      const moved = { window, frame: sameFrameIn(window, target.frame) };
      return { target: moved, plan: await planDecode(window.track, window.verifier, moved.frame.sample) };
    }
  }

  /**
   * Plans every target; targets with the same entry point form one group. Planning failures go to
   * `failed`. A group whose run already reaches the next group's entry point (a leading picture
   * of an open GOP is decoded from the entry point before its own) takes that group in, so that
   * no picture is decoded in two passes.
   */
  private async groupByEntryPoint(targets: readonly Target[], failed: Map<string, unknown>): Promise<DecodeGroup[]> {
    const byEntry = new Map<string, DecodeGroup>();
    for (const target of targets) {
      const planned = await settle(() => this.plan(target));
      if (planned instanceof StillframeError) {
        failed.set(targetKey(target), planned);
        continue;
      }
      const { window, frame } = planned.target;
      const entry = planned.plan[0]!.index;
      const key = `${window.id}/${entry}`;
      const group = byEntry.get(key) ?? { window, entry, frames: [] };
      group.frames.push(frame);
      byEntry.set(key, group);
    }
    const merged: DecodeGroup[] = [];
    for (const group of [...byEntry.values()].sort((a, b) => a.window.id.localeCompare(b.window.id) || a.entry - b.entry)) {
      const previous = merged.at(-1);
      const reaches = previous?.window === group.window && Math.max(...previous.frames.map((frame) => frame.sample.index)) >= group.entry;
      if (reaches) previous.frames.push(...group.frames);
      else merged.push(group);
    }
    return merged;
  }

  /**
   * Decodes a group in one pass, from its entry point to its last target in decode order. If
   * that fails and the group has several targets, each is decoded alone, so that one bad frame
   * costs only itself.
   */
  private async decodeGroup<T>(group: DecodeGroup, options: ExtractFrameOptions, produce: Produce<T>): Promise<Array<[PresentedFrame, T | StillframeError]>> {
    const attempt = await settle(() => this.decodeTargets(group, group.frames, options, produce));
    if (!(attempt instanceof StillframeError)) return attempt;
    if (group.frames.length === 1) return [[group.frames[0]!, attempt]];
    const alone: Array<[PresentedFrame, T | StillframeError]> = [];
    for (const frame of group.frames) {
      const single = await settle(() => this.decodeTargets(group, [frame], options, produce));
      alone.push(single instanceof StillframeError ? [frame, single] : single[0]!);
    }
    return alone;
  }

  private async decodeTargets<T>(
    { window, entry }: DecodeGroup,
    frames: readonly PresentedFrame[],
    options: ExtractFrameOptions,
    produce: Produce<T>,
  ): Promise<Array<[PresentedFrame, T | StillframeError]>> {
    const last = Math.max(...frames.map((frame) => frame.sample.index));
    const targets = new Set(frames.map((frame) => frame.sample.index));
    const { track, verifier } = window;
    const samples = track.samples.slice(entry, last + 1);
    const withData = await verifier.readSamples(samples);
    const needed = await samplesToDecode(track, verifier, withData, targets);
    this.stats = {
      passes: this.stats.passes + 1,
      samples: this.stats.samples + needed.length,
      skipped: this.stats.skipped + samples.length - needed.length,
    };
    const decoded = await this.decode(track, needed, frames.map((frame) => frame.sample));
    const results: Array<[PresentedFrame, T | StillframeError]> = [];
    for (const [i, frame] of frames.entries()) {
      const { frame: raw, sampleAspectRatio } = decoded[i]!;
      const render = { rotation: track.rotation, sampleAspectRatio, upright: options.upright ?? true, size: options.size };
      results.push([frame, await settle(async () => produce(raw, render, frame.timeUs))]);
    }
    return results;
  }

  /** The target frames of a planned run: from the sample decoder if it takes the run, else from the engine. */
  private async decode(track: VideoTrack, samples: readonly SampleWithData[], targets: readonly EncodedSample[]): Promise<DecodedFrame[]> {
    const { codec, decoderConfigRecord, parameterSets, containerDescribes } = track;
    const request = { codec, decoderConfigRecord, parameterSets, containerDescribes, samples, targets, timeoutMs: this.timeoutMs };
    const direct = await this.sampleDecoder?.decode(request);
    return direct ?? decodeFrames(this.runner, track.buildDecodeInput(samples, targets), this.timeoutMs);
  }

  /** The decode engine: opening and indexing a file (to read its tags, say) never starts one. */
  private get runner(): FFmpegRunner {
    return this.givenRunner ?? sharedRunner();
  }

  /** What has been decoded so far (a snapshot). */
  get decodeStats(): DecodeStats {
    return this.stats;
  }

  /** Releases the source. Frames already extracted stay valid. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.source.close?.();
  }
}

/** Makes a batch item's result from its decoded picture, how to render it and its time. */
type Produce<T> = (raw: RawVideoFrame, render: RenderOptions, timeUs: number) => T | Promise<T>;

/** A frame a query names, in the window it was found in. */
interface Target {
  readonly window: TrackWindow;
  readonly frame: PresentedFrame;
}

/**
 * Identifies a target's sample across a batch, in whichever window it was found: where it is
 * stored and its time in the container are the same in every window (sample indices are each
 * window's own).
 */
function targetKey({ frame }: { readonly frame: PresentedFrame }): string {
  return `${frame.sample.offset}/${frame.sample.cts}`;
}

/** The frame `mode` names for `timeUs` among the frames of `window`; `undefined` when it may lie beyond the window. */
function selectIn(window: TrackWindow, timeUs: number, mode: QueryMode): Promise<PresentedFrame | undefined> {
  return selectFrame(window.timeline, timeUs, mode, (candidate) => window.verifier.isSyncFrame(candidate.sample), window);
}

/** Whether `window` holds the whole track. */
function isWholeTrack(window: TrackWindow): boolean {
  return window.atStart && window.atEnd;
}

/** `frame`, a frame of another window, as presented in `window` (which holds it). */
function sameFrameIn(window: TrackWindow, frame: PresentedFrame): PresentedFrame {
  const found = window.timeline.at(window.timeline.lastAtOrBefore(frame.timeUs));
  if (found.timeUs !== frame.timeUs || found.sample.offset !== frame.sample.offset) {
    throw decodeError(`the frame at ${frame.timeUs} µs is not in the index window that should hold it`);
  }
  return found;
}


/** Targets of one window that start decoding at the same entry point (a sample index of the window). */
interface DecodeGroup {
  readonly window: TrackWindow;
  readonly entry: number;
  readonly frames: PresentedFrame[];
}

/**
 * Lets queued events run (an engine worker's "done", a read completing) before the caller goes
 * on: a macrotask, not a microtask, which would let nothing through. `setImmediate` (Node) or a
 * message to itself, not `setTimeout(0)`: timers wait at least 1 ms in Node and 4 ms once nested
 * in browsers, which a sliced JPEG would pay eight times.
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port1.onmessage = () => {
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}

/** Runs `work`, turning a `StillframeError` it throws into a returned value. */
function settle<T>(work: () => Promise<T>): Promise<T | StillframeError> {
  return work().catch(asFailure);
}

async function indexTrack(source: ByteSource): Promise<VideoTrack | SegmentedTrack> {
  if (source.size === 0) throw unsupported('the source is empty');
  const container = await detectContainer(source);
  switch (container.kind) {
    case 'isobmff':
      return indexMp4(source);
    case 'matroska':
      return openMatroska(source);
    case 'mpegts':
      return indexMpegts(source, container.layout);
    default:
      throw unsupported('the file is not a recognised video container');
  }
}

/** Opens and indexes a video. Rejects with `unsupported` when it holds no decodable video track. */
export function openVideoFile(source: ByteSource, options?: OpenOptions): Promise<VideoFile> {
  return VideoFile.open(source, options);
}
