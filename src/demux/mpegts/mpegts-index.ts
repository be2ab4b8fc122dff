/**
 * Indexes the first video stream of an MPEG transport stream (or Blu-ray M2TS) into the
 * container-neutral `VideoTrack`. A transport stream has no index: the file is read once, front
 * to back; the PAT and PMT name the video stream's PID and codec, and its packets are cut into
 * access units, one sample each (see `AccessUnitSplitter`). A sample's byte range runs from the
 * packet holding its first byte to the one holding its last, other streams' packets included:
 * `unpackSample` takes the access unit back out of it.
 *
 * Timing comes from the PES time stamps (90 kHz, 33 bits, unwrapped into one rising timeline);
 * key frames from the bitstream, since the container says little about them; the coded size and
 * the parameter sets from the stream's first in-band SPS (MPEG-4 Visual: VOL). H.264, HEVC and
 * MPEG-4 Part 2 are read; other video codecs are refused by name.
 */
import { classifySample } from '../../codec/entry-points.js';
import { H264_NAL, h264NalType, parseH264Sps } from '../../codec/h264-headers.js';
import { HEVC_NAL, hevcNalType } from '../../codec/hevc.js';
import { parseHevcSps } from '../../codec/hevc-sps.js';
import { hasMpeg4VolHeader, mpeg4ConfigurationHeaders, mpeg4PictureSize } from '../../codec/mpeg4.js';
import { splitNalUnits } from '../../codec/nal-units.js';
import { ioError, unsupported } from '../../errors.js';
import type { ByteSource } from '../../sources/byte-source.js';
import { fillMissingDurations, grown, SampleColumnsBuilder, SampleList } from '../sample-list.js';
import type { VideoTrack } from '../video-track.js';
import { AccessUnitSplitter, type AccessUnit } from './access-unit-splitter.js';
import { concatBytes } from '../../sources/concat-bytes.js';
import { writeDecodeTransportStream } from './mpegts-writer.js';
import { scanPackets, type PacketVisitor } from './packet-scanner.js';
import { PES_CLOCK, PesReader, unwrapTimestamp } from './pes.js';
import { PAT_PID, parsePat, parsePmt, SectionAssembler } from './program-tables.js';
import { LAYOUT_PROBE_BYTES, packetLayoutOf, readPacket, SYNC_BYTE, TS_PACKET_SIZE, type PacketLayout, type TsPacket } from './ts-packet.js';

/** The start code written before each NAL unit put together here. */
const START_CODE = new Uint8Array([0, 0, 0, 1]);

/**
 * The PMT stream types read, with their codec and, for H.264 and HEVC, its SPS and access unit
 * delimiter NAL unit types and all its parameter-set types.
 */
const READABLE = {
  0x10: { codec: 'mpeg4', name: 'MPEG-4 Part 2' },
  0x1b: { codec: 'h264', name: 'H.264', sps: H264_NAL.sps, delimiter: H264_NAL.aud, parameterSets: [H264_NAL.sps, H264_NAL.pps] },
  0x24: { codec: 'hevc', name: 'HEVC', sps: HEVC_NAL.sps, delimiter: HEVC_NAL.aud, parameterSets: [HEVC_NAL.vps, HEVC_NAL.sps, HEVC_NAL.pps] },
} as const;
type ReadableType = keyof typeof READABLE;
type ReadableCodec = (typeof READABLE)[ReadableType]['codec'];

/** Other video stream types, named in the refusal. */
const OTHER_VIDEO: Readonly<Record<number, string>> = {
  0x01: 'MPEG-1 video',
  0x02: 'MPEG-2 video',
  0x21: 'JPEG 2000 video',
  0x33: 'H.266/VVC',
  0x42: 'AVS2 video',
  0xd1: 'Dirac video',
  0xea: 'VC-1',
};

