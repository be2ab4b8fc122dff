/**
 * The runtime-neutral public surface of the core: open a source, extract frames, encode them.
 * Runtime entry points (`index.ts` for Node) re-export this after registering their engine.
 */
export { openVideoFile, VideoFile } from './video-file.js';
export type { DecodeStats, ExtractFrameOptions, ExtractedFrame, ExtractedJpeg, OpenOptions, QueryMode, Size, VideoInfo } from './video-file.js';
export { StillframeError, isStillframeError } from './errors.js';
export type { StillframeErrorKind } from './errors.js';
export type { ByteSource } from './sources/byte-source.js';
export { memorySource } from './sources/memory-source.js';
export { blobSource } from './sources/blob-source.js';
export { httpSource } from './sources/http-source.js';
export { callbackSource, type CallbackSourceOptions, type DataSourceCallback, type DataSourceDescriptor } from './sources/callback-source.js';
export { encodeJpeg, encodePng, type JpegEncodeOptions, type JpegSubsampling } from './image/encode.js';
export type { RgbaImage } from './image/rgba-image.js';
export type { FFmpegJob, FFmpegResult, FFmpegRunner } from './engine/ffmpeg-runner.js';
export { closeSharedRunner, registerRunnerFactory } from './engine/shared-runner.js';
export type { VideoCodec, Rotation } from './demux/video-track.js';
