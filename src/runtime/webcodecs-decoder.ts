/**
 * Decoding through the browser's own decoder (WebCodecs `VideoDecoder`) instead of ffmpeg.wasm.
 *
 * Only where the result is the same frame, byte for byte, as ffmpeg's: H.264, whose decoding the
 * standard defines bit-exactly, with a software decoder (`hardwareAcceleration: 'prefer-software'`;
 * Chromium's is ffmpeg's own H.264 decoder), frame-coded 8-bit 4:2:0. Colour (matrix, range) and
 * pixel aspect come from the SPS as ffmpeg reads them, not from the browser's `VideoFrame`, which
 * guesses where the stream is silent; the container's pixel aspect (`pasp`) wins, as in ffmpeg,
 * and a track whose container describes colour (`colr`) the SPS does not is left to ffmpeg. Any other run is declined and goes to ffmpeg.wasm, and so
 * is a run in which the decoder does not deliver every target. The cross-runtime conformance
 * suite compares the bytes with Node's.
 */
import { H264_NAL, h264NalType, parseH264Sps } from '../codec/h264-headers.js';
import type { EncodedSample, SampleWithData } from '../demux/video-track.js';
import type { DecodedFrame } from '../engine/frame-decoder.js';
import type { SampleDecodeRequest, SampleDecoder } from '../engine/sample-decoder.js';
import { isStillframeError, timeoutError } from '../errors.js';
import type { ColorMatrix } from '../image/raw-frame.js';

/** A WebCodecs decoder for H.264, or `undefined` where the runtime has no `VideoDecoder`. */
export function createWebCodecsDecoder(): SampleDecoder | undefined {
  if (typeof VideoDecoder === 'undefined' || typeof EncodedVideoChunk === 'undefined') return undefined;
  const supported = new Map<string, Promise<boolean>>();
  const isSupported = (config: VideoDecoderConfig) => {
    let answer = supported.get(config.codec);
    if (!answer) {
      answer = VideoDecoder.isConfigSupported(config).then((support) => support.supported === true, () => false);
      supported.set(config.codec, answer);
    }
    return answer;
  };
  return {
    async decode(request) {
      const config = decoderConfig(request);
      const picture = config && pictureDescription(request);
      if (!config || !picture || !(await isSupported(config))) return undefined;
      return decodeRun(config, picture, request);
    },
  };
}

/** How ffmpeg describes the decoded picture: what the frames returned carry. */
interface PictureDescription {
  readonly fullRange: boolean;
  readonly matrix: ColorMatrix;
  readonly sampleAspectRatio: { readonly num: number; readonly den: number };
}

/**
 * The picture description ffmpeg derives from the track's (single) SPS; `undefined` when it
 * cannot be told: several or unreadable SPSs, field coding, or a container colour description
 * that ffmpeg would weigh against a silent SPS.
 */
function pictureDescription(request: SampleDecodeRequest): PictureDescription | undefined {
  const spsUnits = request.parameterSets.filter((nal) => h264NalType(nal) === H264_NAL.sps);
  const sps = spsUnits.length === 1 ? parseH264Sps(spsUnits[0]!) : undefined;
  const container = request.containerDescribes;
  if (!sps || !sps.frameMbsOnly || !container) return undefined;
  const { vui } = sps;
  if (container.colour && vui?.matrixCoefficients === undefined) return undefined;
  return {
    fullRange: vui?.fullRange ?? false,
    matrix: matrixOf(vui?.matrixCoefficients),
    // ffmpeg takes the container's pixel aspect over the bitstream's.
    sampleAspectRatio: container.sampleAspectRatio ?? vui?.sampleAspectRatio ?? { num: 1, den: 1 },
  };
}

/** ffmpeg's matrix for matrix_coefficients (Table E-5; unspecified and the rest: BT.601, as in the ffmpeg path). */
function matrixOf(matrixCoefficients: number | undefined): ColorMatrix {
  if (matrixCoefficients === 1 || matrixCoefficients === 7) return 'bt709';
  if (matrixCoefficients === 9 || matrixCoefficients === 10) return 'bt2020';
  return 'bt601';
}

