/**
 * NextToken: opaque base64, stateless (any server with the secret continues a listing), and
 * authenticated by an HMAC under the server secret over the position and the request parameters,
 * so that a forged or altered token, or one sent with other parameters, is an
 * InvalidArgumentException. (Streams without fragments here: paging needs no media.)
 */
import { describe, expect, it } from 'vitest';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { Catalog } from '../../src/kinesis/catalog.js';
import type { GetImagesInput, GetImagesOutput } from '../../src/kinesis/get-images-types.js';
import { NextTokenCodec, type TokenBinding } from '../../src/kinesis/next-token.js';
import { at, expectAwsError, request, T0 } from './helpers.js';

const ARN = 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam-1/1700000000000';
const catalog: Catalog = {
  streams: [
    { name: 'cam-1', arn: ARN, fragments: [] },
    { name: 'cam-2', fragments: [] },
  ],
};
const NOT_VALID = /^NextToken is not valid for this request/;

const binding: TokenBinding = {
  stream: 'cam-1',
  selector: 'PRODUCER_TIMESTAMP',
  startMs: T0,
  endMs: T0 + 10_000,
  intervalMs: 1000,
  format: 'JPEG',
  jpegQuality: 80,
  widthPixels: undefined,
  heightPixels: undefined,
};

/** Ten-second listing, one point a second, four per page. */
const listing = (overrides: Partial<GetImagesInput> = {}): GetImagesInput =>
  request({ EndTimestamp: at(10_000), SamplingInterval: 1000, MaxResults: 4, ...overrides });

const service = (tokenSecret?: string) => new KinesisVideoArchivedMedia({ catalog, tokenSecret, minSamplingIntervalMs: 1000 });

/** Flips one bit of the decoded token at `byte` and re-encodes it. */
function alter(token: string, byte: number): string {
  const bytes = Buffer.from(token, 'base64');
  bytes[byte]! ^= 0x01;
  return bytes.toString('base64');
}

