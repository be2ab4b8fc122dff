/**
 * The exceptions of Kinesis Video Streams Archived Media `GetImages`, one class per AWS error
 * shape, so that callers of the library can catch them by class and the HTTP endpoint can answer
 * with the status code and `x-amzn-ErrorType` the AWS SDK turns back into its own classes.
 *
 * Names and status codes are those of the service model (botocore
 * `kinesis-video-archived-media/2017-09-30/service-2.json`): the operation lists
 * ResourceNotFoundException (404), InvalidArgumentException (400), ClientLimitExceededException
 * (400), NotAuthorizedException (401) and NoDataRetentionException (400). `ValidationException`
 * is not a shape of the model; the API documentation names it for a size given without the other
 * side, so it exists here for that one case (400, as every AWS `ValidationException`).
 */

/** The `name` of every exception this facade throws. */
export type KinesisVideoArchivedMediaErrorName =
  | 'InvalidArgumentException'
  | 'ResourceNotFoundException'
  | 'ClientLimitExceededException'
  | 'NotAuthorizedException'
  | 'NoDataRetentionException'
  | 'ValidationException';

/**
 * Base class of the GetImages exceptions. Mirrors what the AWS SDK v3 exposes on its service
 * exceptions (`name`, `message`, `$fault`) plus the HTTP status the service answers with.
 */
export abstract class KinesisVideoArchivedMediaError extends Error {
  abstract override readonly name: KinesisVideoArchivedMediaErrorName;
  /** HTTP status code the service answers this exception with. */
  abstract readonly $httpStatus: number;
  /** Every GetImages exception is the caller's to fix (or to retry later), never the server's. */
  readonly $fault = 'client' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A parameter is missing, out of its range, malformed, or cannot be used with the others (400). */
export class InvalidArgumentException extends KinesisVideoArchivedMediaError {
  override readonly name = 'InvalidArgumentException' as const;
  readonly $httpStatus = 400;
}

/** No stream with the given name or ARN exists in the catalog (404). */
export class ResourceNotFoundException extends KinesisVideoArchivedMediaError {
  override readonly name = 'ResourceNotFoundException' as const;
  readonly $httpStatus = 404;
}

/** The request was throttled: too many requests are being served; try again later (400). */
export class ClientLimitExceededException extends KinesisVideoArchivedMediaError {
  override readonly name = 'ClientLimitExceededException' as const;
  readonly $httpStatus = 400;
}

/** The caller is not authorized to read the stream, or its credentials are invalid (401). */
export class NotAuthorizedException extends KinesisVideoArchivedMediaError {
  override readonly name = 'NotAuthorizedException' as const;
  readonly $httpStatus = 401;
}

/** The stream retains no data (400). Kept for completeness of the AWS error set. */
export class NoDataRetentionException extends KinesisVideoArchivedMediaError {
  override readonly name = 'NoDataRetentionException' as const;
  readonly $httpStatus = 400;
}

/** `WidthPixels` was given without `HeightPixels` — the one case the API documentation names (400). */
export class ValidationException extends KinesisVideoArchivedMediaError {
  override readonly name = 'ValidationException' as const;
  readonly $httpStatus = 400;
}

/** True when `error` is one of the GetImages exceptions (of `name`, if given). */
export function isKinesisVideoArchivedMediaError(
  error: unknown,
  name?: KinesisVideoArchivedMediaErrorName,
): error is KinesisVideoArchivedMediaError {
  return error instanceof KinesisVideoArchivedMediaError && (name === undefined || error.name === name);
}
