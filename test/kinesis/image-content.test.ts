/**
 * ImageContent is base64 of at most 6,291,456 characters (the service model's limit): an image
 * whose base64 would be longer is not returned (the caller reports MEDIA_ERROR).
 */
import { describe, expect, it } from 'vitest';
import { imageContent, MAX_IMAGE_CONTENT_CHARS } from '../../src/kinesis/image-content.js';

describe('imageContent', () => {
  it('is standard base64 of the bytes', () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) & 0xff);
    expect(imageContent(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(imageContent(Uint8Array.of(0xfb, 0xff))).toBe('+/8=');
  });

  it('allows exactly 6,291,456 characters and refuses one byte more', () => {
    expect(MAX_IMAGE_CONTENT_CHARS).toBe(6_291_456);
    const largest = new Uint8Array((MAX_IMAGE_CONTENT_CHARS / 4) * 3);
    expect(imageContent(largest)).toHaveLength(MAX_IMAGE_CONTENT_CHARS);
    expect(imageContent(new Uint8Array(largest.length + 1))).toBeUndefined();
  });
});
