/**
 * The endpoint as the AWS SDK sees it: requests the real client serializes are understood, and
 * every refusal surfaces as the SDK's own exception class. The catalog's fragments name files
 * that do not exist, so a request that gets through answers at once with MEDIA_ERROR images and
 * these specs need no media (the images themselves are `listing.test.ts`'s subject).
 */
import {
  ClientLimitExceededException,
  GetImagesCommand,
  InvalidArgumentException,
  KinesisVideoArchivedMediaServiceException,
  ListFragmentsCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  type GetImagesCommandInput,
} from '@aws-sdk/client-kinesis-video-archived-media';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { Catalog } from '../../src/kinesis/catalog.js';
import type { GetImagesCommandOutput, GetImagesInput } from '../../src/kinesis/get-images-types.js';
import { CAM2_ARN, KEYS, REGION, fileFragment, gate, rejectionOf, sdkClient, startEndpoint, type TestEndpoint } from './helpers.js';

const MISSING = '/nonexistent/stillframe-kinesis-http/missing.mp4';
const CAM1_ARN = 'arn:aws:kinesisvideo:us-east-1:123456789012:stream/cam-1/1700000000001';
const CATALOG: Catalog = {
  streams: [
    { name: 'cam-1', arn: CAM1_ARN, fragments: [fileFragment(MISSING, '2026-11-21T10:00:00Z')] },
    { name: 'cam-2', arn: CAM2_ARN, fragments: [fileFragment(MISSING, '2026-11-21T10:00:00Z')] },
  ],
};
const START = new Date('2026-11-21T10:00:00Z');

/** A valid request for `stream`: three points, 500 ms apart. */
function request(overrides: Partial<GetImagesCommandInput> = {}): GetImagesCommandInput {
  return {
    StreamName: 'cam-1',
    ImageSelectorType: 'PRODUCER_TIMESTAMP',
    StartTimestamp: START,
    EndTimestamp: new Date(START.getTime() + 1000),
    SamplingInterval: 500,
    Format: 'JPEG',
    ...overrides,
  };
}

