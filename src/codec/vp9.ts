/**
 * Key frame detection for VP9 and VP8 samples, from the first bytes of the frame header.
 * A VP9 sample may be a superframe (several frames, typically a hidden alt-ref frame and
 * a shown frame, with an index at the end); a VP8 sample is always one frame.
 */

/** VP9 frame_sync_code (VP9 bitstream spec 6.2): 0x49 0x83 0x42. */
const VP9_SYNC = [0x49, 0x83, 0x42] as const;

/** What the start of one VP9 frame's uncompressed header says. */
export interface Vp9FrameHeader {
  /** 0..3 */
  profile: number;
  /** The frame only re-shows an already decoded frame: nothing is decoded. */
  showExistingFrame: boolean;
  /** frame_type == KEY_FRAME (0), with a valid frame_sync_code. */
  isKeyframe: boolean;
}

/** Facts about one VP9 sample. */
export interface Vp9SampleInfo {
  /** The first frame of the sample is a key frame. */
  isKeyframe: boolean;
  /**
   * False only when every frame of the sample is a show_existing_frame (a 1-2 byte "show
   * frame N again" instruction that decodes nothing). Every decoded VP9 frame is treated
   * as referenced: besides the reference slots named by refresh_frame_flags, a frame
   * leaves state that the next frame reads (its motion vectors, saved probability
   * contexts, segmentation map, loop-filter deltas), so skipping one can change later
   * frames even when it refreshes no slot.
   */
  isReference: boolean;
}

/**
 * Reads the start of a VP9 uncompressed header (VP9 bitstream spec 6.2). Returns null
 * when the bytes are not a VP9 frame (bad frame_marker, the reserved bit of profile 3
 * set, or too short).
 *
 * Bit layout of byte 0, MSB first: frame_marker (2 bits, == 2), profile_low_bit,
 * profile_high_bit, [reserved_zero when profile == 3], show_existing_frame, frame_type.
 */
export function readVp9FrameHeader(frame: Uint8Array): Vp9FrameHeader | null {
  if (frame.length < 1) return null;
  const reader = new BitReader(frame);
  if (reader.bits(2) !== 2) return null;
  const low = reader.bits(1);
  const high = reader.bits(1);
  const profile = (high << 1) | low;
  if (profile === 3 && reader.bits(1) !== 0) return null;
  const showExisting = reader.bits(1);
  if (showExisting < 0) return null;
  if (showExisting === 1) return { profile, showExistingFrame: true, isKeyframe: false };
  const frameType = reader.bits(1);
  if (frameType < 0) return null;
  if (frameType === 1) return { profile, showExistingFrame: false, isKeyframe: false };
  // KEY_FRAME: show_frame, error_resilient_mode, then the sync code. Requiring the sync
  // code keeps a random byte with the right top bits from passing as a key frame.
  if (reader.bits(2) < 0) return null;
  for (const expected of VP9_SYNC) {
    if (reader.bits(8) !== expected) return null;
  }
  return { profile, showExistingFrame: false, isKeyframe: true };
}

/**
 * The frames of a VP9 sample. A superframe ends with an index (Annex B of the VP9
 * bitstream spec): a marker byte `0b110mmfff` (mm + 1 = bytes per frame size, fff + 1 =
 * frame count), the little-endian frame sizes, and the marker byte again. Without a valid
 * index the whole sample is one frame.
 *
 * @returns views into `sample`.
 */
export function splitVp9Superframe(sample: Uint8Array): Uint8Array[] {
  const n = sample.length;
  if (n === 0) return [];
  const marker = sample[n - 1]!;
  if ((marker & 0xe0) !== 0xc0) return [sample];
  const frameCount = (marker & 0x07) + 1;
  const sizeBytes = ((marker >> 3) & 0x03) + 1;
  const indexSize = 2 + sizeBytes * frameCount;
  // The index starts with the same marker byte; otherwise the last byte is just data.
  if (n < indexSize || sample[n - indexSize] !== marker) return [sample];
  const frames: Uint8Array[] = [];
  let offset = 0;
  let pos = n - indexSize + 1;
  for (let i = 0; i < frameCount; i++) {
    let size = 0;
    for (let b = 0; b < sizeBytes; b++) size += sample[pos + b]! * 2 ** (8 * b);
    pos += sizeBytes;
    // libvpx rejects an index whose sizes overrun the data; treat it as no index.
    if (offset + size > n - indexSize) return [sample];
    // A zero-size entry holds no frame; skip it rather than return an empty view.
    if (size > 0) frames.push(sample.subarray(offset, offset + size));
    offset += size;
  }
  return frames.length > 0 ? frames : [sample];
}

/**
 * Inspects a VP9 sample (a frame or a superframe). Null when its first frame is not a
 * VP9 frame at all, so that callers can fall back to the container's flags.
 */
export function inspectVp9Sample(sample: Uint8Array): Vp9SampleInfo | null {
  const frames = splitVp9Superframe(sample);
  let first: Vp9FrameHeader | null = null;
  let isReference = false;
  for (const frame of frames) {
    const header = readVp9FrameHeader(frame);
    if (first === null) {
      if (header === null) return null;
      first = header;
    }
    // An unreadable later frame counts as referenced: "cannot tell" must not skip it.
    if (header === null || !header.showExistingFrame) isReference = true;
  }
  if (first === null) return null;
  return { isKeyframe: first.isKeyframe, isReference };
}

/**
 * True when the VP9 sample is a key frame: decoding can start at it. For a superframe,
 * its first frame decides (a key frame superframe carries the key frame first, e.g. the
 * base layer of spatial SVC); ffmpeg's VP9 parser looks at the first frame the same way.
 */
export function isVp9Keyframe(sample: Uint8Array): boolean {
  return inspectVp9Sample(sample)?.isKeyframe ?? false;
}

/**
 * True when the VP8 sample is a key frame (RFC 6386 9.1): bit 0 of the frame tag is 0
 * for key frames, and key frames continue after the 3-byte tag with the start code
 * 9d 01 2a, which is also required here so that garbage is not taken for a key frame.
 */
export function isVp8Keyframe(sample: Uint8Array): boolean {
  return (
    sample.length >= 6 &&
    (sample[0]! & 0x01) === 0 &&
    sample[3] === 0x9d &&
    sample[4] === 0x01 &&
    sample[5] === 0x2a
  );
}

/** MSB-first bit reader over plain bytes (VP9 headers have no emulation prevention). */
class BitReader {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** Next `count` (<= 24) bits, or -1 past the end. */
  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.pos >> 3;
      if (byte >= this.bytes.length) return -1;
      value = (value << 1) | ((this.bytes[byte]! >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return value;
  }
}
