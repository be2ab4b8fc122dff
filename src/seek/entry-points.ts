/**
 * Which samples are true decode entry points. Containers mislabel them (a "sync" sample that is
 * an open-GOP I-frame, or every sample marked sync), so a label is only a candidate until the
 * bitstream confirms it: IDR for H.264, IRAP (IDR/CRA/BLA) for HEVC, the key-frame flag for VP8/VP9.
 */
import { classifySample, type SampleClass } from '../codec/entry-points.js';
import type { EncodedSample, SampleWithData, VideoCodec, VideoTrack } from '../demux/video-track.js';
import type { ByteSource } from '../sources/byte-source.js';
import { readExact } from '../sources/read-exact.js';

const RECENT_SAMPLES = 8;
/** Largest single read {@link EntryPointVerifier.readSamples} makes of back-to-back samples. */
const MAX_RUN_BYTES = 16 * 1024 * 1024;
/**
 * Largest stretch of other bytes (an interleaved audio chunk, say) that {@link
 * EntryPointVerifier.readSamples} reads through rather than split a run: a request saved is worth
 * far more than a few kilobytes, over HTTP above all.
 */
const MAX_BRIDGED_GAP = 64 * 1024;

type ClassifiableCodec = Parameters<typeof classifySample>[0];

function classifiableCodec(codec: VideoCodec): ClassifiableCodec {
  return codec === 'h264' || codec === 'hevc' || codec === 'vp8' || codec === 'vp9' || codec === 'mpeg4' ? codec : 'other';
}

/** Reads samples and remembers what their bitstream says, so each sample is inspected once. */
export class EntryPointVerifier {
  private readonly classes = new Map<number, SampleClass>();
  /** Recently read samples: a plan reads its entry and target while verifying them. */
  private readonly recent = new Map<number, SampleWithData>();
  private readonly codec: ClassifiableCodec;
  /** Whether the container labels any sample sync; if not, its labels say nothing. */
  private readonly labelsAny: boolean;

  constructor(
    private readonly source: ByteSource,
    private readonly track: VideoTrack,
  ) {
    this.codec = classifiableCodec(track.codec);
    this.labelsAny = track.samples.labelsAnySync;
  }

  /** Reads a sample's payload; rejects with `io` when the file ends before it. */
  async readSample(sample: EncodedSample): Promise<SampleWithData> {
    const cached = this.recent.get(sample.index);
    if (cached) return cached;
    const read = this.withPayload(sample, await readExact(this.source, sample.offset, sample.size));
    this.recent.set(sample.index, read);
    if (this.recent.size > RECENT_SAMPLES) this.recent.delete(this.recent.keys().next().value!);
    return read;
  }

  /** The sample with its payload, from the bytes stored at its offset. */
  private withPayload(sample: EncodedSample, stored: Uint8Array): SampleWithData {
    return this.track.unpackSample ? { sample, ...this.track.unpackSample(stored, sample) } : { sample, data: stored };
  }

  /**
   * Reads the bytes of `samples` (decode order, as a plan lists them) with as few reads as the
   * layout allows: samples stored back to back, or apart by no more than a small gap (an audio
   * chunk between video chunks), are read as one range, so a GOP prefix costs a read or a few
   * (for an HTTP source, a request or a few) rather than one per chunk or sample. Samples read
   * recently come from memory. Rejects with `io` when the file ends before a sample.
   */
  async readSamples(samples: readonly EncodedSample[]): Promise<SampleWithData[]> {
    const runs: EncodedSample[][] = [];
    for (const sample of samples) {
      const run = runs.at(-1);
      const last = run?.at(-1);
      const gap = last === undefined ? -1 : sample.offset - (last.offset + last.size);
      // A sample may also start inside the one before: MPEG-TS samples can share a packet.
      const joins = last !== undefined && !this.recent.has(sample.index) && !this.recent.has(last.index) && sample.offset >= last.offset && gap <= MAX_BRIDGED_GAP;
      if (run && joins && sample.offset + sample.size - run[0]!.offset <= MAX_RUN_BYTES) run.push(sample);
      else runs.push([sample]);
    }
    const read = await Promise.all(
      runs.map(async (run) => {
        if (run.length === 1) return [await this.readSample(run[0]!)];
        const start = run[0]!.offset;
        const end = Math.max(...run.map((sample) => sample.offset + sample.size));
        const bytes = await readExact(this.source, start, end - start);
        return run.map((sample) => this.withPayload(sample, bytes.subarray(sample.offset - start, sample.offset - start + sample.size)));
      }),
    );
    return read.flat();
  }

  /**
   * True when decoding can start at `sample`, by its bitstream. Codecs whose bitstream we do
   * not inspect trust the container's label.
   */
  async canStartAt(sample: EncodedSample): Promise<boolean> {
    if (this.codec === 'other') return sample.labeledSync || !this.labelsAny;
    return (await this.classOf(sample)).isEntryPoint ?? sample.labeledSync;
  }

  /**
   * False only when the bitstream shows that no other sample references `sample` (H.264
   * `nal_ref_idc` 0, an HEVC sub-layer non-reference picture of the highest sub-layer, a VP9
   * frame that refreshes no reference slot): a decoder heading for another target may skip it.
   */
  async isReference(sample: EncodedSample, data?: Uint8Array): Promise<boolean> {
    if (this.codec === 'other') return true;
    return (await this.classOf(sample, data)).isReference;
  }

  /** What the bitstream says of `sample`, from `data` when the caller has its bytes already. */
  private async classOf(sample: EncodedSample, data?: Uint8Array): Promise<SampleClass> {
    let known = this.classes.get(sample.index);
    if (!known) {
      const options = this.track.maxTemporalId === undefined ? {} : { maxTemporalId: this.track.maxTemporalId };
      known = classifySample(this.codec, data ?? (await this.readSample(sample)).data, this.track.nalLengthSize, options);
      this.classes.set(sample.index, known);
    }
    return known;
  }

  /**
   * True when `sample` is a sync frame in the sense of the query modes: the container labels it
   * sync and the bitstream agrees. A track that labels no sample at all has its every sample
   * considered, so that its real key frames are still found.
   */
  async isSyncFrame(sample: EncodedSample): Promise<boolean> {
    return (sample.labeledSync || !this.labelsAny) && (await this.canStartAt(sample));
  }
}