/** A SigV4-signed fetch to `url`, with `tamper` applied to the request after signing. */
async function signedFetch(
  url: string,
  body: string,
  tamper: (r: { headers: Record<string, string>; body: string }) => void = () => {},
): Promise<Response> {
  const target = new URL('/getImages', url);
  const signer = new SignatureV4({ credentials: KEYS.all, region: REGION, service: 'kinesisvideo', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query: {},
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  const sent = { headers: { ...(signed.headers as Record<string, string>) }, body };
  tamper(sent);
  delete sent.headers.host; // fetch sets it itself
  return fetch(target, { method: 'POST', headers: sent.headers, body: sent.body });
}

describe('GetImages endpoint: protocol', () => {
  let endpoint: TestEndpoint;
  beforeAll(async () => {
    endpoint = await startEndpoint(CATALOG);
  });
  afterAll(() => endpoint?.close());

  it('answers the SDK: one image per point, TimeStamps as Dates, each with its error', async () => {
    const out = await sdkClient(endpoint).send(new GetImagesCommand(request()));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.NextToken).toBeUndefined();
    expect(out.Images).toEqual([0, 500, 1000].map((ms) => ({ TimeStamp: new Date(START.getTime() + ms), Error: 'MEDIA_ERROR' })));
  });

  it('takes epoch-second timestamps with milliseconds as the SDK writes them', async () => {
    // 10:00:00.250 → the SDK sends 1795255200.25
    const start = new Date(START.getTime() - 750);
    const out = await sdkClient(endpoint).send(new GetImagesCommand(request({ StartTimestamp: start, EndTimestamp: new Date(start.getTime() + 1000) })));
    expect(out.Images?.map((i) => [i.TimeStamp?.getTime(), i.Error])).toEqual([
      [start.getTime(), 'NO_MEDIA'],
      [start.getTime() + 500, 'NO_MEDIA'],
      [start.getTime() + 1000, 'MEDIA_ERROR'],
    ]);
  });

  it('serves the same answers as the library call (one implementation)', async () => {
    const input = { ...request(), MaxResults: 2 } satisfies GetImagesInput;
    const viaHttp = await sdkClient(endpoint).send(new GetImagesCommand(input));
    const direct: GetImagesCommandOutput = await endpoint.kvam.getImages(input);
    expect(viaHttp.Images).toEqual(direct.Images);
    // The token issued over HTTP continues the listing in the library, and the other way round.
    const rest = await endpoint.kvam.getImages({ ...input, NextToken: viaHttp.NextToken });
    const restViaHttp = await sdkClient(endpoint).send(new GetImagesCommand({ ...input, NextToken: direct.NextToken }));
    expect(restViaHttp.Images).toEqual(rest.Images);
    expect(rest.Images?.[0]?.TimeStamp).toEqual(new Date(START.getTime() + 1000));
  });

  it('raises InvalidArgumentException for a request the library refuses', async () => {
    const error = await rejectionOf(sdkClient(endpoint).send(new GetImagesCommand(request({ EndTimestamp: new Date(START.getTime() - 1000) }))));
    expect(error).toBeInstanceOf(InvalidArgumentException);
    expect(error.message).toMatch(/EndTimestamp must not be before StartTimestamp/);
    expect(error.$metadata?.httpStatusCode).toBe(400);

    const missing = await rejectionOf(sdkClient(endpoint).send(new GetImagesCommand(request({ Format: undefined }))));
    expect(missing).toBeInstanceOf(InvalidArgumentException);
    expect(missing.message).toMatch(/Format/);
  });

  it('raises ResourceNotFoundException for an unknown stream', async () => {
    const error = await rejectionOf(sdkClient(endpoint).send(new GetImagesCommand(request({ StreamName: 'cam-9' }))));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata?.httpStatusCode).toBe(404);
  });

  it('raises ValidationException (by name) for a width without a height', async () => {
    const error = await rejectionOf(sdkClient(endpoint).send(new GetImagesCommand(request({ WidthPixels: 320 }))));
    // Not a shape of the service model, so the SDK raises its service exception with that name.
    expect(error).toBeInstanceOf(KinesisVideoArchivedMediaServiceException);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/WidthPixels requires HeightPixels/);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('refuses a forged or altered NextToken, and one sent with other parameters', async () => {
    const client = sdkClient(endpoint);
    const first = await client.send(new GetImagesCommand(request({ MaxResults: 1 })));
    const token = first.NextToken!;
    expect(token).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    for (const NextToken of [flipped, Buffer.from('{"position":1}').toString('base64'), 'not a token!']) {
      const error = await rejectionOf(client.send(new GetImagesCommand(request({ MaxResults: 1, NextToken }))));
      expect(error, NextToken).toBeInstanceOf(InvalidArgumentException);
      expect(error.message).toMatch(/NextToken/);
    }
    const otherRequest = await rejectionOf(client.send(new GetImagesCommand(request({ MaxResults: 1, Format: 'PNG', NextToken: token }))));
    expect(otherRequest).toBeInstanceOf(InvalidArgumentException);
    // The genuine token still works.
    const second = await client.send(new GetImagesCommand(request({ MaxResults: 1, NextToken: token })));
    expect(second.Images?.[0]?.TimeStamp).toEqual(new Date(START.getTime() + 500));
  });

  it('answers unknown operations and methods with 404', async () => {
    const unknown = await rejectionOf(sdkClient(endpoint).send(new ListFragmentsCommand({ StreamName: 'cam-1' })));
    expect(unknown.name).toBe('UnknownOperationException');
    expect(unknown.$metadata?.httpStatusCode).toBe(404);
    for (const [method, path] of [['GET', '/getImages'], ['POST', '/'], ['POST', '/getimages'], ['PUT', '/getImages']] as const) {
      const response = await fetch(new URL(path, endpoint.url), { method });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    }
  });
});

describe('GetImages endpoint: authentication', () => {
  let endpoint: TestEndpoint;
  beforeAll(async () => {
    endpoint = await startEndpoint(CATALOG);
  });
  afterAll(() => endpoint?.close());

  it('refuses a wrong secret key and an unknown access key', async () => {
    for (const key of [
      { accessKeyId: KEYS.all.accessKeyId, secretAccessKey: 'not-the-secret' },
      { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: KEYS.all.secretAccessKey },
    ]) {
      const error = await rejectionOf(sdkClient(endpoint, key).send(new GetImagesCommand(request())));
      expect(error, key.accessKeyId).toBeInstanceOf(NotAuthorizedException);
      expect(error.$metadata?.httpStatusCode).toBe(401);
    }
  });

  it('refuses a signature made more than 15 minutes before or after the server time', async () => {
    for (const minutes of [-16, 16]) {
      const client = sdkClient(endpoint, KEYS.all, { systemClockOffset: minutes * 60_000 });
      const error = await rejectionOf(client.send(new GetImagesCommand(request())));
      expect(error, `${minutes} min`).toBeInstanceOf(NotAuthorizedException);
      expect(error.message).toMatch(/expired|not yet valid/);
    }
    // Within the allowance, a skewed clock is fine.
    const close = sdkClient(endpoint, KEYS.all, { systemClockOffset: -10 * 60_000 });
    await expect(close.send(new GetImagesCommand(request()))).resolves.toBeDefined();
  });

  it('sends a Date header, from which the SDK corrects its clock after a refusal', async () => {
    const client = sdkClient(endpoint, KEYS.all, { systemClockOffset: -60 * 60_000 });
    expect(await rejectionOf(client.send(new GetImagesCommand(request())))).toBeInstanceOf(NotAuthorizedException);
    // The SDK read the server's time off the refusal, so its next signature is on time.
    await expect(client.send(new GetImagesCommand(request()))).resolves.toBeDefined();
  });

  it('refuses unsigned requests, tampered bodies and unsigned payloads', async () => {
    const body = JSON.stringify({ ...request(), StartTimestamp: START.getTime() / 1000, EndTimestamp: START.getTime() / 1000 + 1 });
    const unsigned = await fetch(new URL('/getImages', endpoint.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(await unsigned.json()).toEqual({ __type: 'NotAuthorizedException', Message: expect.stringMatching(/Missing Authorization/) });

    expect((await signedFetch(endpoint.url, body)).status).toBe(200);
    const tampered = await signedFetch(endpoint.url, body, (r) => (r.body = body.replace('cam-1', 'cam-2')));
    expect(tampered.status).toBe(401);
    const unsignedPayload = await signedFetch(endpoint.url, body, (r) => {
      r.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    });
    expect(unsignedPayload.status).toBe(401);
    const garbled = await signedFetch(endpoint.url, body, (r) => {
      r.headers.authorization = r.headers.authorization!.replace('Credential=', 'Credentials=');
    });
    expect(garbled.status).toBe(401);
    expect((await garbled.json()).Message).toMatch(/Malformed Authorization/);
  });

  it('lets a key read only the streams it is granted, by name or by ARN', async () => {
    const cam1 = sdkClient(endpoint, KEYS.cam1);
    await expect(cam1.send(new GetImagesCommand(request({ StreamName: 'cam-1' })))).resolves.toBeDefined();
    await expect(cam1.send(new GetImagesCommand(request({ StreamName: undefined, StreamARN: CAM1_ARN })))).resolves.toBeDefined();
    for (const other of [{ StreamName: 'cam-2' }, { StreamName: undefined, StreamARN: CAM2_ARN }, { StreamName: 'cam-9' }]) {
      const error = await rejectionOf(cam1.send(new GetImagesCommand(request(other))));
      // Not ResourceNotFoundException for cam-9: a key learns nothing of streams it may not read.
      expect(error, JSON.stringify(other)).toBeInstanceOf(NotAuthorizedException);
      expect(error.message).toMatch(/not authorized/);
    }

    const byArn = sdkClient(endpoint, KEYS.byArn);
    await expect(byArn.send(new GetImagesCommand(request({ StreamName: 'cam-2' })))).resolves.toBeDefined();
    await expect(byArn.send(new GetImagesCommand(request({ StreamName: undefined, StreamARN: CAM2_ARN })))).resolves.toBeDefined();
    expect(await rejectionOf(byArn.send(new GetImagesCommand(request({ StreamName: 'cam-1' }))))).toBeInstanceOf(NotAuthorizedException);
  });

  it('accepts only the configured region when one is set', async () => {
    const regional = await startEndpoint(CATALOG, { region: 'eu-west-1' });
    try {
      const error = await rejectionOf(sdkClient(regional).send(new GetImagesCommand(request())));
      expect(error).toBeInstanceOf(NotAuthorizedException);
      expect(error.message).toMatch(/eu-west-1/);
      await expect(sdkClient(regional, KEYS.all, { region: 'eu-west-1' }).send(new GetImagesCommand(request()))).resolves.toBeDefined();
    } finally {
      await regional.close();
    }
  });

  it("serves unsigned requests when auth is 'none'", async () => {
    const open = await startEndpoint(CATALOG, { auth: 'none' });
    try {
      const body = JSON.stringify({ ...request(), StartTimestamp: START.getTime() / 1000, EndTimestamp: START.getTime() / 1000 });
      const response = await fetch(new URL('/getImages', open.url), { method: 'POST', body });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ Images: [{ TimeStamp: START.getTime() / 1000, Error: 'MEDIA_ERROR' }] });
      const notJson = await fetch(new URL('/getImages', open.url), { method: 'POST', body: '{"StreamName":' });
      expect(notJson.status).toBe(400);
      expect(notJson.headers.get('x-amzn-errortype')).toBe('InvalidArgumentException');
    } finally {
      await open.close();
    }
  });
});

describe('GetImages endpoint: limits', () => {
  /** The real library, held at the door of getImages until the test opens the gate. */
  class GatedArchivedMedia extends KinesisVideoArchivedMedia {
    held = gate();
    entered = 0;
    override async getImages(input: GetImagesInput): Promise<GetImagesCommandOutput> {
      this.entered++;
      await this.held.promise;
      return super.getImages(input);
    }
  }

  it('turns a request away with ClientLimitExceededException when no decode slot frees in time', async () => {
    const kvam = new GatedArchivedMedia({ catalog: CATALOG, minSamplingIntervalMs: 100 });
    const endpoint = await startEndpoint(CATALOG, { maxConcurrent: 1, queueTimeoutMs: 300 }, { kvam });
    try {
      const client = sdkClient(endpoint);
      const first = client.send(new GetImagesCommand(request()));
      await vi.waitFor(() => expect(kvam.entered).toBe(1), { timeout: 5000, interval: 10 });
      const started = Date.now();
      const error = await rejectionOf(client.send(new GetImagesCommand(request())));
      expect(error).toBeInstanceOf(ClientLimitExceededException);
      expect(error.$metadata?.httpStatusCode).toBe(400);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(kvam.entered).toBe(1);
      kvam.held.open();
      await expect(first).resolves.toMatchObject({ Images: expect.any(Array) });
    } finally {
      kvam.held.open();
      await endpoint.close();
    }
  });

  it('serves a waiting request once a slot frees within the wait', async () => {
    const kvam = new GatedArchivedMedia({ catalog: CATALOG, minSamplingIntervalMs: 100 });
    const endpoint = await startEndpoint(CATALOG, { maxConcurrent: 2, queueTimeoutMs: 10_000 }, { kvam });
    try {
      const client = sdkClient(endpoint);
      const calls = [0, 1, 2].map(() => client.send(new GetImagesCommand(request())));
      await vi.waitFor(() => expect(kvam.entered).toBe(2), { timeout: 5000, interval: 10 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(kvam.entered).toBe(2); // the third waits for a slot
      kvam.held.open();
      const outputs = await Promise.all(calls);
      expect(outputs.map((o) => o.Images?.length)).toEqual([3, 3, 3]);
      expect(kvam.entered).toBe(3);
    } finally {
      kvam.held.open();
      await endpoint.close();
    }
  });

  it('refuses a body over the size limit with 413, before reading it', async () => {
    const endpoint = await startEndpoint(CATALOG, { maxBodyBytes: 1024 });
    try {
      const error = await rejectionOf(sdkClient(endpoint).send(new GetImagesCommand(request({ NextToken: 'A'.repeat(2000) }))));
      expect(error).toBeInstanceOf(InvalidArgumentException);
      expect(error.$metadata?.httpStatusCode).toBe(413);
      expect(error.message).toMatch(/1024 bytes/);

      // Without Content-Length (chunked), the limit holds as the body streams in.
      const chunks = [new TextEncoder().encode('{"NextToken":"'), new TextEncoder().encode('A'.repeat(4000))];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await fetch(new URL('/getImages', endpoint.url), { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
      expect(response.status).toBe(413);
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidArgumentException');

      // Just under the limit is read (and then refused for its signature).
      const small = await fetch(new URL('/getImages', endpoint.url), { method: 'POST', body: 'x'.repeat(1024) });
      expect(small.status).toBe(401);
    } finally {
      await endpoint.close();
    }
  });
});