describe('NextTokenCodec', () => {
  it('round-trips the position, as short standard base64', async () => {
    const codec = new NextTokenCodec('s3cret');
    for (const position of [1, 4, 99, 300_000]) {
      const token = await codec.issue(binding, position);
      expect(token).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(token.length).toBeLessThanOrEqual(4096);
      expect(await codec.open(token, binding, 300_001)).toBe(position);
    }
  });

  it('is stateless: another codec with the same secret opens it; another secret does not', async () => {
    const token = await new NextTokenCodec('shared').issue(binding, 7);
    expect(await new NextTokenCodec('shared').open(token, binding, 11)).toBe(7);
    expect(await new NextTokenCodec(new TextEncoder().encode('shared')).open(token, binding, 11)).toBe(7);
    await expectAwsError(new NextTokenCodec('other').open(token, binding, 11), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it('without a secret, each codec has its own random one', async () => {
    const codec = new NextTokenCodec();
    const token = await codec.issue(binding, 3);
    expect(await codec.open(token, binding, 11)).toBe(3);
    await expectAwsError(new NextTokenCodec().open(token, binding, 11), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it('refuses an altered token: any bit of the position or of the MAC', async () => {
    const codec = new NextTokenCodec('s3cret');
    const token = await codec.issue(binding, 4);
    for (const byte of [1, 4, 5, 20, 36]) {
      await expectAwsError(codec.open(alter(token, byte), binding, 11), 'InvalidArgumentException', 400, NOT_VALID);
    }
    await expectAwsError(codec.open(alter(token, 0), binding, 11), 'InvalidArgumentException', 400, /^NextToken is malformed/);
  });

  it('refuses a forged token of the right shape', async () => {
    const forged = Buffer.concat([Buffer.of(1, 0, 0, 0, 4), Buffer.alloc(32, 0x5a)]).toString('base64');
    await expectAwsError(new NextTokenCodec('s3cret').open(forged, binding, 11), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it.each<[string, Partial<TokenBinding>]>([
    ['stream', { stream: 'cam-2' }],
    ['selector', { selector: 'SERVER_TIMESTAMP' }],
    ['start', { startMs: T0 + 1 }],
    ['end', { endMs: T0 + 9000 }],
    ['interval', { intervalMs: 2000 }],
    ['format', { format: 'PNG' }],
    ['JPEG quality', { jpegQuality: 81 }],
    ['width', { widthPixels: 100, heightPixels: 100 }],
    ['height', { heightPixels: 100 }],
  ])('refuses the token for another %s', async (_, change) => {
    const codec = new NextTokenCodec('s3cret');
    const token = await codec.issue(binding, 4);
    await expectAwsError(codec.open(token, { ...binding, ...change }, 11), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it('does not bind the JPEG quality of a PNG request (it changes nothing)', async () => {
    const codec = new NextTokenCodec('s3cret');
    const png = { ...binding, format: 'PNG' as const };
    const token = await codec.issue(png, 4);
    expect(await codec.open(token, { ...png, jpegQuality: 20 }, 11)).toBe(4);
  });

  it('refuses an empty secret', () => {
    expect(() => new NextTokenCodec('')).toThrow(/must not be empty/);
  });
});

describe('paging through getImages', () => {
  async function collect(kvam: KinesisVideoArchivedMedia, input: GetImagesInput): Promise<GetImagesOutput[]> {
    const pages: GetImagesOutput[] = [];
    for await (const page of kvam.paginateGetImages(input)) pages.push(page);
    return pages;
  }

  it('pages through every point, the last page without a NextToken', async () => {
    const pages = await collect(service(), listing());
    expect(pages.map((page) => page.Images?.length)).toEqual([4, 4, 3]);
    expect(pages.map((page) => page.NextToken === undefined)).toEqual([false, false, true]);
    expect(pages.flatMap((page) => page.Images!.map((image) => image.TimeStamp!.getTime() - T0))).toEqual(
      Array.from({ length: 11 }, (_, i) => i * 1000),
    );
    expect(pages.flatMap((page) => page.Images!.map((image) => image.Error))).toEqual(Array(11).fill('NO_MEDIA'));
  });

  it('a listing continues on another server with the same secret', async () => {
    const first = await service('shared').getImages(listing());
    const second = await service('shared').getImages(listing({ NextToken: first.NextToken }));
    expect(second.Images?.[0]?.TimeStamp).toEqual(at(4000));
  });

  it('a token from a server with another (or a random) secret is refused', async () => {
    const first = await service('one').getImages(listing());
    await expectAwsError(service('two').getImages(listing({ NextToken: first.NextToken })), 'InvalidArgumentException', 400, NOT_VALID);
    const random = await service().getImages(listing());
    await expectAwsError(service().getImages(listing({ NextToken: random.NextToken })), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it.each<[string, Partial<GetImagesInput>]>([
    ['StreamName', { StreamName: 'cam-2' }],
    ['ImageSelectorType', { ImageSelectorType: 'SERVER_TIMESTAMP' }],
    ['StartTimestamp', { StartTimestamp: at(1) }],
    ['EndTimestamp', { EndTimestamp: at(9000) }],
    ['SamplingInterval', { SamplingInterval: 2000 }],
    ['Format', { Format: 'PNG' }],
    ['FormatConfig', { FormatConfig: { JPEGQuality: '90' } }],
    ['WidthPixels and HeightPixels', { WidthPixels: 64, HeightPixels: 48 }],
    ['HeightPixels', { HeightPixels: 48 }],
  ])('a token sent with another %s is refused', async (_, change) => {
    const kvam = service('s3cret');
    const first = await kvam.getImages(listing());
    await expectAwsError(kvam.getImages(listing({ ...change, NextToken: first.NextToken })), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it('MaxResults may change from page to page, and the stream may be named by ARN', async () => {
    const kvam = service('s3cret');
    const first = await kvam.getImages(listing());
    const { StreamName: _, ...byArn } = listing({ MaxResults: 100, NextToken: first.NextToken });
    const rest = await kvam.getImages({ ...byArn, StreamARN: ARN });
    expect(rest.Images?.map((image) => image.TimeStamp!.getTime() - T0)).toEqual([4000, 5000, 6000, 7000, 8000, 9000, 10_000]);
    expect(rest.NextToken).toBeUndefined();
  });

  it('a forged or altered token is refused', async () => {
    const kvam = service('s3cret');
    const first = await kvam.getImages(listing());
    await expectAwsError(kvam.getImages(listing({ NextToken: alter(first.NextToken!, 4) })), 'InvalidArgumentException', 400, NOT_VALID);
    const forged = Buffer.concat([Buffer.of(1, 0, 0, 0, 8), Buffer.alloc(32)]).toString('base64');
    await expectAwsError(kvam.getImages(listing({ NextToken: forged })), 'InvalidArgumentException', 400, NOT_VALID);
  });

  it('paginateGetImages starts from the NextToken it is given', async () => {
    const kvam = service('s3cret');
    const first = await kvam.getImages(listing());
    const pages = await collect(kvam, listing({ NextToken: first.NextToken }));
    expect(pages.map((page) => page.Images?.[0]?.TimeStamp)).toEqual([at(4000), at(8000)]);
  });
});
