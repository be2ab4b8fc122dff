/**
 * Shapes shared by the parent (jobs, report) and the children (peers): what a task is asked to
 * do and what it answers. Everything here crosses a process boundary as JSON.
 */

/** The three contestants of the table. */
export type PeerName = 'stillframe' | 'native' | 'naive';

/** A run of still images at given times, as every peer's series task is asked for it. */
export interface SeriesParams {
  /** The video file. */
  readonly input: string;
  /** Times of the images, in seconds. */
  readonly timesS: readonly number[];
  /** Output width; the height keeps the aspect ratio (even, like `scale=W:-2`). Absent: original size. */
  readonly width?: number;
  /** The output size the peer must produce (checked by the naive peer against its raw output). */
  readonly outWidth: number;
  readonly outHeight: number;
  /** JPEG quality on the libjpeg scale (stillframe's encodeJpeg, jpeg-js); the native peer uses {@link qscale} instead. */
  readonly quality: number;
  /** ffmpeg's `-q:v` (mjpeg qscale) standing in for {@link quality} in the native peer. */
  readonly qscale: number;
  /** Scratch directory for output files (native peer). */
  readonly scratchDir: string;
}

/** One image of a series. */
export interface ImageOutcome {
  readonly timeS: number;
  readonly ok: boolean;
  /** Latency of this image alone (setup excluded), ms. */
  readonly ms: number;
  /** JPEG size, bytes (0 when failed). */
  readonly bytes: number;
  /** Why it failed. */
  readonly error?: string;
  /** Peak RSS of the process that made it, MB (native peer: each image is its own process). */
  readonly rssMB?: number;
}

/** What a series task reports. */
export interface SeriesResult {
  readonly peer: PeerName;
  /** The whole task: setup (engine, index, file load) plus every image, ms. */
  readonly wallMs: number;
  /** Setup alone (naive: core instantiation + whole file into MEMFS; warm tasks: the warm-up), ms. */
  readonly setupMs: number;
  /** Per image, when the peer makes them one by one (not GetImages, which batches). */
  readonly images: readonly ImageOutcome[];
  readonly ok: number;
  readonly failed: number;
  /** Distinct failure reasons with their counts, e.g. `{ "ret -1": 1 }`. */
  readonly failures: Readonly<Record<string, number>>;
  /** Total JPEG bytes produced. */
  readonly bytesOut: number;
  /**
   * Peak RSS, MB: of the child process (Node peers, worker threads included), or the largest of
   * the ffmpeg processes (native peer, from GNU time).
   */
  readonly peakRssMB: number | null;
  /** Anything peer-specific worth keeping in the JSON. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The per-image part of a {@link SeriesResult}: the outcomes and their counts, failure reasons and bytes. */
export function outcomeTotals(
  images: readonly ImageOutcome[],
): Pick<SeriesResult, 'images' | 'ok' | 'failed' | 'failures' | 'bytesOut'> {
  const failures: Record<string, number> = {};
  for (const image of images) if (!image.ok) failures[image.error ?? 'unknown'] = (failures[image.error ?? 'unknown'] ?? 0) + 1;
  const ok = images.filter((image) => image.ok).length;
  return { images, ok, failed: images.length - ok, failures, bytesOut: images.reduce((sum, image) => sum + image.bytes, 0) };
}

/**
 * The output height for a width, keeping the aspect ratio and rounding to an even number of
 * lines, as ffmpeg's `scale=W:-2` does (so all peers produce the same size).
 */
export function evenHeightFor(width: number, natural: { width: number; height: number }): number {
  return Math.max(2, 2 * Math.round((width * natural.height) / natural.width / 2));
}
