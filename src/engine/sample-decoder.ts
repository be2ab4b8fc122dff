/**
 * A decoder that takes samples directly, beside the ffmpeg engine: where a runtime has a decoder
 * of its own for a codec (WebCodecs in browsers), the core hands it the run it planned; whatever
 * it declines goes to ffmpeg.wasm.
 */
import type { ContainerPictureInfo, EncodedSample, SampleWithData, VideoCodec } from '../demux/video-track.js';
import type { DecodedFrame } from './frame-decoder.js';

/** One planned decode run: the samples (entry point first, decode order) and the frames wanted. */
export interface SampleDecodeRequest {
  readonly codec: VideoCodec;
  /** The track's `avcC`/`hvcC` payload, when its samples are length-prefixed. */
  readonly decoderConfigRecord: Uint8Array | undefined;
  /** H.264/HEVC: the record's parameter sets (SPS, PPS, …), header byte included. */
  readonly parameterSets: readonly Uint8Array[];
  /** What the container says of the picture besides the bitstream (see `VideoTrack.containerDescribes`). */
  readonly containerDescribes: ContainerPictureInfo | undefined;
  readonly samples: readonly SampleWithData[];
  /** The targets, by their samples; frames come back in this order. */
  readonly targets: readonly EncodedSample[];
  readonly timeoutMs: number;
}

/** Decodes sample runs, or declines them. */
export interface SampleDecoder {
  /**
   * The target frames, in the order of `request.targets`, in the decoder's native pixel format;
   * `undefined` when this decoder cannot decode the run exactly as ffmpeg would (codec or
   * configuration not supported, a target it did not deliver), so that ffmpeg decodes it instead.
   * Rejects with a `StillframeError` of kind `timeout` past `request.timeoutMs`.
   */
  decode(request: SampleDecodeRequest): Promise<DecodedFrame[] | undefined>;
}

let registered: SampleDecoder | undefined;

/** Registers this runtime's sample decoder (the browser entry registers WebCodecs where present). */
export function registerSampleDecoder(decoder: SampleDecoder | undefined): void {
  registered = decoder;
}

/** The registered sample decoder, if any. */
export function sharedSampleDecoder(): SampleDecoder | undefined {
  return registered;
}
