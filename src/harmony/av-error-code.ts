/**
 * The error codes HarmonyOS Media Kit reports in `BusinessError.code` (`media.AVErrorCode`),
 * with the values of the platform SDK so that code comparing against them keeps working.
 */

/** Media error codes, as in `@ohos.multimedia.media` `AVErrorCode`. */
export enum AVErrorCode {
  /** The operation succeeded. */
  AVERR_OK = 0,
  /** No permission to perform the operation. */
  AVERR_NO_PERMISSION = 201,
  /** A parameter is missing, of the wrong type, or out of range. */
  AVERR_INVALID_PARAMETER = 401,
  /** The API is not supported in this version. */
  AVERR_UNSUPPORT_CAPABILITY = 801,
  /** Memory is exhausted or the instance limit is reached. */
  AVERR_NO_MEMORY = 5400101,
  /** The operation is not allowed in the current state (no source set, already released). */
  AVERR_OPERATE_NOT_PERMIT = 5400102,
  /** The media data could not be read, or is missing or corrupt. */
  AVERR_IO = 5400103,
  /** The operation took too long. */
  AVERR_TIMEOUT = 5400104,
  /** The service doing the work died (here: the decode engine crashed). */
  AVERR_SERVICE_DIED = 5400105,
  /** The media format or codec is not supported (or the file holds no video). */
  AVERR_UNSUPPORT_FORMAT = 5400106,
  /** Audio was interrupted (recording only; never reported by stillframe). */
  AVERR_AUDIO_INTERRUPTED = 5400107,
}
