import { describe, expect, it } from 'vitest';
import { inspectVp9Sample, isVp8Keyframe, isVp9Keyframe, readVp9FrameHeader, splitVp9Superframe } from '../../src/codec/vp9.js';
import { BitWriter, concat, filler } from './helpers/bytes.js';

const SYNC = [0x49, 0x83, 0x42];

/** Start of a VP9 uncompressed header, then some filler standing for the rest of the frame. */
function vp9Frame(options: {
  profile?: number;
  reservedBit?: number;
  showExisting?: boolean;
  key?: boolean;
  sync?: number[];
  extra?: number;
}): Uint8Array {
  const profile = options.profile ?? 0;
  const w = new BitWriter().put(2, 2).put(profile & 1, 1).put(profile >> 1, 1);
  if (profile === 3) w.put(options.reservedBit ?? 0, 1);
  if (options.showExisting) {
    w.put(1, 1).put(5, 3); // frame_to_show_map_idx
    return new Uint8Array(w.bytes());
  }
  w.put(0, 1).put(options.key ? 0 : 1, 1).put(1, 1).put(0, 1); // show_existing, frame_type, show_frame, error_resilient
  if (options.key) for (const b of options.sync ?? SYNC) w.put(b, 8);
  return concat(w.bytes(), filler(options.extra ?? 20, 0x37));
}

/** A superframe: frames, then the index (marker, little-endian sizes, marker). */
function superframe(frames: Uint8Array[], sizeBytes = 1): Uint8Array {
  const marker = 0xc0 | ((sizeBytes - 1) << 3) | (frames.length - 1);
  const sizes = frames.flatMap((f) => Array.from({ length: sizeBytes }, (_, b) => (f.length >> (8 * b)) & 0xff));
  return concat(...frames, [marker, ...sizes, marker]);
}

describe('VP9 frame headers', () => {
  it.each([0, 1, 2, 3])('profile %i: frame_type 0 with the sync code is a key frame', (profile) => {
    const key = vp9Frame({ profile, key: true });
    expect(readVp9FrameHeader(key)).toEqual({ profile, showExistingFrame: false, isKeyframe: true });
    expect(isVp9Keyframe(key)).toBe(true);
    expect(isVp9Keyframe(vp9Frame({ profile, key: false }))).toBe(false);
  });

  it('the byte layout of a profile 0 key frame is 0x82 then the sync code', () => {
    expect(Array.from(vp9Frame({ key: true }).subarray(0, 4))).toEqual([0x82, 0x49, 0x83, 0x42]);
    expect(vp9Frame({ key: false })[0]).toBe(0x86);
  });

  it('profile 3 with its reserved bit set is not a VP9 frame', () => {
    expect(readVp9FrameHeader(vp9Frame({ profile: 3, key: true, reservedBit: 1 }))).toBeNull();
    expect(isVp9Keyframe(vp9Frame({ profile: 3, key: true, reservedBit: 1 }))).toBe(false);
  });

  it('show_existing_frame is not a key frame and decodes nothing', () => {
    const frame = vp9Frame({ showExisting: true });
    expect(frame).toHaveLength(1);
    expect(readVp9FrameHeader(frame)).toEqual({ profile: 0, showExistingFrame: true, isKeyframe: false });
    expect(inspectVp9Sample(frame)).toEqual({ isKeyframe: false, isReference: false });
  });

  it('rejects a bad frame_marker, a key frame without its sync code, and empty input', () => {
    expect(readVp9FrameHeader(new Uint8Array([0x02, ...SYNC]))).toBeNull();
    expect(readVp9FrameHeader(vp9Frame({ key: true, sync: [0x49, 0x83, 0x43] }))).toBeNull();
    expect(readVp9FrameHeader(vp9Frame({ key: true }).subarray(0, 3))).toBeNull();
    expect(readVp9FrameHeader(new Uint8Array(0))).toBeNull();
    expect(inspectVp9Sample(new Uint8Array([0x02, 0x00]))).toBeNull();
  });

  it('treats every decoded frame as referenced', () => {
    expect(inspectVp9Sample(vp9Frame({ key: false }))).toEqual({ isKeyframe: false, isReference: true });
    expect(inspectVp9Sample(vp9Frame({ key: true }))).toEqual({ isKeyframe: true, isReference: true });
  });
});

describe('VP9 superframes', () => {
  const key = vp9Frame({ key: true });
  const inter = vp9Frame({ key: false, extra: 30 });
  const hidden = vp9Frame({ key: false, extra: 300 });

  it('splits the frames of a superframe, as views', () => {
    const sample = superframe([key, inter]);
    const frames = splitVp9Superframe(sample);
    expect(frames.map((f) => f.length)).toEqual([key.length, inter.length]);
    expect(frames[1]!.buffer).toBe(sample.buffer);
  });

  it('reads 2-byte frame sizes', () => {
    const sample = superframe([hidden, inter], 2);
    expect(splitVp9Superframe(sample).map((f) => f.length)).toEqual([hidden.length, inter.length]);
  });

  it('a superframe is a key frame when its first frame is', () => {
    expect(isVp9Keyframe(superframe([key, inter]))).toBe(true);
    expect(isVp9Keyframe(superframe([inter, key]))).toBe(false);
    expect(isVp9Keyframe(superframe([hidden, inter], 2))).toBe(false);
  });

  it('is referenced unless all its frames are show_existing_frame', () => {
    const show = vp9Frame({ showExisting: true });
    expect(inspectVp9Sample(superframe([hidden, show], 2))!.isReference).toBe(true);
    expect(inspectVp9Sample(superframe([show, show]))!.isReference).toBe(false);
  });

  it('treats a sample without a valid index as one frame', () => {
    // Last byte looks like a marker but the index does not start with it.
    const fake = concat(key, [0x00, 0x05, 0xc1]);
    expect(splitVp9Superframe(fake)).toEqual([fake]);
    // Sizes larger than the data.
    const overrun = concat(key, [0xc1, 200, 200, 0xc1]);
    expect(splitVp9Superframe(overrun)).toEqual([overrun]);
    expect(isVp9Keyframe(overrun)).toBe(true);
  });
});

describe('VP8 key frames', () => {
  // Frame tag: bit 0 = frame type (0 = key), version, show_frame, first partition size.
  const vp8Key = new Uint8Array([0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0xa0, 0x00, 0x78, 0x00]);
  const vp8Inter = new Uint8Array([0x31, 0x06, 0x00, 0x12, 0x34, 0x56]);

  it('bit 0 of the frame tag is 0 on key frames, which carry the start code', () => {
    expect(isVp8Keyframe(vp8Key)).toBe(true);
    expect(isVp8Keyframe(vp8Inter)).toBe(false);
  });

  it('rejects a key frame tag without the start code, and short input', () => {
    expect(isVp8Keyframe(new Uint8Array([0x50, 0x42, 0x00, 0x9d, 0x01, 0x2b]))).toBe(false);
    expect(isVp8Keyframe(vp8Key.subarray(0, 5))).toBe(false);
    expect(isVp8Keyframe(new Uint8Array(0))).toBe(false);
  });
});
