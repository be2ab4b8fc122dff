/**
 * The access keys an endpoint accepts: AWS-style key pairs (what an SDK client is configured
 * with as `credentials`), each granted some streams. Checked once, when the endpoint is made,
 * so that a typo in a keys file stops the server from starting instead of locking users out.
 */
import type { SigV4Key } from './sigv4.js';
import type { StreamGrant } from './stream-access.js';

/** An accepted key pair and the streams it may read (names or ARNs; `["*"]` for all). */
export interface AccessKey extends SigV4Key, StreamGrant {}

/** The `{ keys }` object of a keys file, or of `createGetImagesApp`'s `auth` option. */
export interface AccessKeys {
  readonly keys: readonly AccessKey[];
}

/**
 * The keys by access key id.
 * @throws TypeError naming the entry, for a key that is not `{ accessKeyId, secretAccessKey,
 *   streams }` with non-empty strings and a non-empty list of strings, or an id used twice.
 */
export function indexAccessKeys(config: AccessKeys, where = 'auth'): Map<string, AccessKey> {
  if (!config || typeof config !== 'object' || !Array.isArray(config.keys)) {
    throw new TypeError(`${where}: expected { "keys": [ { "accessKeyId", "secretAccessKey", "streams" } ] }`);
  }
  const byId = new Map<string, AccessKey>();
  config.keys.forEach((key: AccessKey, i) => {
    const at = `${where}: keys[${i}]`;
    if (!key || typeof key !== 'object') throw new TypeError(`${at}: expected an object`);
    for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
      if (typeof key[field] !== 'string' || key[field] === '') throw new TypeError(`${at}.${field} must be a non-empty string`);
    }
    // Whitespace or a slash would break the `Credential=id/date/…` syntax a client signs with.
    if (!/^[^\s/,=]+$/.test(key.accessKeyId)) throw new TypeError(`${at}.accessKeyId must not contain spaces, '/', ',' or '='`);
    if (!Array.isArray(key.streams) || key.streams.length === 0 || !key.streams.every((s) => typeof s === 'string' && s !== '')) {
      throw new TypeError(`${at}.streams must be a non-empty list of stream names or ARNs (["*"] for every stream)`);
    }
    if (byId.has(key.accessKeyId)) throw new TypeError(`${at}: the accessKeyId '${key.accessKeyId}' is used twice`);
    byId.set(key.accessKeyId, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, streams: [...key.streams] });
  });
  return byId;
}
