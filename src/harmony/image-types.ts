/**
 * The vocabulary of HarmonyOS Image Kit (`@ohos.multimedia.image`) that thumbnails need: pixel
 * formats, alpha types, image information and encoding options, with the platform's values.
 */

/** Pixel formats of a `PixelMap` (`image.PixelMapFormat`), with the platform's values. */
export enum PixelMapFormat {
  /** Unknown format. */
  UNKNOWN = 0,
  /** 16 bits per pixel: red 5 bits, green 6, blue 5. */
  RGB_565 = 2,
  /** 32 bits per pixel: red, green, blue, alpha. */
  RGBA_8888 = 3,
  /** 32 bits per pixel: blue, green, red, alpha. */
  BGRA_8888 = 4,
  /** 24 bits per pixel: red, green, blue. */
  RGB_888 = 5,
  /** 8 bits per pixel, alpha only. */
  ALPHA_8 = 6,
  /** 64 bits per pixel: red, green, blue, alpha as half floats. */
  RGBA_F16 = 7,
  /** YUV 4:2:0, Y plane then interleaved V/U. */
  NV21 = 8,
  /** YUV 4:2:0, Y plane then interleaved U/V. */
  NV12 = 9,
  /** 32 bits per pixel: 10-bit red, green, blue and 2-bit alpha. */
  RGBA_1010102 = 10,
  /** 10-bit YUV 4:2:0, Y plane then interleaved Cb/Cr, 16 bits per sample. */
  YCBCR_P010 = 11,
  /** 10-bit YUV 4:2:0, Y plane then interleaved Cr/Cb, 16 bits per sample. */
  YCRCB_P010 = 12,
  /** ASTC 4×4 compressed, for display only. */
  ASTC_4x4 = 102,
}

/** How a picture's alpha channel is to be read (`image.AlphaType`). */
export enum AlphaType {
  /** Unknown. */
  UNKNOWN = 0,
  /** No alpha, or fully opaque: every video frame without an alpha plane. */
  OPAQUE = 1,
  /** Colour premultiplied by alpha: RGBA_8888 frames with transparent pixels (VP9 with alpha). */
  PREMUL = 2,
  /** Colour not premultiplied by alpha. */
  UNPREMUL = 3,
}

/** A width and a height in pixels (`image.Size`). */
export interface Size {
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
}

/** What `PixelMap.getImageInfo()` reports (`image.ImageInfo`). */
export interface ImageInfo {
  /** Size of the picture in pixels. */
  size: Size;
  /** Pixel density in ppi; 0 when unknown, as for video frames. */
  density: number;
  /** Bytes per row of pixels. Rows are never padded here, so this is width × bytes per pixel. */
  stride: number;
  /** How the pixels are laid out. */
  pixelFormat: PixelMapFormat;
  /** How the alpha channel is to be read: `OPAQUE`, or `PREMUL` for RGBA_8888 with transparent pixels. */
  alphaType: AlphaType;
  /** MIME type of the encoded image the pixels came from; empty for decoded video frames. */
  mimeType: string;
  /** Whether the picture is HDR; thumbnails are always SDR. */
  isHdr: boolean;
}

/** Encoding options of `ImagePacker.packToData` (`image.PackingOption`). */
export interface PackingOption {
  /** Target format. stillframe encodes `'image/jpeg'` and `'image/png'`. */
  format: string;
  /**
   * Quality 0–100 (higher is better and larger). Used by JPEG only, but must be in range for
   * every format, as on HarmonyOS. JPEG quality 0 is encoded as 1, the lowest the encoder takes.
   */
  quality: number;
  /** Size of the buffer for the encoded data on HarmonyOS. Accepted and ignored: the result is exactly as large as needed. */
  bufferSize?: number;
}
