/**
 * Random-access byte sources: everything the core reads goes through this interface, so
 * that a file of any size is read with ranged reads and never loaded whole.
 */

/** A readable, random-access sequence of bytes of known size. */
export interface ByteSource {
  /** Total size in bytes. May exceed 2 GiB (it is a double, not an int32). */
  readonly size: number;
  /**
   * Reads `length` bytes starting at `offset`. Returns fewer bytes only when the range runs
   * past the end of the source. Rejects with a `StillframeError` of kind `'io'` when the
   * underlying medium fails.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases handles the source holds (file descriptors opened by the source itself). */
  close?(): Promise<void>;
}
