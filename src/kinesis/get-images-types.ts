/**
 * The request and response shapes of `GetImages`, written to match the AWS SDK v3
 * (`@aws-sdk/client-kinesis-video-archived-media`) member for member, so that code written
 * against the SDK passes its `GetImagesCommandInput` to this library unchanged and reads our
 * output with the SDK's types. They are restated here rather than imported because the SDK is
 * only a development dependency; `test/kinesis/sdk-types.test.ts` proves the two stay compatible.
 *
 * Required members are typed `T | undefined`, as the SDK types them, so that an SDK input object
 * is assignable; their presence is checked at run time (InvalidArgumentException when missing).
 */

/** Which clock places the images: the producer's timestamps or the server's. */
export type ImageSelectorType = 'PRODUCER_TIMESTAMP' | 'SERVER_TIMESTAMP';

/** Encoding of the returned images. */
export type Format = 'JPEG' | 'PNG';

/** The keys `FormatConfig` accepts (only `JPEGQuality`). */
export type FormatConfigKey = 'JPEGQuality';

/** Why an image is missing: no media at its time, or media that cannot give an image. */
export type ImageError = 'NO_MEDIA' | 'MEDIA_ERROR';

/** Input of `getImages`: the SDK's `GetImagesInput`. */
export interface GetImagesInput {
  /** Name of the stream (`[a-zA-Z0-9_.-]{1,256}`). Give exactly one of `StreamName` and `StreamARN`. */
  StreamName?: string | undefined;
  /** ARN of the stream. Give exactly one of `StreamName` and `StreamARN`. */
  StreamARN?: string | undefined;
  /** Required. Which timestamps place the images. */
  ImageSelectorType: ImageSelectorType | undefined;
  /**
   * Required. First sampling point: a `Date`, or seconds since the epoch (the form the SDK puts
   * on the wire). Kept to whole milliseconds, the precision of the service's timestamps.
   */
  StartTimestamp: Date | number | undefined;
  /** Required. Last possible sampling point (inclusive), at most 300 s after the start. */
  EndTimestamp: Date | number | undefined;
  /**
   * Required (optional in the SDK's type, required by the API reference this library follows).
   * Milliseconds between sampling points, an integer of at least 3000 unless the server lowers
   * its minimum.
   */
  SamplingInterval?: number | undefined;
  /** Required. `JPEG` or `PNG`. */
  Format: Format | undefined;
  /** `{ JPEGQuality: '1'…'100' }`, default `'80'`; used for JPEG only. */
  FormatConfig?: Partial<Record<FormatConfigKey, string>> | undefined;
  /** Output width, 1–3840; only together with `HeightPixels`. */
  WidthPixels?: number | undefined;
  /** Output height, 1–2160; alone, the width follows the display aspect ratio. */
  HeightPixels?: number | undefined;
  /** Most images in one response, 1–100; default 100. */
  MaxResults?: number | undefined;
  /** The `NextToken` of the previous page of the same request. */
  NextToken?: string | undefined;
}

/** One sampling point's result: its image, or why there is none. */
export interface Image {
  /** The sampling point. */
  TimeStamp?: Date | undefined;
  /** Set when there is no image. */
  Error?: ImageError | undefined;
  /** The encoded image, base64 (at most 6,291,456 characters). */
  ImageContent?: string | undefined;
}

/** The response body of GetImages: the SDK's `GetImagesOutput` (what goes on the wire). */
export interface GetImagesOutput {
  /** One entry per sampling point of this page, in time order. */
  Images?: Image[] | undefined;
  /** Present when more sampling points remain: pass it back to get the next page. */
  NextToken?: string | undefined;
}

/** About the response rather than its content: the SDK's `ResponseMetadata` (from `@smithy/types`). */
export interface ResponseMetadata {
  /** The HTTP status the call stands for (200 for a page of images). */
  httpStatusCode?: number | undefined;
  /** The request's id, where a server assigned one. */
  requestId?: string | undefined;
  /** A second request id some AWS services send (`x-amz-id-2`). */
  extendedRequestId?: string | undefined;
  /** The CloudFront id, where CloudFront served the response. */
  cfId?: string | undefined;
  /** How many attempts the call took. */
  attempts?: number | undefined;
  /** Milliseconds spent waiting between retries. */
  totalRetryDelay?: number | undefined;
}

/**
 * What `getImages` returns: the SDK's `GetImagesCommandOutput`, the body plus `$metadata`. Over
 * HTTP only the body is sent; the SDK builds `$metadata` from the HTTP response itself.
 */
export interface GetImagesCommandOutput extends GetImagesOutput {
  $metadata: ResponseMetadata;
}
