/**
 * The thumbnail a fetch returns: HarmonyOS's `image.PixelMap`, read-only, holding the frame's
 * pixels in the format the caller asked for.
 */
import { premultiplyAlpha, rgbaToRgb565, rgbaToRgb888 } from '../image/pixel-formats.js';
import { hasTransparency, type RgbaImage } from '../image/rgba-image.js';
import { settle, type AsyncCallback } from './async-callback.js';
import { BusinessError, parameterError } from './business-error.js';
import { AlphaType, type ImageInfo, type PixelMapFormat } from './image-types.js';
import { bytesPerPixel, PixelFormat } from './media-types.js';

/**
 * Image Kit's "Resource Unavailable" (501), which HarmonyOS's PixelMap methods report once the
 * pixels are gone (`getImageInfoSync`, `readPixelsToBufferSync`).
 */
export const RESOURCE_UNAVAILABLE = 501;

/** Keeps the constructor out of reach: PixelMaps come from fetches, as on HarmonyOS. */
const CREATE = Symbol('create PixelMap');

/**
 * The pixels behind a live PixelMap, for the image packer. RGBA_8888 pixels are straight (not
 * premultiplied) even when the PixelMap reports `PREMUL` (see {@link createPixelMap}).
 */
export interface PixelMapContents {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
}

let contentsOf: (pixelMap: PixelMap) => PixelMapContents | undefined;

/**
 * A decoded thumbnail (`image.PixelMap`). Rows are stored top to bottom without padding, so the
 * stride is always width × bytes per pixel. It cannot be edited (`isEditable` is false).
 *
 * Call {@link PixelMap.release} when done to drop the pixels early; afterwards reads fail with
 * error 501 (Resource Unavailable) and the byte counts read 0.
 */
export class PixelMap {
  /** Always false: thumbnails are read-only. */
  readonly isEditable: boolean = false;
  /** Always false: rows are never padded for alignment. */
  readonly isStrideAlignment: boolean = false;
  /**
   * Presentation time, in microseconds, of the frame this picture shows (stillframe extension;
   * HarmonyOS does not say which frame a query mode picked).
   */
  readonly frameTimeUs: number;
  readonly #width: number;
  readonly #height: number;
  readonly #format: PixelFormat;
  readonly #alphaType: AlphaType;
  #data: Uint8Array | undefined;

  /** @internal PixelMaps are created by `AVImageGenerator` fetches. */
  constructor(
    token: typeof CREATE,
    data: Uint8Array,
    width: number,
    height: number,
    format: PixelFormat,
    alphaType: AlphaType,
    frameTimeUs: number,
  ) {
    if (token !== CREATE) throw new TypeError('PixelMap cannot be constructed directly; fetch one from an AVImageGenerator');
    this.#data = data;
    this.#width = width;
    this.#height = height;
    this.#format = format;
    this.#alphaType = alphaType;
    this.frameTimeUs = frameTimeUs;
  }

  static {
    contentsOf = (pixelMap) =>
      pixelMap.#data && { data: pixelMap.#data, width: pixelMap.#width, height: pixelMap.#height, format: pixelMap.#format };
  }

  /** Image information (size, stride, format…). Fails with 501 after release. */
  getImageInfo(): Promise<ImageInfo>;
  /** Image information, delivered to `callback`. */
  getImageInfo(callback: AsyncCallback<ImageInfo>): void;
  getImageInfo(callback?: AsyncCallback<ImageInfo>): Promise<ImageInfo> | void {
    return settle(async () => this.getImageInfoSync(), callback);
  }