/** Samples are Annex-B byte streams; `splitNalUnits` tells them apart from length-prefixed ones by their bytes. */
const NAL_LENGTH_SIZE = 4;
/**
 * How far into a file its program tables must have named a video stream. Muxers repeat them
 * every fraction of a second; a file without them is not read to its end for nothing.
 */
const TABLE_SEARCH_BYTES = 32 * 1024 * 1024;

/**
 * Indexes a transport stream whose packet `layout` the caller may already know (container
 * detection finds it). Rejects with `unsupported` when it has no H.264, HEVC or MPEG-4 Part 2
 * video stream.
 */
export async function indexMpegts(source: ByteSource, known?: PacketLayout): Promise<VideoTrack> {
  const layout = known ?? packetLayoutOf(await source.read(0, Math.min(source.size, LAYOUT_PROBE_BYTES)));
  if (!layout) throw unsupported('the file is not an MPEG transport stream');
  const indexer = new StreamIndexer();
  await scanPackets(source, layout, indexer);
  return indexer.track(layout);
}

/** The video stream the program tables name. */
interface VideoStream {
  readonly pid: number;
  readonly streamType: ReadableType;
}

/** What the stream's first SPS (and the parameter sets with it) says. */
interface InBandConfig {
  /** The parameter sets of the first sample that has an SPS, copied. */
  readonly parameterSets: Uint8Array[];
  readonly size: { readonly width: number; readonly height: number } | undefined;
  /** HEVC: sps_max_sub_layers_minus1. */
  readonly maxTemporalId: number | undefined;
}

/** Takes the packets of a scan apart into program tables and the video stream's samples. */
class StreamIndexer implements PacketVisitor {
  private readonly pat = new SectionAssembler();
  /** The PMT PIDs the PAT names (programs may share one) and the programs whose PMT has been read. */
  private readonly pmts = new Map<number, SectionAssembler>();
  private programs = 0;
  private readonly programsRead = new Set<number>();
  private video: VideoStream | undefined;
  private splitter: AccessUnitSplitter | undefined;
  private readonly samples = new SampleColumnsBuilder();
  private readonly places = new AccessUnitPlaces();
  private lastDts: number | undefined;
  private config: InBandConfig | undefined;

  wants(pid: number): boolean {
    // Every packet until the program tables name the video stream (their search is bounded by
    // offset), then only its own.
    return !this.video || pid === this.video.pid;
  }

  packet(packet: TsPacket, offset: number): void {
    if (this.video) {
      if (packet.scrambled) throw unsupported('the MPEG-TS video stream is scrambled (encrypted)');
      this.splitter!.packet(packet, offset);
      return;
    }
    if (offset > TABLE_SEARCH_BYTES) throw unsupported(`the MPEG-TS file names no video stream in its first ${TABLE_SEARCH_BYTES / 1024 / 1024} MiB`);
    if (packet.pid === PAT_PID) {
      for (const section of this.pat.push(packet.payload, packet.unitStart)) this.readPat(section);
    }
    const pmt = this.pmts.get(packet.pid);
    if (pmt) for (const section of pmt.push(packet.payload, packet.unitStart)) this.readPmt(section);
  }

  syncLost(): void {
    // Whatever follows continues no PES: the sample in progress ends here.
    this.splitter?.flush();
  }

