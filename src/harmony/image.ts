/**
 * The `image` namespace of HarmonyOS Image Kit (`import { image } from '@kit.ImageKit'`), as
 * far as thumbnails go: `PixelMap`, its formats and information, and `ImagePacker` to encode
 * it. Like `media`, a frozen object for the values plus a type-only namespace of the same name.
 */
import { AlphaType, PixelMapFormat, type ImageInfo, type PackingOption, type Size } from './image-types.js';
import { createImagePacker, type ImagePacker } from './image-packer.js';
import type { PixelMap } from './pixel-map.js';

// Named aliases for the namespace's types below: a declaration bundler would turn
// `type X = X` re-exports through import renames into self-references.
type PixelMapClass = PixelMap;
type ImagePackerClass = ImagePacker;
type PixelMapFormatEnum = PixelMapFormat;
type AlphaTypeEnum = AlphaType;
type ImageInfoType = ImageInfo;
type SizeType = Size;
type PackingOptionType = PackingOption;

/** HarmonyOS Image Kit's `image` namespace: pixel maps and encoding. */
export const image = Object.freeze({
  createImagePacker,
  PixelMapFormat,
  AlphaType,
});

/** Types of the `image` namespace, named as in `@ohos.multimedia.image`. */
export declare namespace image {
  /** See {@link PixelMapClass}. */
  export type PixelMap = PixelMapClass;
  /** See {@link ImagePackerClass}. */
  export type ImagePacker = ImagePackerClass;
  /** See {@link PixelMapFormatEnum}. */
  export type PixelMapFormat = PixelMapFormatEnum;
  /** See {@link AlphaTypeEnum}. */
  export type AlphaType = AlphaTypeEnum;
  /** See {@link ImageInfoType}. */
  export type ImageInfo = ImageInfoType;
  /** See {@link SizeType}. */
  export type Size = SizeType;
  /** See {@link PackingOptionType}. */
  export type PackingOption = PackingOptionType;
}
