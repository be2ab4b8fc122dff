/**
 * The GetImages shapes are the AWS SDK v3's: an SDK `GetImagesCommandInput` can be passed to
 * `getImages` unchanged, and what `getImages` returns is an SDK `GetImagesCommandOutput`,
 * `$metadata` included. The types are checked by the type checker (`tsc --noEmit` covers the
 * tests); the runtime assertions check what the call returns.
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
import type {
  Format,
  GetImagesCommandOutput as OurGetImagesCommandOutput,
  GetImagesInput,
  GetImagesOutput,
  Image,
  ImageError,
  ImageSelectorType,
} from '../../src/kinesis/get-images-types.js';

describe('GetImages types against @aws-sdk/client-kinesis-video-archived-media', () => {
  it("the SDK's GetImagesCommandInput is assignable to GetImagesInput", () => {
    expectTypeOf<GetImagesCommandInput>().toExtend<GetImagesInput>();
    expect(true).toBe(true);
  });

  it("what getImages returns is assignable to the SDK's GetImagesCommandOutput, $metadata included", () => {
    expectTypeOf<Awaited<ReturnType<KinesisVideoArchivedMedia['getImages']>>>().toExtend<GetImagesCommandOutput>();
    expectTypeOf<OurGetImagesCommandOutput>().toExtend<GetImagesCommandOutput>();
    expectTypeOf<Image>().toExtend<SdkImage>();
  });

  it("the response body type (what goes on the wire) is the SDK's, without $metadata", () => {
    expectTypeOf<GetImagesOutput>().toExtend<Omit<GetImagesCommandOutput, '$metadata'>>();
    expectTypeOf<GetImagesOutput>().not.toHaveProperty('$metadata');
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
    const output: GetImagesCommandOutput = await kvam.getImages(input);
    expect(output).toEqual({
      $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      Images: [
        { TimeStamp: new Date('2026-11-21T10:00:00Z'), Error: 'NO_MEDIA' },
        { TimeStamp: new Date('2026-11-21T10:00:03Z'), Error: 'NO_MEDIA' },
      ],
    });
  });

  it('every page of paginateGetImages has its own $metadata, as the SDK paginator yields them', async () => {
    const kvam = new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'cam-1', fragments: [] }] } });
    const pages: GetImagesCommandOutput[] = [];
    for await (const page of kvam.paginateGetImages({
      StreamName: 'cam-1',
      ImageSelectorType: 'PRODUCER_TIMESTAMP',
      StartTimestamp: new Date('2026-11-21T10:00:00Z'),
      EndTimestamp: new Date('2026-11-21T10:00:03Z'),
      SamplingInterval: 3000,
      Format: 'JPEG',
      MaxResults: 1,
    })) {
      pages.push(page);
    }
    expect(pages.map((page) => page.$metadata)).toEqual([
      { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
    ]);
    expect(pages[0]!.$metadata).not.toBe(pages[1]!.$metadata);
  });
});