  /** The track, once every packet has been seen. */
  track(layout: PacketLayout): VideoTrack {
    this.splitter?.flush();
    const video = this.video;
    if (!video) throw unsupported('the MPEG-TS file has no video stream');
    if (this.samples.length === 0) throw unsupported('the MPEG-TS video stream has no frames');
    const { codec, name } = READABLE[video.streamType];
    const maxTemporalId = this.config?.maxTemporalId;
    const parameterSets = this.config?.parameterSets ?? [];
    const columns = this.samples.build();
    fillMissingDurations(columns);
    const { skip, length } = this.places;
    return {
      codec,
      codecString: `${name} (MPEG-TS stream type 0x${video.streamType.toString(16).padStart(2, '0')})`,
      timescale: PES_CLOCK,
      codedWidth: this.config?.size?.width ?? 0,
      codedHeight: this.config?.size?.height ?? 0,
      rotation: 0,
      samples: new SampleList(columns),
      edits: [],
      nalLengthSize: NAL_LENGTH_SIZE,
      parameterSets,
      ...(maxTemporalId === undefined ? {} : { maxTemporalId }),
      containerDescribes: undefined,
      unpackSample: (stored, sample) => ({ data: accessUnitOf(stored, layout, video.pid, skip[sample.index]!, length[sample.index]!) }),
      buildDecodeInput(withData, targets) {
        // The input's time stamps count from its first decode time: far from the 33-bit wrap,
        // whatever the source's are, so that ffmpeg reports them as written.
        // (A broken muxer's PTS may come before its DTS: neither may go below 0.)
        const origin = Math.min(...withData.map(({ sample }) => Math.min(sample.dts, sample.cts)));
        const bytes = writeDecodeTransportStream(
          video.streamType,
          withData.map(({ sample, data }, i) => ({
            pts: sample.cts - origin,
            dts: sample.dts - origin,
            data: i === 0 ? withParameterSets(video.streamType, data, parameterSets) : data,
          })),
        );
        return { fileName: 'input.ts', bytes, targetPts: targets.map((target) => target.cts - origin) };
      },
    };
  }

  private readPat(section: Uint8Array): void {
    const programs = parsePat(section);
    this.programs = Math.max(this.programs, programs.size);
    for (const pid of programs.values()) if (!this.pmts.has(pid)) this.pmts.set(pid, new SectionAssembler());
  }

  /** Takes the first video stream of the first PMT that has one; refuses a codec not read. */
  private readPmt(section: Uint8Array): void {
    const pmt = parsePmt(section);
    if (!pmt) return;
    this.programsRead.add(pmt.program);
    const stream = pmt.streams.find(({ streamType }) => streamType in READABLE || streamType in OTHER_VIDEO);
    if (!stream) {
      if (this.programsRead.size >= this.programs) throw unsupported('the MPEG-TS file has no video stream');
      return;
    }
    if (stream.streamType in OTHER_VIDEO) {
      throw unsupported(`the MPEG-TS video stream is ${OTHER_VIDEO[stream.streamType]} (stream type 0x${stream.streamType.toString(16).padStart(2, '0')}), which stillframe does not decode`);
    }
    const streamType = stream.streamType as ReadableType;
    this.video = { pid: stream.pid, streamType };
    this.splitter = new AccessUnitSplitter(READABLE[streamType].codec, (unit) => this.addSample(unit));
  }

  /** Adds an access unit as a sample: its time stamps unwrapped, its key-frame label from its bitstream. */
  private addSample(unit: AccessUnit): void {
    const { streamType } = this.video!;
    this.config ??= inBandConfig(streamType, unit.data);
    const maxTemporalId = this.config?.maxTemporalId;
    const { isEntryPoint } = classifySample(READABLE[streamType].codec, unit.data, NAL_LENGTH_SIZE, maxTemporalId === undefined ? {} : { maxTemporalId });
    const dts = unwrapTimestamp(unit.dts, this.lastDts ?? unit.dts);
    this.lastDts = dts;
    // Durations are set once every frame's time is known.
    this.samples.add(dts, unwrapTimestamp(unit.pts, dts), 0, unit.offset, unit.end - unit.offset, isEntryPoint === true);
    this.places.add(unit.skip, unit.data.length);
  }
}

/** The NAL unit type of `unit`, a unit of `codec`. */
function nalType(codec: Exclude<ReadableCodec, 'mpeg4'>, unit: Uint8Array): number {
  return codec === 'h264' ? h264NalType(unit) : hevcNalType(unit);
}

/**
 * The entry sample of a decode run, made decodable on its own: when it carries no SPS (muxers
 * repeat them before IDR pictures, not always before the recovery points of open GOPs), the
 * stream's parameter sets are put in, after its access unit delimiter if it opens with one. An
 * MPEG-4 Visual sample without a VOL gets the stream's configuration headers before it (ffmpeg's
 * encoder writes them once, before the first VOP).
 */
