/**
 * The vocabulary of HarmonyOS Media Kit's thumbnail API (`@ohos.multimedia.media`): query
 * options, output parameters and source descriptors, with the platform's names and values.
 */

/**
 * How the requested time maps to a video frame (`media.AVImageQueryOptions`). The time passed in
 * and the time of the frame actually returned usually differ; this says which frame wins.
 */
export enum AVImageQueryOptions {
  /** The key frame at or after the time (the last key frame when there is none after it). */
  AV_IMAGE_QUERY_NEXT_SYNC = 0,
  /** The key frame at or before the time (the first key frame when there is none before it). */
  AV_IMAGE_QUERY_PREVIOUS_SYNC = 1,
  /** The key frame closest to the time. */
  AV_IMAGE_QUERY_CLOSEST_SYNC = 2,
  /** The frame closest to the time, key frame or not (costs decoding from the previous key frame). */
  AV_IMAGE_QUERY_CLOSEST = 3,
}

/**
 * Pixel layouts a fetched thumbnail can have (`media.PixelFormat`, a system API on HarmonyOS).
 * The values are those of `image.PixelMapFormat`, so either enum can be passed.
 */
export enum PixelFormat {
  /** 16 bits per pixel: 5 bits red, 6 green, 5 blue. */
  RGB_565 = 2,
  /** 32 bits per pixel: red, green, blue, alpha, one byte each. The default. */
  RGBA_8888 = 3,
  /** 24 bits per pixel: red, green, blue, one byte each. */
  RGB_888 = 5,
}

const BYTES_PER_PIXEL: Record<PixelFormat, number> = {
  [PixelFormat.RGB_565]: 2,
  [PixelFormat.RGBA_8888]: 4,
  [PixelFormat.RGB_888]: 3,
};

/** Bytes one pixel takes in `format` (rows are never padded, so the stride is width × this). */
export function bytesPerPixel(format: PixelFormat): number {
  return BYTES_PER_PIXEL[format];
}

/**
 * Output parameters of `fetchFrameByTime` (`media.PixelMapParams`).
 *
 * Each side is honoured only when it is greater than 0 and not larger than that side of the
 * original (upright, as displayed) video; otherwise that side is not scaled and keeps the
 * original length. The sides are independent: setting only `width` does not preserve the
 * aspect ratio (use `fetchScaledFrameByTime` for that).
 */
export interface PixelMapParams {
  /** Thumbnail width in pixels; see the rule above. Fractions are truncated. */
  width?: number;
  /** Thumbnail height in pixels; see the rule above. Fractions are truncated. */
  height?: number;
  /** Pixel layout of the thumbnail. Default `RGBA_8888`. */
  colorFormat?: PixelFormat;
}

/**
 * Output size of `fetchScaledFrameByTime` (`media.OutputSize`). For each side: a value below 0
 * keeps the original length; 0 or no value scales it by the same ratio as the other side; when
 * neither side gives a ratio, the original size is kept. Positive values are used as given,
 * so passing both sides may stretch the picture.
 */
export interface OutputSize {
  /** Output width in pixels; see the rule above. */
  width?: number;
  /** Output height in pixels; see the rule above. */
  height?: number;
}

/**
 * A media file held open by the caller (`media.AVFileDescriptor`), possibly embedded in a larger
 * file (a resource inside an application package).
 *
 * In Node, `fd` is a file descriptor from `fs.open`/`fs.openSync`. It stays the caller's: the
 * generator reads it positionally and never closes it, so close it after `release()`.
 */
export interface AVFileDescriptor {
  /** Open, readable file descriptor of a regular file. */
  fd: number;
  /** Byte offset of the media in the file. Default 0. */
  offset?: number;
  /** Length of the media in bytes. Default: from `offset` to the end of the file. */
  length?: number;
}

/**
 * Media read through an application callback (`media.AVDataSrcDescriptor`).
 *
 * `callback(buffer, length, pos)` must write up to `length` bytes of the media, starting at byte
 * `pos`, into `buffer` from index 0, and return how many it wrote, `-1` at the end of the media,
 * or `-2` for an unrecoverable error. stillframe also accepts a promise of that number, and
 * never calls the callback again before the previous call has finished. A call that has not
 * returned (or settled) within 30 s fails the fetch with 5400103, and so does every read
 * until that call has finished.
 */
export interface AVDataSrcDescriptor {
  /**
   * Size of the media in bytes. HarmonyOS's `-1` (size unknown: a live stream, which cannot be
   * seeked) is refused with 401. `0` is empty media, reported like empty bytes or an empty
   * file: 5400106.
   */
  fileSize: number;
  /** Supplies the bytes; see above. */
  callback: (buffer: ArrayBuffer, length: number, pos?: number) => number | Promise<number>;
}
