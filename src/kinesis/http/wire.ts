/**
 * GetImages on the wire (rest-json, as the AWS SDK v3 serializes it — `GetImages$` and
 * `AwsRestJsonProtocol` in `@aws-sdk/client-kinesis-video-archived-media` / `@aws-sdk/core`):
 * the request is a JSON object whose members are those of `GetImagesInput`, timestamps as epoch
 * seconds (JSON numbers, fractional for milliseconds: the protocol's default timestamp format);
 * the response is `{ "Images": [ { "TimeStamp", "Error", "ImageContent" } ], "NextToken" }`,
 * `TimeStamp` again in epoch seconds. Members not set are left out, never sent as `null`.
 * The response is streamed image by image: a page may hold 100 images of up to 6 MiB of base64
 * each, more than one JavaScript string can hold.
 *
 * Only the shape of the JSON is checked here; the values are the library call's to validate,
 * so the endpoint and the call accept and refuse exactly the same requests.
 */
import { InvalidArgumentException } from '../errors.js';
import type { GetImagesInput, GetImagesOutput } from '../get-images-types.js';

/**
 * The request body as a GetImages input. Epoch-second numbers are passed as they are (the call
 * takes them); an empty body is an input with no members (the call then names what is missing).
 * @throws InvalidArgumentException when the body is not UTF-8 JSON or not a JSON object.
 */
export function readGetImagesRequest(body: Uint8Array): GetImagesInput {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new InvalidArgumentException('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return {} as GetImagesInput;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidArgumentException('The request body is not valid JSON.');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidArgumentException('The request body must be a JSON object of GetImages parameters.');
  }
  return json as GetImagesInput;
}

/** The JSON form of an image on the wire. */
interface WireImage {
  TimeStamp?: number;
  Error?: string;
  ImageContent?: string;
}

/** The response body for `output`: `Date`s as epoch seconds, unset members left out. */
export function writeGetImagesResponse(output: GetImagesOutput): { Images?: WireImage[]; NextToken?: string } {
  const body: { Images?: WireImage[]; NextToken?: string } = {};
  if (output.Images) {
    body.Images = output.Images.map((image) => {
      const wire: WireImage = {};
      if (image.TimeStamp !== undefined) wire.TimeStamp = image.TimeStamp.getTime() / 1000;
      if (image.Error !== undefined) wire.Error = image.Error;
      if (image.ImageContent !== undefined) wire.ImageContent = image.ImageContent;
      return wire;
    });
  }
  if (output.NextToken !== undefined) body.NextToken = output.NextToken;
  return body;
}

/**
 * The response body for `output` as JSON text, one piece per image, so that no string the size
 * of the whole page is ever built. Joined, the pieces are `JSON.stringify(writeGetImagesResponse(output))`.
 */
export function* getImagesResponseJson(output: GetImagesOutput): Generator<string, void, undefined> {
  const { Images, ...rest } = writeGetImagesResponse(output);
  if (Images === undefined) {
    yield JSON.stringify(rest);
    return;
  }
  yield '{"Images":[';
  for (const [i, image] of Images.entries()) yield (i > 0 ? ',' : '') + JSON.stringify(image);
  const tail = JSON.stringify(rest);
  // `rest` is `{}` or `{"NextToken":…}`: continue the object after the array.
  yield tail === '{}' ? ']}' : `],${tail.slice(1)}`;
}

/** {@link getImagesResponseJson} as a UTF-8 byte stream, each piece encoded as it is pulled. */
export function getImagesResponseStream(output: GetImagesOutput): ReadableStream<Uint8Array> {
  const pieces = getImagesResponseJson(output);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}
