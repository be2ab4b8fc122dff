/**
 * The Kinesis Video Streams Archived Media facade (`GetImages`), runtime-neutral. The Node-only
 * catalog file loader lives in `./catalog-file.ts` and is exported by the Node entry point.
 */
export { KinesisVideoArchivedMedia, type KinesisVideoArchivedMediaOptions } from './archived-media.js';
export {
  resolveCatalog,
  ResolvedCatalog,
  type ByteSourceFactory,
  type Catalog,
  type CatalogFragment,
  type CatalogStream,
  type FragmentEntry,
  type StreamEntry,
} from './catalog.js';
export {
  ClientLimitExceededException,
  InvalidArgumentException,
  isKinesisVideoArchivedMediaError,
  KinesisVideoArchivedMediaError,
  NoDataRetentionException,
  NotAuthorizedException,
  ResourceNotFoundException,
  ValidationException,
  type KinesisVideoArchivedMediaErrorName,
} from './errors.js';
export type {
  Format,
  FormatConfigKey,
  GetImagesCommandOutput,
  GetImagesInput,
  GetImagesOutput,
  Image,
  ImageError,
  ImageSelectorType,
  ResponseMetadata,
} from './get-images-types.js';
export { registerPathSourceOpener, type SourceOpener } from './source-opener.js';
export { KINESIS_FRAGMENT_TAGS, kinesisTimestampMs, withFragmentTagTimes, type FragmentTagTimesOptions } from './fragment-tags.js';
export { MAX_IMAGE_CONTENT_CHARS } from './image-content.js';