function withParameterSets(streamType: ReadableType, data: Uint8Array, parameterSets: readonly Uint8Array[]): Uint8Array {
  const readable = READABLE[streamType];
  if (parameterSets.length === 0) return data;
  if (readable.codec === 'mpeg4') return hasMpeg4VolHeader(data) ? data : concatBytes([parameterSets[0]!, data]);
  const { codec, sps, delimiter } = readable;
  const units = splitNalUnits(data, NAL_LENGTH_SIZE);
  if (units.some((unit) => nalType(codec, unit) === sps)) return data;
  const delimited = units[0] !== undefined && nalType(codec, units[0]) === delimiter ? 1 : 0;
  const ordered = [...units.slice(0, delimited), ...parameterSets, ...units.slice(delimited)];
  return concatBytes(ordered.flatMap((unit) => [START_CODE, unit]));
}

/**
 * What the parameter sets in a sample's data say (MPEG-4 Visual: its configuration headers), or
 * `undefined` when it holds no SPS (VOL).
 */
function inBandConfig(streamType: ReadableType, data: Uint8Array): InBandConfig | undefined {
  const readable = READABLE[streamType];
  if (readable.codec === 'mpeg4') {
    const headers = mpeg4ConfigurationHeaders(data);
    // A copy: the headers outlive the read they came from.
    return headers && { parameterSets: [headers.slice()], size: mpeg4PictureSize(headers), maxTemporalId: undefined };
  }
  const { codec, sps: spsType } = readable;
  const types: readonly number[] = readable.parameterSets;
  // Copies: the units outlive the read they came from.
  const parameterSets = splitNalUnits(data, NAL_LENGTH_SIZE).filter((unit) => types.includes(nalType(codec, unit))).map((unit) => unit.slice());
  const sps = parameterSets.find((unit) => nalType(codec, unit) === spsType);
  if (!sps) return undefined;
  if (codec === 'h264') return { parameterSets, size: parseH264Sps(sps)?.size, maxTemporalId: undefined };
  const hevc = parseHevcSps(sps);
  return { parameterSets, size: hevc && { width: hevc.width, height: hevc.height }, maxTemporalId: hevc?.maxTemporalId };
}

/**
 * The access unit in a sample's stored range: the video stream's bytes its packets carry (PES
 * headers removed), less `skip` bytes of the unit before, `length` bytes long.
 */
function accessUnitOf(stored: Uint8Array, layout: PacketLayout, pid: number, skip: number, length: number): Uint8Array {
  const reader = new PesReader();
  const parts: Uint8Array[] = [];
  for (let at = 0; at + TS_PACKET_SIZE <= stored.length; at += layout.stride) {
    if (stored[at] !== SYNC_BYTE) throw ioError('the MPEG-TS packets of a sample are out of sync (has the file changed?)');
    const packet = readPacket(stored, at)!;
    if (packet.pid === pid) parts.push(reader.push(packet.payload, packet.unitStart));
  }
  const stream = concatBytes(parts);
  if (stream.length < skip + length) throw ioError('the MPEG-TS packets of a sample hold less than it was indexed with (has the file changed?)');
  return stream.subarray(skip, skip + length);
}

/** Where each sample's access unit lies among the elementary stream bytes of its packets, grown as samples are found. */
class AccessUnitPlaces {
  /** Bytes of the unit before, at the start of the sample's packets. */
  skip: Uint32Array = new Uint32Array(1024);
  /** The unit's bytes. */
  length: Uint32Array = new Uint32Array(1024);
  private count = 0;

  add(skip: number, length: number): void {
    if (this.count === this.skip.length) {
      this.skip = grown(this.skip, 2 * this.count);
      this.length = grown(this.length, 2 * this.count);
    }
    this.skip[this.count] = skip;
    this.length[this.count++] = length;
  }
}


