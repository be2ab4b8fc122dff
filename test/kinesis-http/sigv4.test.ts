/**
 * SigV4 verification on its own, against requests signed by `@smithy/signature-v4` exactly as
 * the SDK signs them: what must pass, and each way a request must be refused.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, parseAmzDate, verifySigV4, type SigV4Key, type SigV4Options } from '../../src/kinesis/http/sigv4.js';

const KEY: SigV4Key = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const OTHER: SigV4Key = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'another secret' };
const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);
const HOST = '127.0.0.1:8080';
const BODY = '{"StreamName":"cam-1"}';

interface Signed {
  method: string;
  url: string;
  headers: Headers;
  body: Uint8Array;
}

/** Signs like the SDK does, then turns the result into what the server receives. */
async function sign(
  options: {
    path?: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
    key?: SigV4Key & { sessionToken?: string };
    region?: string;
    service?: string;
    date?: number;
    signableHeaders?: Set<string>;
    applyChecksum?: boolean;
  } = {},
): Promise<Signed> {
  const body = options.body ?? BODY;
  const signer = new SignatureV4({
    credentials: options.key ?? KEY,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'kinesisvideo',
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? false,
  });
  const path = options.path ?? '/getImages';
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path,
      query: options.query ?? {},
      headers: { host: HOST, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...options.headers },
      body,
    },
    { signingDate: new Date(options.date ?? NOW), signableHeaders: options.signableHeaders },
  );
  const search = new URLSearchParams(options.query ?? {}).toString();
  const url = `http://${HOST}${encodeURI(path)}${search ? `?${search}` : ''}`;
  return { method: 'POST', url, headers: new Headers(signed.headers as Record<string, string>), body: new TextEncoder().encode(body) };
}

const OPTIONS: SigV4Options<SigV4Key> = { keys: new Map([KEY, OTHER].map((k) => [k.accessKeyId, k])), now: () => NOW };

async function verdict(request: Signed, options: Partial<SigV4Options<SigV4Key>> = {}) {
  return verifySigV4(request, { ...OPTIONS, ...options });
}

