/**
 * `ImageContent`: an encoded image as base64 text, within the service's size limit. Encoded here
 * without `Buffer` so that it runs in every runtime.
 */

/** Longest `ImageContent` the service returns, in characters (the model's limit, 6 MiB). */
export const MAX_IMAGE_CONTENT_CHARS = 6_291_456;

/** Bytes turned into a string per `String.fromCharCode` call: well under engines' argument limits. */
const CHUNK = 0x8000;

/**
 * The base64 text of `bytes`, or `undefined` when it would exceed `maxChars` (the image is then
 * reported as `MEDIA_ERROR`, as the service cannot return it). The length is checked before
 * encoding, so an oversized image costs nothing more.
 */
export function imageContent(bytes: Uint8Array, maxChars: number = MAX_IMAGE_CONTENT_CHARS): string | undefined {
  if (Math.ceil(bytes.length / 3) * 4 > maxChars) return undefined;
  let binary = '';
  for (let at = 0; at < bytes.length; at += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(at, at + CHUNK));
  }
  return btoa(binary);
}
