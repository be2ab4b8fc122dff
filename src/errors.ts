/**
 * Typed errors of the stillframe core. Facades translate them into their own
 * error shapes (HarmonyOS `BusinessError` codes, AWS exceptions); the core knows no facade.
 */

/** What went wrong, independent of any facade. */
export type StillframeErrorKind =
  /** A caller passed an argument the API does not accept. */
  | 'invalid-argument'
  /** The operation is not allowed in the current state (closed, no source). */
  | 'not-allowed'
  /** The source could not be read, or bytes a frame needs are missing (truncated file). */
  | 'io'
  /** The container, codec or stream is not one the engine can handle (or there is no video). */
  | 'unsupported'
  /** The data is present but the decoder could not produce the frame from it. */
  | 'decode'
  /** The decode engine exceeded its time limit; the instance was discarded. */
  | 'timeout'
  /** The decode engine crashed (a wasm trap); the instance was discarded. */
  | 'engine-crashed';

/** Base class of every error the stillframe core throws. */
export class StillframeError extends Error {
  /** Machine-readable category of the failure. */
  readonly kind: StillframeErrorKind;

  constructor(kind: StillframeErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StillframeError';
    this.kind = kind;
  }
}

/** Shorthand constructors, so call sites read as what happened. */
export const invalidArgument = (message: string) => new StillframeError('invalid-argument', message);
export const notAllowed = (message: string) => new StillframeError('not-allowed', message);
export const ioError = (message: string, cause?: unknown) => new StillframeError('io', message, { cause });
export const unsupported = (message: string, cause?: unknown) =>
  new StillframeError('unsupported', message, { cause });
export const decodeError = (message: string, cause?: unknown) => new StillframeError('decode', message, { cause });
export const timeoutError = (message: string) => new StillframeError('timeout', message);

/**
 * `error` as a value when it is a {@link StillframeError}, the failure of one item of a batch;
 * anything else (a bug) is thrown on.
 */
export function asFailure(error: unknown): StillframeError {
  if (error instanceof StillframeError) return error;
  throw error;
}

/** True when `error` is a {@link StillframeError} (of `kind`, if given). */
export function isStillframeError(error: unknown, kind?: StillframeErrorKind): error is StillframeError {
  return error instanceof StillframeError && (kind === undefined || error.kind === kind);
}
