/** Colour matrix used to turn Y'CbCr into R'G'B'. */
export type ColorMatrix = 'bt601' | 'bt709' | 'bt2020';

/** Whether luma/chroma use the limited (16–235/240) or full (0–255) range. */
export type ColorRange = 'limited' | 'full';

/**
 * A decoded picture exactly as the decoder produced it: planes of the native pixel format,
 * packed the way ffmpeg's `rawvideo` muxer writes them (plane after plane, no row padding,
 * little-endian 16-bit words for formats deeper than 8 bits).
 */
export interface RawVideoFrame {
  /** Coded picture width in pixels (before aspect-ratio correction or rotation). */
  readonly width: number;
  /** Coded picture height in pixels. */
  readonly height: number;
  /** ffmpeg pixel format name, e.g. `yuv420p`, `yuvj420p`, `yuv420p10le`, `gray`, `nv12`, `yuva420p` (with alpha). */
  readonly pixelFormat: string;
  readonly colorRange: ColorRange;
  readonly matrix: ColorMatrix;
  readonly data: Uint8Array;
}
