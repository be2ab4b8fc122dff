/**
 * The container-neutral model of a video track: what every demuxer (MP4 now; Matroska and
 * MPEG-TS later) produces and everything after it (seek, plan, decode) consumes.
 */
import type { SampleList } from './sample-list.js';

/** Video codecs the index recognises. Only some of them are decodable by the engine. */
export type VideoCodec = 'h264' | 'hevc' | 'vp8' | 'vp9' | 'av1' | 'mpeg4' | 'mjpeg' | 'prores' | 'unknown';

/** One coded sample (access unit), in the track's timescale ticks. */
export interface EncodedSample {
  /** Position in decode order, 0-based. */
  readonly index: number;
  /** Decode timestamp. */
  readonly dts: number;
  /** Composition (presentation) timestamp before edit lists. */
  readonly cts: number;
  readonly duration: number;
  /** Absolute byte offset in the source. */
  readonly offset: number;
  readonly size: number;
  /** What the container claims; verified against the bitstream before it is trusted. */
  readonly labeledSync: boolean;
}

/**
 * One entry of the presentation timeline (an edit list segment). `mediaTime` is where the
 * segment starts in media ticks, or `null` for an empty edit (a pause of `duration`).
 */
export interface EditSegment {
  readonly mediaTime: number | null;
  /** Segment length in media ticks; `Infinity` for "to the end of the media". */
  readonly duration: number;
}

/** Clockwise rotation a player applies to show the picture upright. */
export type Rotation = 0 | 90 | 180 | 270;

/** What a container says of the picture besides the bitstream (see `VideoTrack.containerDescribes`). */
export interface ContainerPictureInfo {
  /** A colour description is present (MP4 `colr`). */
  readonly colour: boolean;
  /** The pixel aspect ratio it gives (MP4 `pasp`), when it gives a valid one. */
  readonly sampleAspectRatio: { readonly num: number; readonly den: number } | undefined;
}

/** What a sample holds for the decoder: its coded frame, and the frame's alpha plane if coded apart. */
export interface SamplePayload {
  /** The coded frame (for H.264/HEVC, length-prefixed or Annex-B NAL units). */
  readonly data: Uint8Array;
  /**
   * A second bitstream coding the frame's alpha plane, when the container stores one beside
   * the frame (WebM VP9 alpha: the block's `BlockAdditional` with ID 1).
   */
  readonly alphaData?: Uint8Array;
}

/** A sample to put into a decode input, with its payload. */
export interface SampleWithData extends SamplePayload {
  readonly sample: EncodedSample;
}

/** A self-contained file the decode engine can read, holding just the given samples. */
export interface DecodeInput {
  /** File name with the extension ffmpeg should probe by. */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** Presentation timestamp of each target inside `bytes`, in the input's own ticks, in the targets' order. */
  readonly targetPts: readonly number[];
  /**
   * The ffmpeg decoder to use instead of the codec's default: `libvpx-vp9` for VP9 with an alpha
   * plane, which ffmpeg's own VP9 decoder leaves out.
   */
  readonly decoder?: string;
}

/** An indexed video track, ready for seeking and decoding. */
export interface VideoTrack {
  readonly codec: VideoCodec;
  /** The container's codec string, e.g. `avc1.64001f` — used in error messages. */
  readonly codecString: string;
  readonly timescale: number;
  readonly codedWidth: number;
  readonly codedHeight: number;
  readonly rotation: Rotation;
  /** Samples in decode order. */
  readonly samples: SampleList;
  /** Presentation edits; an empty list means "present every sample at its composition time". */
  readonly edits: readonly EditSegment[];
  /** Size of the NAL length prefix (H.264/HEVC), needed to read the bitstream. */
  readonly nalLengthSize: number;
  /** H.264/HEVC: the parameter sets of the decoder configuration record (SPS, PPS, …), header byte included. */
  readonly parameterSets: readonly Uint8Array[];
  /**
   * H.264/HEVC with length-prefixed samples: the decoder configuration record as stored (`avcC` /
   * `hvcC` payload), what a decoder outside ffmpeg (WebCodecs) is configured with.
   */
  readonly decoderConfigRecord?: Uint8Array;
  /**
   * What the container itself says of the picture (MP4: `colr` and `pasp` boxes). ffmpeg prefers
   * the container's pixel aspect ratio to the bitstream's, and takes its colour where the
   * bitstream is silent; a decoder outside ffmpeg must know what these say.
   */
  readonly containerDescribes?: ContainerPictureInfo;
  /**
   * HEVC: the highest TemporalId the stream may use, when its decoder configuration says;
   * without it no sub-layer non-reference picture is taken as unreferenced.
   */
  readonly maxTemporalId?: number;
  /**
   * The file's metadata tags by name (Matroska: each `SimpleTag`'s TagName and TagString, the
   * first of a name winning), when the container has any and its demuxer reads them.
   */
  readonly tags?: ReadonlyMap<string, string>;
  /**
   * Turns the bytes stored at a sample's `offset`/`size` into its payload, for containers that
   * do not store a frame as one plain byte range (MPEG-TS packets, a Matroska BlockGroup with
   * additions). Absent: the stored bytes are the coded frame.
   */
  readonly unpackSample?: (stored: Uint8Array, sample: EncodedSample) => SamplePayload;
  /**
   * Wraps samples (entry sync sample first, decode order) into a file the engine decodes,
   * in which each of `targets` keeps a known presentation timestamp.
   */
  buildDecodeInput(samples: readonly SampleWithData[], targets: readonly EncodedSample[]): DecodeInput;
}

/**
 * A track indexed a stretch at a time, as its container allows (a Matroska file with `Cues`):
 * the segments its index names, each starting where decoding can start, and the samples of a
 * run of segments read on demand. A query then reads the index of the segments around it only,
 * as an MP4's `moov` lets it read only the samples it needs.
 */
export interface SegmentedTrack {
  /** When each segment's first entry point is presented, in microseconds, increasing; at least two. */
  readonly segmentStartsUs: readonly number[];
  /** The track of segments `first` to `last` (inclusive), their samples indexed now. */
  indexSegments(first: number, last: number): Promise<VideoTrack>;
}
