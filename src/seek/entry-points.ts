/**
 * Which samples are true decode entry points. Containers mislabel them (a "sync" sample that is
 * an open-GOP I-frame, or every sample marked sync), so a label is only a candidate until the
 * bitstream confirms it: IDR for H.264, IRAP (IDR/CRA/BLA) for HEVC, the key-frame flag for VP8/VP9.
 */
import { classifySample, type SampleClass } from '../codec/entry-points.js';
import type { EncodedSample, VideoCodec, VideoTrack } from '../demux/video-track.js';
import type { ByteSource } from '../sources/byte-source.js';
import { readExact } from '../sources/read-exact.js';

const RECENT_SAMPLES = 8;

type ClassifiableCodec = Parameters<typeof classifySample>[0];

function classifiableCodec(codec: VideoCodec): ClassifiableCodec {
  return codec === 'h264' || codec === 'hevc' || codec === 'vp8' || codec === 'vp9' ? codec : 'other';
}

/** Reads samples and remembers what their bitstream says, so each sample is inspected once. */
export class EntryPointVerifier {
  private readonly classes = new Map<number, SampleClass>();
  /** Bytes of recently read samples: a plan reads its entry and target while verifying them. */
  private readonly recent = new Map<number, Uint8Array>();
  private readonly codec: ClassifiableCodec;

  constructor(
    private readonly source: ByteSource,
    private readonly track: VideoTrack,
  ) {
    this.codec = classifiableCodec(track.codec);
  }

  /** Reads a sample's bytes; rejects with `io` when the file ends before them. */
  async readSample(sample: EncodedSample): Promise<Uint8Array> {
    const cached = this.recent.get(sample.index);
    if (cached) return cached;
    const data = await readExact(this.source, sample.offset, sample.size);
    this.recent.set(sample.index, data);
    if (this.recent.size > RECENT_SAMPLES) this.recent.delete(this.recent.keys().next().value!);
    return data;
  }

  /** Classifies a sample whose bytes the caller already holds. */
  classify(sample: EncodedSample, data: Uint8Array): SampleClass {
    let known = this.classes.get(sample.index);
    if (!known) {
      known = classifySample(this.codec, data, this.track.nalLengthSize);
      this.classes.set(sample.index, known);
    }
    return known;
  }

  /**
   * True when decoding can start at `sample`. Codecs whose bitstream we cannot inspect trust
   * the container's label.
   */
  async isEntryPoint(sample: EncodedSample): Promise<boolean> {
    if (this.codec === 'other') return sample.labeledSync;
    const known = this.classes.get(sample.index) ?? this.classify(sample, await this.readSample(sample));
    return known.isEntryPoint ?? sample.labeledSync;
  }
}