describe('verifySigV4', () => {
  it('accepts a request signed by a known key, and says which key and region', async () => {
    expect(await verdict(await sign())).toEqual({ ok: true, key: KEY, region: 'us-east-1' });
    const other = await verdict(await sign({ key: OTHER, region: 'ap-southeast-2' }));
    expect(other).toEqual({ ok: true, key: OTHER, region: 'ap-southeast-2' });
  });

  it('accepts what SDKs also sign: a query, an escaped path, a session token, a body hash header, headers the signer skips by default', async () => {
    expect((await verdict(await sign({ query: { b: '2 3', a: 'x/y' } }))).ok).toBe(true);
    expect((await verdict(await sign({ path: '/get Images/ü' }))).ok).toBe(true);
    expect((await verdict(await sign({ key: { ...KEY, sessionToken: 'session-token' } }))).ok).toBe(true);
    expect((await verdict(await sign({ applyChecksum: true }))).ok).toBe(true);
    const userAgent = await sign({ headers: { 'user-agent': 'aws-sdk-js/3' }, signableHeaders: new Set(['user-agent']) });
    expect(userAgent.headers.get('authorization')).toMatch(/user-agent/);
    expect((await verdict(userAgent)).ok).toBe(true);
    // Header values are compared as canonicalised: runs of spaces collapse.
    const spaced = await sign({ headers: { 'x-amz-meta': 'a  b' } });
    spaced.headers.set('x-amz-meta', '  a b ');
    expect((await verdict(spaced)).ok).toBe(true);
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const request = await sign();
    const authorization = request.headers.get('authorization')!;
    const cases: Array<[string | null, RegExp]> = [
      [null, /Missing Authorization/],
      ['Bearer abc', /Malformed/],
      [authorization.replace('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'), /Malformed/],
      [authorization.replace(/Signature=[0-9a-f]+/, 'Signature=abc'), /Malformed/],
      [authorization.replace('/aws4_request', '/aws4_requests'), /Malformed/],
    ];
    for (const [value, reason] of cases) {
      if (value === null) request.headers.delete('authorization');
      else request.headers.set('authorization', value);
      expect(await verdict(request), String(value)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    }
  });

  it('refuses an unknown key, a wrong secret, and any change to what was signed', async () => {
    expect(await verdict(await sign({ key: { accessKeyId: 'AKIDNOBODY', secretAccessKey: KEY.secretAccessKey } }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/unknown access key/),
    });
    expect(await verdict(await sign({ key: { ...KEY, secretAccessKey: 'guess' } }))).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });

    const changes: Array<(r: Signed) => void> = [
      (r) => (r.body = new TextEncoder().encode(BODY.replace('cam-1', 'cam-2'))),
      (r) => (r.url = r.url.replace('/getImages', '/getimages')),
      (r) => (r.url = `${r.url}?extra=1`),
      (r) => (r.method = 'PUT'),
      (r) => r.headers.set('content-type', 'text/plain'),
      (r) => r.headers.set('host', 'example.com'),
    ];
    for (const change of changes) {
      const request = await sign();
      change(request);
      expect(await verdict(request), change.toString()).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    }
  });

  it('refuses a body hash header that does not match the body, or an unsigned payload', async () => {
    for (const hash of ['UNSIGNED-PAYLOAD', '0'.repeat(64)]) {
      const request = await sign({ headers: { 'x-amz-content-sha256': hash } });
      expect(await verdict(request), hash).toMatchObject({ ok: false, reason: expect.stringMatching(/Unsigned payloads|does not match the request body/) });
    }
  });

  it('refuses signatures more than 15 minutes from the server clock, either way', async () => {
    for (const minutes of [-15, 15]) expect((await verdict(await sign({ date: NOW + minutes * 60_000 }))).ok, `${minutes}`).toBe(true);
    for (const minutes of [-16, 16, -24 * 60]) {
      expect(await verdict(await sign({ date: NOW + minutes * 60_000 })), `${minutes}`).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/expired or not yet valid/),
      });
    }
    expect((await verdict(await sign({ date: NOW - 6 * 60_000 }), { maxSkewMs: 5 * 60_000 })).ok).toBe(false);
  });

  it('refuses a bad X-Amz-Date, or one that disagrees with the credential scope', async () => {
    const request = await sign();
    for (const value of ['20261121T100000', '2026-11-21T10:00:00Z', '20261321T100000Z', '20261120T100000Z']) {
      request.headers.set('x-amz-date', value);
      expect((await verdict(request)).ok, value).toBe(false);
    }
    request.headers.delete('x-amz-date');
    expect(await verdict(request)).toMatchObject({ ok: false, reason: expect.stringMatching(/X-Amz-Date/) });
  });

  it('refuses another service, a region other than the configured one, and signatures that leave out host', async () => {
    expect(await verdict(await sign({ service: 's3' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/service "s3"/) });
    expect(await verdict(await sign({ region: 'us-west-2' }), { region: 'us-east-1' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/region "us-west-2"/),
    });
    expect((await verdict(await sign({ region: 'us-west-2' }), { region: 'us-west-2' })).ok).toBe(true);

    const noHost = await sign();
    noHost.headers.set('authorization', noHost.headers.get('authorization')!.replace('SignedHeaders=content-length;content-type;host;', 'SignedHeaders=content-length;content-type;'));
    expect(await verdict(noHost)).toMatchObject({ ok: false, reason: expect.stringMatching(/must include host/) });
  });

  it('refuses a request missing a header it claims to have signed', async () => {
    const request = await sign({ headers: { 'x-amz-target': 'x' } });
    request.headers.delete('x-amz-target');
    expect(await verdict(request)).toMatchObject({ ok: false, reason: expect.stringMatching(/x-amz-target is missing/) });
  });
});

describe('parseAmzDate and constantTimeEqual', () => {
  it('reads only real instants in the basic ISO 8601 form', () => {
    expect(parseAmzDate('20261121T100000Z')?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(parseAmzDate('20240229T235959Z')?.toISOString()).toBe('2024-02-29T23:59:59.000Z');
    for (const bad of ['20250229T000000Z', '20261121T250000Z', '20261121T100000', '2026112T100000Z', '']) expect(parseAmzDate(bad), bad).toBeUndefined();
  });

  it('compares strings whole', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
