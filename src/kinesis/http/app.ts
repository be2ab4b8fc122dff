/**
 * `POST /getImages` of Kinesis Video Streams Archived Media as a Hono app: the service's
 * rest-json protocol, so the official AWS SDK (`GetImagesCommand`, `paginateGetImages`) talks to
 * it unchanged with `endpoint` pointed here. The handler only translates HTTP ⇄ the library
 * call: every image, validation rule, NextToken and exception comes from the same
 * {@link KinesisVideoArchivedMedia#getImages} library users call directly.
 *
 * Per request, in order: body size limit → SigV4 signature → JSON shape → stream grant of the
 * key → a decode slot (bounded concurrency) → the call. Runtime-neutral (Fetch API, Hono, pure-JS
 * crypto), so the same app runs under Node (`node-server.ts`), Deno and edge runtimes.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { KinesisVideoArchivedMedia } from '../archived-media.js';
import { ClientLimitExceededException, isKinesisVideoArchivedMediaError, NotAuthorizedException } from '../errors.js';
import { indexAccessKeys, type AccessKey, type AccessKeys } from './access-keys.js';
import { faultResponse, internalFailure, newRequestId, unknownOperation } from './error-response.js';
import { ConcurrencyLimit } from './limits.js';
import { verifySigV4 } from './sigv4.js';
import { ALL_STREAMS, streamAccessDenial, type StreamGrant } from './stream-access.js';
import { getImagesResponseStream, readGetImagesRequest } from './wire.js';

/** Options of {@link createGetImagesApp}. */
export interface GetImagesAppOptions {
  /** The library instance that serves the requests (its catalog, token secret, engine). */
  readonly kvam: KinesisVideoArchivedMedia;
  /**
   * The accepted keys (every request must carry a valid SigV4 signature by one of them), or
   * `'none'` to serve anyone. Required, so that an open endpoint is always a stated choice.
   */
  readonly auth: AccessKeys | 'none';
  /** Requests that decode at once. Default 2. */
  readonly maxConcurrent?: number;
  /** How long a request waits for a decode slot before ClientLimitExceededException, in ms. Default 2000. */
  readonly queueTimeoutMs?: number;
  /** Requests that may wait for a slot at once; more are refused at once. Default 64. */
  readonly maxQueued?: number;
  /** Largest request body accepted, in bytes. Default 64 KiB (a GetImages request is under 6 KiB). */
  readonly maxBodyBytes?: number;
  /** Accept only signatures scoped to this region. Default: any region the client signs for. */
  readonly region?: string;
  /**
   * Told about failures of the server itself (bugs, not bad requests), which the client sees
   * only as an `InternalFailure` with a request id. Default: `console.error`.
   */
  readonly onInternalError?: (error: unknown, requestId: string) => void;
}

/** Default {@link GetImagesAppOptions.maxBodyBytes}. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The path the AWS SDK sends GetImages to (`GetImages$` http trait: `POST /getImages`). */
export const GET_IMAGES_PATH = '/getImages';

const EVERY_STREAM: StreamGrant = { streams: [ALL_STREAMS] };

/**
 * The GetImages endpoint as a Hono app: `POST /getImages`; anything else is a 404
 * `UnknownOperationException`. Serve it with `app.fetch` in any runtime, or with
 * `startGetImagesServer` in Node.
 *
 * Refusals, each as the exception the SDK raises: a body over `maxBodyBytes` →
 * InvalidArgumentException with status 413; a missing, malformed, stale (over 15 minutes),
 * wrong or unknown-key signature, or a key not granted the stream → NotAuthorizedException
 * (401); no decode slot within `queueTimeoutMs` → ClientLimitExceededException (400); a body
 * that is not a JSON object → InvalidArgumentException; everything else as the library call
 * throws it.
 *
 * @throws TypeError / RangeError for invalid options (a malformed key, a limit out of range).
 */
export function createGetImagesApp(options: GetImagesAppOptions): Hono {
  const { kvam, auth } = options;
  if (!kvam || typeof kvam.getImages !== 'function') throw new TypeError('createGetImagesApp: kvam must be a KinesisVideoArchivedMedia');
  if (auth !== 'none' && (auth === undefined || auth === null || typeof auth !== 'object')) {
    throw new TypeError("createGetImagesApp: auth must be { keys: [...] } or 'none'");
  }
  const keys = auth === 'none' ? undefined : indexAccessKeys(auth);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new RangeError(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  const limit = new ConcurrencyLimit(options);
  const onInternalError = options.onInternalError ?? ((error, requestId) => console.error(`getImages ${requestId}: internal failure`, error));

  const app = new Hono();

  app.post(
    GET_IMAGES_PATH,
    bodyLimit({
      maxSize: maxBodyBytes,
      // 413 for HTTP clients and proxies; InvalidArgumentException ("a parameter exceeds its
      // restrictions") so the SDK raises a class its users can catch. Sent before the body is read.
      onError: () =>
        faultResponse(
          { name: 'InvalidArgumentException', $httpStatus: 413, message: `The request body exceeds the limit of ${maxBodyBytes} bytes.` },
          newRequestId(),
        ),
    }),
    async (c) => {
      const requestId = newRequestId();
      try {
        const body = new Uint8Array(await c.req.arrayBuffer());
        let grant: StreamGrant = EVERY_STREAM;
        if (keys) {
          const verdict = await verifySigV4<AccessKey>(
            { method: c.req.method, url: c.req.url, headers: c.req.raw.headers, body },
            { keys, region: options.region },
          );
          if (!verdict.ok) throw new NotAuthorizedException(verdict.reason);
          grant = verdict.key;
        }
        const input = readGetImagesRequest(body);
        const denial = streamAccessDenial(grant, input, kvam.catalog);
        if (denial) throw new NotAuthorizedException(denial);

        const release = await limit.acquire(c.req.raw.signal);
        if (!release) {
          throw new ClientLimitExceededException(
            `Too many GetImages requests are being served (${limit.maxConcurrent} at a time); try again later.`,
          );
        }
        let output;
        try {
          output = await kvam.getImages(input);
        } finally {
          release();
        }
        return new Response(getImagesResponseStream(output), {
          status: 200,
          headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId },
        });
      } catch (error) {
        if (isKinesisVideoArchivedMediaError(error)) return faultResponse(error, requestId);
        onInternalError(error, requestId);
        return faultResponse(internalFailure(requestId), requestId);
      }
    },
  );

  app.notFound((c) => faultResponse(unknownOperation(c.req.method, c.req.path), newRequestId()));
  app.onError((error) => {
    const requestId = newRequestId();
    onInternalError(error, requestId);
    return faultResponse(internalFailure(requestId), requestId);
  });
  return app;
}
