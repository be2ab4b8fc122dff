/**
 * `NextToken`: where the next page of a GetImages listing starts, carried by the client.
 *
 * Stateless: the token holds the position (index of the next sampling point) and an
 * HMAC-SHA256 over that position and the request parameters it continues, under a server
 * secret. Any server holding the secret can continue any listing, nothing is stored, and a token
 * that was forged, altered, or replayed with other parameters fails the MAC check. The parameters
 * are bound by the MAC, not copied into the token, which keeps it short (52 characters).
 *
 * Layout, then standard base64: version (1 byte, = 1) · position (uint32, big-endian) · MAC (32 bytes).
 *
 * Uses Web Crypto (`crypto.subtle`), present in Node ≥ 20, Deno, browsers and edge runtimes.
 */
import { InvalidArgumentException } from './errors.js';
import type { GetImagesRequest } from './validate.js';

const VERSION = 1;
const MAC_BYTES = 32;
const TOKEN_BYTES = 1 + 4 + MAC_BYTES;
/** Bytes of a generated secret: the hash's output length, the least RFC 2104 recommends for an HMAC key. */
const RANDOM_SECRET_BYTES = 32;

/**
 * The request parameters a token is valid for: everything that decides which images a page
 * holds, with the stream by its catalog name (also when the request named it by ARN).
 * `jpegQuality` is bound for JPEG only: PNG output does not depend on it.
 */
export type TokenBinding = Pick<
  GetImagesRequest,
  'selector' | 'startMs' | 'endMs' | 'intervalMs' | 'format' | 'jpegQuality' | 'widthPixels' | 'heightPixels'
> & { readonly stream: string };

const MALFORMED = 'NextToken is malformed: it must be the NextToken of a previous GetImages response';
const NOT_VALID =
  'NextToken is not valid for this request: it was not issued by this server, was altered, or was issued for different request parameters';

/** Issues and checks NextTokens under one secret. */
export class NextTokenCodec {
  private readonly key: Promise<CryptoKey>;

  /**
   * @param secret The server secret, shared by every server that must accept each other's
   *   tokens. Without one, a random secret is made for this codec: its tokens are then valid only
   *   on this instance and only until it is discarded (a restarted server refuses old tokens).
   */
  constructor(secret?: string | Uint8Array) {
    let bytes: Uint8Array;
    if (secret === undefined) {
      bytes = crypto.getRandomValues(new Uint8Array(RANDOM_SECRET_BYTES));
    } else if (typeof secret === 'string') {
      bytes = new TextEncoder().encode(secret);
    } else if (secret instanceof Uint8Array) {
      bytes = secret;
    } else {
      throw new TypeError('tokenSecret must be a string or a Uint8Array');
    }
    if (bytes.length === 0) throw new TypeError('tokenSecret must not be empty');
    // Copy into a fresh ArrayBuffer: importKey wants a BufferSource it may read after the caller changes theirs.
    this.key = crypto.subtle.importKey('raw', new Uint8Array(bytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  }

  /** A token for the page starting at point index `position` of the request `binding` describes. */
  async issue(binding: TokenBinding, position: number): Promise<string> {
    if (!Number.isInteger(position) || position < 0 || position > 0xffffffff) {
      throw new RangeError(`token position must be a uint32, got ${position}`);
    }
    const token = new Uint8Array(TOKEN_BYTES);
    token[0] = VERSION;
    new DataView(token.buffer).setUint32(1, position);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await this.key, signedBytes(binding, position)));
    token.set(mac, 5);
    return toBase64(token);
  }

  /**
   * The position a token names, after checking that this server issued it for `binding`.
   * @param pointCount Number of sampling points of the request: the position must be below it.
   * @throws InvalidArgumentException when the token is malformed, forged, altered, or issued for
   *   other parameters.
   */
  async open(token: string, binding: TokenBinding, pointCount: number): Promise<number> {
    const bytes = fromBase64(token);
    if (!bytes || bytes.length !== TOKEN_BYTES || bytes[0] !== VERSION) throw new InvalidArgumentException(MALFORMED);
    const position = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
    const valid = await crypto.subtle.verify('HMAC', await this.key, bytes.slice(5), signedBytes(binding, position));
    if (!valid) throw new InvalidArgumentException(NOT_VALID);
    // Only reachable with a genuine token, so this is a server bug rather than a client's: still refuse it.
    if (position >= pointCount) throw new InvalidArgumentException(NOT_VALID);
    return position;
  }
}

/**
 * What the MAC covers: a purpose label, the position and every bound parameter, `|`-separated
 * (no bound value can contain `|`: names are `[a-zA-Z0-9_.-]`, the rest are numbers and enums).
 */
function signedBytes(binding: TokenBinding, position: number): Uint8Array<ArrayBuffer> {
  const fields = [
    'stillframe/GetImages/NextToken/v1',
    position,
    binding.stream,
    binding.selector,
    binding.startMs,
    binding.endMs,
    binding.intervalMs,
    binding.format,
    binding.format === 'JPEG' ? binding.jpegQuality : '-',
    binding.widthPixels ?? '-',
    binding.heightPixels ?? '-',
  ];
  return new TextEncoder().encode(fields.join('|'));
}

/** Standard base64 with padding (what the model's NextToken pattern allows). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes standard base64, or `undefined` when it is not. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
