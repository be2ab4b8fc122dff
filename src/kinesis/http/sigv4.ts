/**
 * Verifies AWS Signature Version 4 on an incoming request by recomputing it: the request is
 * rebuilt from what the client says it signed (method, path, query, the headers named in
 * `SignedHeaders`, the hash of the body actually received), signed again with the claimed
 * key's secret at the client's `x-amz-date`, and the two signatures compared in constant time.
 * `@smithy/signature-v4` — the signer the AWS SDK itself uses — does the arithmetic, so client
 * and server cannot disagree about canonicalisation.
 *
 * Header-signed requests only (`Authorization: AWS4-HMAC-SHA256 …`, as every AWS SDK sends);
 * presigned URLs and SigV4a are refused. Runtime-neutral: pure-JS SHA-256, no `node:crypto`.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** A secret key the server accepts. */
export interface SigV4Key {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** What of an incoming request the signature covers. */
export interface SigV4Request {
  readonly method: string;
  /** The full request URL (only its path and query are signed; the host comes from `headers`). */
  readonly url: string;
  readonly headers: Headers;
  /** The body exactly as received. */
  readonly body: Uint8Array;
}

/** Options of {@link verifySigV4}. */
export interface SigV4Options<K extends SigV4Key> {
  /** The accepted keys, by access key id. */
  readonly keys: ReadonlyMap<string, K>;
  /** The signing name clients use. Default `kinesisvideo`, the service's. */
  readonly service?: string;
  /** When set, only signatures scoped to this region are accepted; otherwise any region. */
  readonly region?: string;
  /** How far `x-amz-date` may be from the server's clock, in ms. Default 15 minutes, as AWS. */
  readonly maxSkewMs?: number;
  /** The server's clock, in ms since the epoch (for tests). Default `Date.now`. */
  readonly now?: () => number;
}

/** The outcome of {@link verifySigV4}: the key that signed, or why the request is refused. */
export type SigV4Result<K extends SigV4Key> =
  | { readonly ok: true; readonly key: K; readonly region: string }
  | { readonly ok: false; readonly reason: string };

/** The signing name of Kinesis Video Streams (the SDK's `defaultSigningName`). */
export const KINESIS_VIDEO_SIGNING_NAME = 'kinesisvideo';
/** AWS's allowance for clock skew between signer and service. */
export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** `Credential=AKID/yyyymmdd/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
const AUTHORIZATION = new RegExp(
  `^${ALGORITHM}\\s+Credential=([^/\\s,]+)/(\\d{8})/([^/\\s,]+)/([^/\\s,]+)/aws4_request\\s*,\\s*` +
    'SignedHeaders=([a-z0-9!#$%&\'*+.^_`|~-]+(?:;[a-z0-9!#$%&\'*+.^_`|~-]+)*)\\s*,\\s*Signature=([0-9a-f]{64})\\s*$',
);
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The request shape `SignatureV4.sign` takes (its last overload), without naming `@smithy/types`. */
type SignableRequest = Parameters<SignatureV4['sign']>[0];

/**
 * Checks the request's SigV4 `Authorization` header against `options.keys`. Never throws for a
 * bad request: every refusal comes back as `{ ok: false, reason }`, a sentence fit for the
 * client (it names no secret and no expected signature).
 */
export async function verifySigV4<K extends SigV4Key>(request: SigV4Request, options: SigV4Options<K>): Promise<SigV4Result<K>> {
  const refuse = (reason: string): SigV4Result<K> => ({ ok: false, reason });
  const service = options.service ?? KINESIS_VIDEO_SIGNING_NAME;

  const authorization = request.headers.get('authorization');
  if (!authorization) return refuse('Missing Authorization header: requests must be signed with AWS Signature Version 4.');
  const parsed = AUTHORIZATION.exec(authorization.trim());
  if (!parsed) return refuse(`Malformed Authorization header: expected "${ALGORITHM} Credential=…, SignedHeaders=…, Signature=…".`);
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, claimedSignature] = parsed as unknown as string[];

  if (scopeService !== service) return refuse(`Credential scope names service "${scopeService}"; this endpoint is "${service}".`);
  if (options.region !== undefined && region !== options.region) {
    return refuse(`Credential scope names region "${region}"; this endpoint is "${options.region}".`);
  }

  const amzDate = request.headers.get('x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!amzDate || !signingDate) return refuse('Missing or malformed X-Amz-Date header (expected yyyyMMddTHHmmssZ).');
  if (amzDate.slice(0, 8) !== scopeDate) return refuse('The credential scope date does not match X-Amz-Date.');
  const skew = Math.abs((options.now ?? Date.now)() - signingDate.getTime());
  const maxSkew = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (skew > maxSkew) {
    return refuse(`Signature expired or not yet valid: X-Amz-Date ${amzDate} is more than ${Math.round(maxSkew / 60_000)} minutes from the server's time.`);
  }

  const signedHeaders = signedHeaderList.split(';');
  // Without these the signature would not bind the request to this server and this moment.
  for (const required of ['host', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) return refuse(`SignedHeaders must include ${required}.`);
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = request.headers.get(name);
    if (value === null) return refuse(`Signed header ${name} is missing from the request.`);
    headers[name] = value;
  }

  const key = options.keys.get(accessKeyId);
  if (!key) return refuse('The security token included in the request is invalid: unknown access key.');

  // The signer trusts a present x-amz-content-sha256 instead of hashing the body, so the claim
  // is checked against the body actually received (and an unsigned payload is not accepted).
  const bodyHash = await sha256Hex(request.body);
  const claimedBodyHash = headers['x-amz-content-sha256'];
  if (claimedBodyHash !== undefined && claimedBodyHash !== bodyHash) {
    return refuse(
      claimedBodyHash === UNSIGNED_PAYLOAD ? 'Unsigned payloads are not accepted.' : 'X-Amz-Content-Sha256 does not match the request body.',
    );
  }

  const url = new URL(request.url);
  let path: string;
  try {
    // The signer escapes the path itself, so it wants it decoded, as the client had it.
    path = decodeURIComponent(url.pathname);
  } catch {
    return refuse('The request path is not valid percent-encoding.');
  }
  const signable: SignableRequest = {
    method: request.method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    path,
    query: queryRecord(url.searchParams),
    headers,
    body: request.body,
  };
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    region,
    service,
    sha256: Sha256,
    // Adding x-amz-content-sha256 would change the signed header set the client chose.
    applyChecksum: false,
  });
  const signed = await signer.sign(signable, {
    signingDate,
    // The signer skips some headers (user-agent, …) unless told; a client that signed them must
    // have them counted, so exactly the client's list is declared signable.
    signableHeaders: new Set(signedHeaders),
  });
  const recomputed = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (!constantTimeEqual(recomputed, claimedSignature)) {
    return refuse('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  return { ok: true, key, region };
}

/** `yyyyMMddTHHmmssZ` as a Date, or undefined when it is not a real UTC instant in that form. */
export function parseAmzDate(text: string): Date | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 20261332 over into February; a signer never would.
  const roundTrip = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  return roundTrip === text ? date : undefined;
}

/** Hex SHA-256 of `bytes`. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = new Sha256();
  hash.update(bytes);
  return toHex(await hash.digest());
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The query as the signer takes it: decoded values, repeated names as arrays. */
function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

/**
 * Compares two strings in time that depends on their length only, so a forger cannot learn a
 * signature byte by byte from response times.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return difference === 0;
}
