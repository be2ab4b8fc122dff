/**
 * What an `AVImageGenerator` reads from: the three ways to give it media (`fdSrc`, `dataSrc`,
 * `url`), remembered as set and turned into a core `ByteSource` only when a fetch needs it.
 * Checking is deferred to that point too, so a bad descriptor is reported the HarmonyOS way,
 * as a 401 through the fetch's callback or promise, rather than as an exception from a setter.
 */
import { blobSource } from '../sources/blob-source.js';
import type { ByteSource } from '../sources/byte-source.js';
import { callbackSource } from '../sources/callback-source.js';
import { httpSource } from '../sources/http-source.js';
import { memorySource } from '../sources/memory-source.js';
import { parameterError } from './business-error.js';
import type { AVDataSrcDescriptor, AVFileDescriptor } from './media-types.js';

/** What `dataSrc` accepts: the HarmonyOS descriptor, or (a stillframe extension) the bytes themselves. */
export type DataSource = AVDataSrcDescriptor | Uint8Array | ArrayBuffer | Blob;

/** A source as the application set it, before anything is opened. */
export type SourceSpec =
  | { readonly kind: 'fdSrc'; readonly value: AVFileDescriptor }
  | { readonly kind: 'dataSrc'; readonly value: DataSource }
  | { readonly kind: 'url'; readonly value: string };

/**
 * The file sources import `node:fs`; loading them only when a file descriptor or path is
 * actually used keeps this facade importable where there is no file system (browsers, workers).
 */
const nodeFiles = () => import('../sources/node-file-source.js');

/**
 * Opens the source `spec` describes.
 *
 * @throws BusinessError 401 when the descriptor is malformed (also `StillframeError`s of kind
 *   `invalid-argument` from the sources, which map to 401); `StillframeError` `'io'` when a
 *   file or URL cannot be opened.
 */
export async function openSpec(spec: SourceSpec): Promise<ByteSource> {
  switch (spec.kind) {
    case 'fdSrc':
      return openFileDescriptor(spec.value);
    case 'dataSrc':
      return openData(spec.value);
    case 'url':
      return openUrl(spec.value);
  }
}

async function openFileDescriptor(descriptor: AVFileDescriptor): Promise<ByteSource> {
  if (typeof descriptor !== 'object' || descriptor === null) {
    throw parameterError('fdSrc must be an AVFileDescriptor { fd, offset?, length? }');
  }
  const { fd, offset, length } = descriptor;
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) {
    throw parameterError(`fdSrc.fd must be a non-negative integer file descriptor, got ${String(fd)}`);
  }
  return (await nodeFiles()).fileDescriptorSource(fd, { offset, length });
}

function openData(data: DataSource): ByteSource {
  if (data instanceof Uint8Array) {
    // A Node Buffer is a Uint8Array whose `slice()` shares memory instead of copying; code
    // below that copies with `slice()` would see the whole pooled buffer. A plain view over
    // the same bytes behaves like any Uint8Array and costs no copy.
    return memorySource(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  if (data instanceof ArrayBuffer) return memorySource(data);
  if (isBlob(data)) return blobSource(data);
  if (typeof data === 'object' && data !== null && 'callback' in data) return callbackSource(data);
  throw parameterError(
    'dataSrc must be an AVDataSrcDescriptor { fileSize, callback }, a Uint8Array, an ArrayBuffer or a Blob',
  );
}

/** Blobs are recognised by shape: those of another realm or a polyfill fail `instanceof`. */
function isBlob(value: unknown): value is Blob {
  const candidate = value as Partial<Blob> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.size === 'number' &&
    typeof candidate.slice === 'function' &&
    typeof candidate.arrayBuffer === 'function'
  );
}

async function openUrl(url: string): Promise<ByteSource> {
  if (typeof url !== 'string' || url.length === 0) {
    throw parameterError(`url must be a non-empty string, got ${String(url)}`);
  }
  if (/^https?:\/\//i.test(url)) return httpSource(url);
  const fd = /^fd:\/\/(.*)$/i.exec(url);
  if (fd) {
    // HarmonyOS players take `fd://N` for an already open descriptor.
    if (!/^\d+$/.test(fd[1]!)) throw parameterError(`url ${url} must name a file descriptor as fd://N`);
    return (await nodeFiles()).fileDescriptorSource(Number(fd[1]));
  }
  if (/^file:/i.test(url)) {
    const { fileURLToPath } = await import('node:url');
    let path: string;
    try {
      path = fileURLToPath(url);
    } catch (cause) {
      throw parameterError(`url ${url} is not a valid file URL: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    return (await nodeFiles()).openFileSource(path);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw parameterError(`url ${url} has an unsupported scheme: use http(s)://, fd://N, file:// or a file path`);
  }
  return (await nodeFiles()).openFileSource(url);
}