/** The decoder configuration for an H.264 track with an `avcC` record; `undefined` otherwise. */
function decoderConfig(request: SampleDecodeRequest): VideoDecoderConfig | undefined {
  const record = request.decoderConfigRecord;
  if (request.codec !== 'h264' || !record || record.length < 4) return undefined;
  const hex = (byte: number) => byte.toString(16).padStart(2, '0');
  return {
    codec: `avc1.${hex(record[1]!)}${hex(record[2]!)}${hex(record[3]!)}`,
    description: record,
    hardwareAcceleration: 'prefer-software',
    optimizeForLatency: true,
  };
}

/** Decodes the run; the target frames, or `undefined` if one is missing or not plain 4:2:0. */
async function decodeRun(config: VideoDecoderConfig, picture: PictureDescription, request: SampleDecodeRequest): Promise<DecodedFrame[] | undefined> {
  const wanted = new Map(request.targets.map((target) => [target.cts, target]));
  const frames = new Map<number, Promise<DecodedFrame | undefined>>();
  let failure: unknown;
  const decoder = new VideoDecoder({
    output(frame) {
      if (wanted.has(frame.timestamp) && !frames.has(frame.timestamp)) frames.set(frame.timestamp, toDecodedFrame(frame, picture));
      else frame.close();
    },
    error(error) {
      failure = error;
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(`WebCodecs did not finish decoding within ${request.timeoutMs} ms`)), request.timeoutMs);
  });
  try {
    decoder.configure(config);
    request.samples.forEach((item, i) => decoder.decode(chunk(item, i === 0)));
    await Promise.race([decoder.flush(), timedOut]);
  } catch (error) {
    if (failure === undefined && isStillframeError(error, 'timeout')) throw error;
    return undefined; // the decoder refused the data: let ffmpeg decode it (and report its errors)
  } finally {
    clearTimeout(timer);
    if (decoder.state !== 'closed') decoder.close();
  }
  if (failure !== undefined) return undefined;
  const decoded = await Promise.all(request.targets.map((target: EncodedSample) => frames.get(target.cts)));
  return decoded.every((frame) => frame !== undefined) ? (decoded as DecodedFrame[]) : undefined;
}

/** One sample as a chunk, stamped with its composition time (in track ticks: only matched, never scaled). */
function chunk({ sample, data }: SampleWithData, isKey: boolean): EncodedVideoChunk {
  return new EncodedVideoChunk({ type: isKey ? 'key' : 'delta', timestamp: sample.cts, duration: sample.duration, data });
}

/**
 * The frame's visible pixels in ffmpeg's raw layout (Y, then U, then V, rows packed; `yuvj420p`
 * for full range, as ffmpeg names it), described as ffmpeg describes it; `undefined` for
 * anything but 8-bit 4:2:0.
 */
async function toDecodedFrame(frame: VideoFrame, picture: PictureDescription): Promise<DecodedFrame | undefined> {
  try {
    const rect = frame.visibleRect;
    if (frame.format !== 'I420' || !rect) return undefined;
    const { width, height } = rect;
    const chromaWidth = Math.ceil(width / 2);
    const chromaHeight = Math.ceil(height / 2);
    const data = new Uint8Array(width * height + 2 * chromaWidth * chromaHeight);
    await frame.copyTo(data, {
      layout: [
        { offset: 0, stride: width },
        { offset: width * height, stride: chromaWidth },
        { offset: width * height + chromaWidth * chromaHeight, stride: chromaWidth },
      ],
    });
    const pixelFormat = picture.fullRange ? 'yuvj420p' : 'yuv420p';
    return {
      frame: { width, height, pixelFormat, colorRange: picture.fullRange ? 'full' : 'limited', matrix: picture.matrix, data },
      sampleAspectRatio: picture.sampleAspectRatio,
    };
  } finally {
    frame.close();
  }
}
