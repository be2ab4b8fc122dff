/**
 * Encoding thumbnails to JPEG or PNG: HarmonyOS's `image.ImagePacker`, for the PixelMaps an
 * `AVImageGenerator` returns.
 */
import { encodeJpeg, encodePng } from '../image/encode.js';
import { settle, type AsyncCallback } from './async-callback.js';
import { parameterError } from './business-error.js';
import type { PackingOption } from './image-types.js';
import { PixelMap, pixelMapContents } from './pixel-map.js';
import { pixelsToRgba } from './pixels-to-rgba.js';

const SUPPORTED_FORMATS = ['image/jpeg', 'image/png'] as const;

/**
 * An image encoder (`image.ImagePacker`), made by `image.createImagePacker()`. Encodes JPEG and
 * PNG; other formats HarmonyOS offers (WebP, HEIF) are refused with 401.
 */
export class ImagePacker {
  /** Formats `packToData` accepts. */
  readonly supportedFormats: string[] = [...SUPPORTED_FORMATS];
  #released = false;

  /**
   * Encodes `source` as `options.format`.
   *
   * `options.quality` (0–100) sets JPEG quality; the encoder's lowest quality is 1, so 0 is
   * encoded as 1. PNG is lossless and ignores it, but it must still be in range, as on
   * HarmonyOS. Pixels in RGB_565 or RGB_888 are widened back to RGBA before encoding. RGBA_8888
   * pixels are encoded straight (unpremultiplied, also when the PixelMap reports `PREMUL`): PNG
   * keeps their alpha (RGBA, colour type 6); JPEG has none and shows the colour alone.
   *
   * Fails with 401 when `source` is not a PixelMap or was released (as HarmonyOS documents for
   * a PixelMap released too early), when the options are malformed or name another format,
   * and once this packer is released.
   *
   * @returns The encoded file, in an ArrayBuffer of exactly its size.
   */
  packToData(source: PixelMap, options: PackingOption): Promise<ArrayBuffer> {
    return settle(async () => this.#pack(source, options), undefined)!;
  }

  /**
   * The name of `packToData` before API 13 (HarmonyOS keeps it as deprecated).
   * @deprecated Use {@link ImagePacker.packToData}.
   */
  packing(source: PixelMap, options: PackingOption): Promise<ArrayBuffer>;
  /**
   * Callback form of the deprecated `packing`.
   * @deprecated Use {@link ImagePacker.packToData}.
   */
  packing(source: PixelMap, options: PackingOption, callback: AsyncCallback<ArrayBuffer>): void;
  packing(source: PixelMap, options: PackingOption, callback?: AsyncCallback<ArrayBuffer>): Promise<ArrayBuffer> | void {
    return settle(async () => this.#pack(source, options), callback);
  }

  /** Releases the packer; later packing fails with 401. */
  release(): Promise<void>;
  /** Releases the packer, then calls `callback`. */
  release(callback: AsyncCallback<void>): void;
  release(callback?: AsyncCallback<void>): Promise<void> | void {
    this.#released = true;
    return settle(async () => undefined, callback);
  }

  #pack(source: PixelMap, options: PackingOption): ArrayBuffer {
    if (this.#released) throw parameterError('the ImagePacker has been released');
    if (!(source instanceof PixelMap)) throw parameterError('source must be a PixelMap');
    const contents = pixelMapContents(source);
    if (!contents) throw parameterError('the PixelMap has been released');
    if (typeof options !== 'object' || options === null) {
      throw parameterError('options must be a PackingOption { format, quality }');
    }
    const { format, quality } = options;
    if (!SUPPORTED_FORMATS.includes(format as (typeof SUPPORTED_FORMATS)[number])) {
      throw parameterError(`format ${JSON.stringify(format)} is not supported; use ${SUPPORTED_FORMATS.join(' or ')}`);
    }
    if (typeof quality !== 'number' || !Number.isFinite(quality) || quality < 0 || quality > 100) {
      throw parameterError(`quality must be a number from 0 to 100, got ${String(quality)}`);
    }
    const rgba = pixelsToRgba(contents.data, contents.width, contents.height, contents.format);
    const encoded =
      format === 'image/jpeg' ? encodeJpeg(rgba, Math.max(1, Math.trunc(quality))) : encodePng(rgba);
    // A view may sit inside a larger buffer; the caller gets exactly the file's bytes.
    return encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength
      ? (encoded.buffer as ArrayBuffer)
      : (encoded.slice().buffer as ArrayBuffer);
  }
}

/** Creates an image encoder (`image.createImagePacker()`). */
export function createImagePacker(): ImagePacker {
  return new ImagePacker();
}
