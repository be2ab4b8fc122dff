/**
 * HarmonyOS's error object (`BusinessError` from `@kit.BasicServicesKit`) and the translation
 * of stillframe's core errors into it. Every failure the HarmonyOS facade reports goes through
 * here, so the code a caller sees never depends on which layer failed.
 */
import { isStillframeError, type StillframeErrorKind } from '../errors.js';
import { AVErrorCode } from './av-error-code.js';

/**
 * An error with a numeric `code`, as HarmonyOS APIs report them (`BusinessError<T>` of
 * `@ohos.base`). `code` is one of the media error codes ({@link AVErrorCode}), `401` for a bad
 * parameter, or an image error code (`501`) for `image` APIs.
 *
 * @typeParam T Type of the optional `data` payload (HarmonyOS uses it for extra detail).
 */
export class BusinessError<T = void> extends Error {
  /** The error code. */
  code: number;
  /** Extra detail, when an API provides any. */
  declare data?: T;

  /**
   * @param code The error code.
   * @param message What went wrong, in words a caller can act on.
   * @param options `data` payload, and the `cause` (usually the core's `StillframeError`).
   */
  constructor(code: number, message: string, options?: { data?: T; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BusinessError';
    this.code = code;
    if (options && 'data' in options) this.data = options.data;
  }
}

/** Media code for each core error kind. */
const CODE_OF_KIND: Record<StillframeErrorKind, number> = {
  'invalid-argument': AVErrorCode.AVERR_INVALID_PARAMETER,
  'not-allowed': AVErrorCode.AVERR_OPERATE_NOT_PERMIT,
  io: AVErrorCode.AVERR_IO,
  timeout: AVErrorCode.AVERR_TIMEOUT,
  'engine-crashed': AVErrorCode.AVERR_SERVICE_DIED,
  unsupported: AVErrorCode.AVERR_UNSUPPORT_FORMAT,
  // The media API has no "corrupt data" code: data the decoder cannot use is, to the caller,
  // a stream that could not be read properly, which is what 5400103 (I/O) stands for.
  decode: AVErrorCode.AVERR_IO,
};

/**
 * Converts anything thrown below the facade into a {@link BusinessError}.
 *
 * - A `BusinessError` is returned unchanged.
 * - A core `StillframeError` keeps its message and becomes the `cause`; its kind picks the
 *   code: invalid-argument → 401, not-allowed → 5400102, io and decode → 5400103,
 *   timeout → 5400104, engine-crashed → 5400105, unsupported → 5400106.
 * - Anything else is an internal failure, reported as 5400105 (the service died) with the
 *   original message, so that a bug never masquerades as a problem with the caller's media.
 */
export function toBusinessError(error: unknown): BusinessError {
  if (error instanceof BusinessError) return error as BusinessError;
  if (isStillframeError(error)) {
    return new BusinessError(CODE_OF_KIND[error.kind], error.message, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BusinessError(AVErrorCode.AVERR_SERVICE_DIED, `internal error: ${message}`, { cause: error });
}

/** Shorthand for the 401 every API reports for a bad argument. */
export function parameterError(message: string): BusinessError {
  return new BusinessError(AVErrorCode.AVERR_INVALID_PARAMETER, `Parameter error: ${message}`);
}