  /**
   * Image information, synchronously.
   * @throws BusinessError 501 after release.
   */
  getImageInfoSync(): ImageInfo {
    this.#live();
    return {
      size: { width: this.#width, height: this.#height },
      density: 0,
      stride: this.getBytesNumberPerRow(),
      pixelFormat: this.#format as number as PixelMapFormat,
      alphaType: this.#alphaType,
      mimeType: '',
      isHdr: false,
    };
  }

  /**
   * Bytes per row of pixels (width × bytes per pixel). 0 after release, where HarmonyOS returns
   * no value at all; 0 keeps the declared number type.
   */
  getBytesNumberPerRow(): number {
    return this.#data ? this.#width * bytesPerPixel(this.#format) : 0;
  }

  /** Bytes of all pixels: the buffer size `readPixelsToBuffer` needs. 0 after release. */
  getPixelBytesNumber(): number {
    return this.#data ? this.#data.byteLength : 0;
  }

  /** Pixel density in ppi: 0, unknown, for video frames. */
  getDensity(): number {
    return 0;
  }

  /**
   * Copies all pixels, in the PixelMap's format, to the start of `dst`; colour premultiplied by
   * alpha when the image information says `PREMUL`.
   * Fails with 401 when `dst` is not an ArrayBuffer of at least `getPixelBytesNumber()` bytes,
   * and with 501 after release.
   */
  readPixelsToBuffer(dst: ArrayBuffer): Promise<void>;
  /** Copies all pixels to `dst`, then calls `callback`. */
  readPixelsToBuffer(dst: ArrayBuffer, callback: AsyncCallback<void>): void;
  readPixelsToBuffer(dst: ArrayBuffer, callback?: AsyncCallback<void>): Promise<void> | void {
    return settle(async () => this.readPixelsToBufferSync(dst), callback);
  }

  /**
   * Copies all pixels to `dst`, synchronously.
   * @throws BusinessError 401 when `dst` is not an ArrayBuffer or is too small; 501 after release.
   */
  readPixelsToBufferSync(dst: ArrayBuffer): void {
    const data = this.#live();
    if (!(dst instanceof ArrayBuffer)) throw parameterError('dst must be an ArrayBuffer');
    if (dst.byteLength < data.byteLength) {
      throw parameterError(`dst holds ${dst.byteLength} bytes but the pixels need ${data.byteLength}`);
    }
    const out = new Uint8Array(dst, 0, data.byteLength);
    if (this.#alphaType === AlphaType.PREMUL) premultiplyAlpha({ width: this.#width, height: this.#height, data }, out);
    else out.set(data);
  }

  /** Drops the pixels. Releasing again does nothing. */
  release(): Promise<void>;
  /** Drops the pixels, then calls `callback`. */
  release(callback: AsyncCallback<void>): void;
  release(callback?: AsyncCallback<void>): Promise<void> | void {
    // Dropped right away, not in the async work, so that the pixels are gone as soon as
    // release() returns, as the caller would expect.
    this.#data = undefined;
    return settle(async () => undefined, callback);
  }

  #live(): Uint8Array {
    if (!this.#data) throw new BusinessError(RESOURCE_UNAVAILABLE, 'Resource Unavailable: the PixelMap has been released');
    return this.#data;
  }
}

/**
 * Creates the PixelMap for an extracted RGBA frame, converting it to `format`.
 *
 * RGBA_8888 keeps the frame's alpha. A frame with transparent pixels (VP9 with alpha) reports
 * `PREMUL` and reads out premultiplied, because that is what HarmonyOS hands out for decoded
 * pictures with alpha: its decoders' default `desireAlphaType` is PREMUL (image_framework's
 * `PixelDecodeOptions`), as is the default of `InitializationOptions.alphaType`, so code that
 * processes `readPixelsToBuffer` bytes expects premultiplied colour. The straight pixels are
 * what the PixelMap keeps (premultiplying on each read), so that `ImagePacker` encodes a PNG
 * without the precision premultiplying loses at low alpha — the PNG HarmonyOS's packer means
 * to write when it unpremultiplies before encoding, and the same PNG the core API gives. Frames
 * without transparency report `OPAQUE`, where both readings agree. RGB_888 and RGB_565 drop
 * alpha and are `OPAQUE`.
 */
export function createPixelMap(frame: RgbaImage, format: PixelFormat, frameTimeUs: number): PixelMap {
  let data: Uint8Array;
  let alphaType = AlphaType.OPAQUE;
  switch (format) {
    case PixelFormat.RGBA_8888:
      data = frame.data;
      if (hasTransparency(frame)) alphaType = AlphaType.PREMUL;
      break;
    case PixelFormat.RGB_888:
      data = rgbaToRgb888(frame);
      break;
    case PixelFormat.RGB_565:
      data = rgbaToRgb565(frame);
      break;
  }
  return new PixelMap(CREATE, data, frame.width, frame.height, format, alphaType, frameTimeUs);
}

/** The pixels of a PixelMap, or undefined once it is released. */
export function pixelMapContents(pixelMap: PixelMap): PixelMapContents | undefined {
  return contentsOf(pixelMap);
}
