/**
 * The GetImages shapes are the AWS SDK v3's: an SDK `GetImagesCommandInput` can be passed to
 * `getImages` unchanged, and what `getImages` returns is an SDK `GetImagesCommandOutput` but for
 * the response `$metadata`. Checked by the type checker (`tsc --noEmit` covers the tests); the
 * runtime assertions only make the spec visible in the test report.
 */
import type {
  GetImagesCommandInput,
  GetImagesCommandOutput,
  Image as SdkImage,
  ImageError as SdkImageError,
  ImageSelectorType as SdkImageSelectorType,
  Format as SdkFormat,
} from '@aws-sdk/client-kinesis-video-archived-media';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { Format, GetImagesInput, GetImagesOutput, Image, ImageError, ImageSelectorType } from '../../src/kinesis/get-images-types.js';

describe('GetImages types against @aws-sdk/client-kinesis-video-archived-media', () => {
  it("the SDK's GetImagesCommandInput is assignable to GetImagesInput", () => {
    expectTypeOf<GetImagesCommandInput>().toExtend<GetImagesInput>();
    expect(true).toBe(true);
  });

  it("GetImagesOutput is assignable to the SDK's GetImagesCommandOutput without $metadata", () => {
    expectTypeOf<GetImagesOutput>().toExtend<Omit<GetImagesCommandOutput, '$metadata'>>();
    expectTypeOf<Image>().toExtend<SdkImage>();
  });

  it('the enumerations are the same', () => {
    expectTypeOf<ImageSelectorType>().toEqualTypeOf<SdkImageSelectorType>();
    expectTypeOf<Format>().toEqualTypeOf<SdkFormat>();
    expectTypeOf<ImageError>().toEqualTypeOf<SdkImageError>();
  });

  it('an SDK-typed request goes in and an SDK-typed response comes out', async () => {
    const kvam = new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'cam-1', fragments: [] }] } });
    const input: GetImagesCommandInput = {
      StreamName: 'cam-1',
      ImageSelectorType: 'PRODUCER_TIMESTAMP',
      StartTimestamp: new Date('2026-11-21T10:00:00Z'),
      EndTimestamp: new Date('2026-11-21T10:00:03Z'),
      SamplingInterval: 3000,
      Format: 'PNG',
      FormatConfig: { JPEGQuality: '90' },
      HeightPixels: 120,
      MaxResults: 10,
    };
    const output: Omit<GetImagesCommandOutput, '$metadata'> = await kvam.getImages(input);
    expect(output.Images).toEqual([
      { TimeStamp: new Date('2026-11-21T10:00:00Z'), Error: 'NO_MEDIA' },
      { TimeStamp: new Date('2026-11-21T10:00:03Z'), Error: 'NO_MEDIA' },
    ]);
  });
});
