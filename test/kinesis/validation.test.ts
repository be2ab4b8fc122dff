/**
 * GetImages request validation, as the API reference and the service model state it: every rule
 * fails with the AWS exception for it (InvalidArgumentException, or ValidationException for a
 * width without a height), HTTP status 400, and a message naming the field — before any media
 * is opened. An unknown stream is ResourceNotFoundException (404).
 */
import { describe, expect, it, vi } from 'vitest';
import { KinesisVideoArchivedMedia } from '../../src/kinesis/archived-media.js';
import type { Catalog } from '../../src/kinesis/catalog.js';
import type { GetImagesInput } from '../../src/kinesis/get-images-types.js';
import { validateGetImagesInput } from '../../src/kinesis/validate.js';
import { at, expectAwsError, request, T0 } from './helpers.js';

const ARN = 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream/cam-1/1700000000000';

/** A catalog whose only fragment must never be opened: validation comes first. */
function guardedService(options: { minSamplingIntervalMs?: number } = {}) {
  const open = vi.fn(() => {
    throw new Error('validation must fail before any media is opened');
  });
  const catalog: Catalog = {
    streams: [
      { name: 'cam-1', arn: ARN, fragments: [{ source: open, producerStartTime: new Date(T0) }] },
      { name: 'empty', fragments: [] },
    ],
  };
  return { kvam: new KinesisVideoArchivedMedia({ catalog, ...options }), open };
}

/** Drops a member from the base request. */
function without(...keys: Array<keyof GetImagesInput>): GetImagesInput {
  const input = request() as unknown as Record<string, unknown>;
  for (const key of keys) delete input[key];
  return input as unknown as GetImagesInput;
}

describe('required members', () => {
  it.each([['ImageSelectorType'], ['StartTimestamp'], ['EndTimestamp'], ['SamplingInterval'], ['Format']] as const)(
    'a request without %s is an InvalidArgumentException naming it',
    async (member) => {
      const { kvam, open } = guardedService();
      await expectAwsError(kvam.getImages(without(member)), 'InvalidArgumentException', 400, new RegExp(`^Missing required parameter: ${member}$`));
      expect(open).not.toHaveBeenCalled();
    },
  );

  it('names every missing member at once', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(without('StartTimestamp', 'Format')),
      'InvalidArgumentException',
      400,
      /^Missing required parameters: StartTimestamp, Format$/,
    );
  });

  it('treats null like an absent member (JSON bodies)', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ Format: null as unknown as undefined })),
      'InvalidArgumentException',
      400,
      /Missing required parameter: Format/,
    );
  });
});

describe('the stream', () => {
  it('needs StreamName or StreamARN', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(without('StreamName')), 'InvalidArgumentException', 400, /^Specify either StreamName or StreamARN$/);
  });

  it('refuses both StreamName and StreamARN', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ StreamARN: ARN })), 'InvalidArgumentException', 400, /not both/);
  });

  it.each([['cam 1'], [''], ['x'.repeat(257)], ['cam/1']])('refuses the StreamName %j', async (name) => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ StreamName: name })), 'InvalidArgumentException', 400, /^StreamName must be 1 to 256 characters of \[a-zA-Z0-9_.-\]/);
  });

  it('accepts a 256-character name (and then does not find it)', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ StreamName: 'a'.repeat(256) })), 'ResourceNotFoundException', 404, /^Stream 'a{256}' not found$/);
  });

  it('refuses a malformed StreamARN', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages({ ...without('StreamName'), StreamARN: 'arn:aws:s3:::bucket' }),
      'InvalidArgumentException',
      400,
      /^StreamARN is not a valid Kinesis Video stream ARN/,
    );
  });

  it('an unknown name or ARN is a ResourceNotFoundException (404)', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ StreamName: 'cam-9' })), 'ResourceNotFoundException', 404, /^Stream 'cam-9' not found$/);
    const otherArn = ARN.replace('cam-1', 'cam-9');
    await expectAwsError(
      kvam.getImages({ ...without('StreamName'), StreamARN: otherArn }),
      'ResourceNotFoundException',
      404,
      /^Stream with ARN 'arn:aws:kinesisvideo:eu-west-1:123456789012:stream\/cam-9\/1700000000000' not found$/,
    );
  });

  it('finds a stream by its ARN', async () => {
    const kvam = new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'empty', arn: ARN, fragments: [] }] } });
    const output = await kvam.getImages({ ...without('StreamName'), StreamARN: ARN });
    expect(output.Images).toHaveLength(3);
  });
});

describe('enumerations', () => {
  it('refuses an unknown ImageSelectorType', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ ImageSelectorType: 'NOW' as never })),
      'InvalidArgumentException',
      400,
      /^ImageSelectorType must be PRODUCER_TIMESTAMP or SERVER_TIMESTAMP, got "NOW"$/,
    );
  });

  it('refuses an unknown Format', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ Format: 'GIF' as never })), 'InvalidArgumentException', 400, /^Format must be JPEG or PNG, got "GIF"$/);
  });
});

describe('the time range', () => {
  it('refuses a timestamp that is not a valid Date or number', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ StartTimestamp: new Date(NaN) })),
      'InvalidArgumentException',
      400,
      /^StartTimestamp must be a valid Date or a number of seconds since the epoch, got an invalid Date$/,
    );
    await expectAwsError(
      kvam.getImages(request({ EndTimestamp: '2026-11-21' as never })),
      'InvalidArgumentException',
      400,
      /^EndTimestamp must be a valid Date/,
    );
  });

  it('refuses an EndTimestamp before the StartTimestamp', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ StartTimestamp: at(5000), EndTimestamp: at(4999) })),
      'InvalidArgumentException',
      400,
      /^EndTimestamp must not be before StartTimestamp$/,
    );
  });

  it('refuses a range over 300 seconds, and accepts exactly 300', async () => {
    const kvam = new KinesisVideoArchivedMedia({ catalog: { streams: [{ name: 'cam-1', fragments: [] }] } });
    await expectAwsError(
      kvam.getImages(request({ EndTimestamp: at(300_001) })),
      'InvalidArgumentException',
      400,
      /^The range from StartTimestamp to EndTimestamp must be at most 300 seconds, got 300.001 seconds$/,
    );
    const output = await kvam.getImages(request({ EndTimestamp: at(300_000), SamplingInterval: 100_000 }));
    expect(output.Images?.map((image) => image.TimeStamp)).toEqual([at(0), at(100_000), at(200_000), at(300_000)]);
  });

  it('takes epoch seconds as the SDK sends them, rounded to whole milliseconds', () => {
    const seconds = T0 / 1000 + 1.2345;
    const checked = validateGetImagesInput(request({ StartTimestamp: seconds, EndTimestamp: seconds + 3 }));
    expect(checked.startMs).toBe(T0 + 1235);
    expect(checked.endMs).toBe(T0 + 4235);
  });
});

describe('SamplingInterval', () => {
  it('must be at least 3000 ms by default', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ SamplingInterval: 2999 })), 'InvalidArgumentException', 400, /^SamplingInterval must be at least 3000 ms, got 2999$/);
  });

  it('must be a whole number of milliseconds', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ SamplingInterval: 3000.5 })),
      'InvalidArgumentException',
      400,
      /^SamplingInterval must be an integer number of milliseconds, got 3000.5$/,
    );
  });

  it('a server may lower the minimum, down to 1 ms', async () => {
    const { kvam } = guardedService({ minSamplingIntervalMs: 200 });
    await expectAwsError(kvam.getImages(request({ SamplingInterval: 199 })), 'InvalidArgumentException', 400, /at least 200 ms, got 199/);
    await expectAwsError(kvam.getImages(request({ SamplingInterval: 0 })), 'InvalidArgumentException', 400, /at least 200 ms, got 0/);
    expect(validateGetImagesInput(request({ SamplingInterval: 1 }), { minSamplingIntervalMs: 1 }).intervalMs).toBe(1);
    expect(() => new KinesisVideoArchivedMedia({ catalog: { streams: [] }, minSamplingIntervalMs: 0 })).toThrow(/minSamplingIntervalMs must be an integer of at least 1/);
  });
});

describe('FormatConfig', () => {
  it('defaults JPEGQuality to 80', () => {
    expect(validateGetImagesInput(request()).jpegQuality).toBe(80);
    expect(validateGetImagesInput(request({ FormatConfig: {} })).jpegQuality).toBe(80);
    expect(validateGetImagesInput(request({ FormatConfig: { JPEGQuality: '1' } })).jpegQuality).toBe(1);
    expect(validateGetImagesInput(request({ FormatConfig: { JPEGQuality: '100' } })).jpegQuality).toBe(100);
  });

  it.each([['0'], ['101'], ['80.5'], ['080'], ['-5'], ['high'], [''], [80]])('refuses JPEGQuality %j', async (quality) => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ FormatConfig: { JPEGQuality: quality as string } })),
      'InvalidArgumentException',
      400,
      /^FormatConfig JPEGQuality must be an integer from 1 to 100 written as a string, got /,
    );
  });

  it('refuses keys other than JPEGQuality', async () => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ FormatConfig: { PNGCompression: '9' } as never })),
      'InvalidArgumentException',
      400,
      /^FormatConfig has an unknown key "PNGCompression"; the only key is JPEGQuality$/,
    );
  });
});

describe('sizes', () => {
  it.each([
    [{ WidthPixels: 0, HeightPixels: 100 }, /^WidthPixels must be an integer from 1 to 3840, got 0$/],
    [{ WidthPixels: 3841, HeightPixels: 100 }, /^WidthPixels must be an integer from 1 to 3840, got 3841$/],
    [{ WidthPixels: 100.5, HeightPixels: 100 }, /^WidthPixels must be an integer from 1 to 3840, got 100.5$/],
    [{ WidthPixels: 100, HeightPixels: 2161 }, /^HeightPixels must be an integer from 1 to 2160, got 2161$/],
    [{ HeightPixels: 0 }, /^HeightPixels must be an integer from 1 to 2160, got 0$/],
  ])('out of range %j is an InvalidArgumentException', async (sizes, message) => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request(sizes)), 'InvalidArgumentException', 400, message);
  });

  it('WidthPixels without HeightPixels is a ValidationException', async () => {
    const { kvam } = guardedService();
    await expectAwsError(kvam.getImages(request({ WidthPixels: 320 })), 'ValidationException', 400, /^WidthPixels requires HeightPixels/);
  });

  it('accepts the extremes, and HeightPixels alone', () => {
    expect(validateGetImagesInput(request({ WidthPixels: 3840, HeightPixels: 2160 }))).toMatchObject({ widthPixels: 3840, heightPixels: 2160 });
    expect(validateGetImagesInput(request({ WidthPixels: 1, HeightPixels: 1 }))).toMatchObject({ widthPixels: 1, heightPixels: 1 });
    expect(validateGetImagesInput(request({ HeightPixels: 90 }))).toMatchObject({ widthPixels: undefined, heightPixels: 90 });
  });
});

describe('MaxResults', () => {
  it('defaults to 100', () => {
    expect(validateGetImagesInput(request()).maxResults).toBe(100);
  });

  it.each([[0], [101], [2.5], [-1]])('refuses %j', async (maxResults) => {
    const { kvam } = guardedService();
    await expectAwsError(
      kvam.getImages(request({ MaxResults: maxResults })),
      'InvalidArgumentException',
      400,
      new RegExp(`^MaxResults must be an integer from 1 to 100, got ${maxResults}$`),
    );
  });
});

describe('NextToken', () => {
  it.each([['not base64!'], ['A'.repeat(4097)], ['abc=def']])('refuses the malformed token %#', async (token) => {
    const { kvam, open } = guardedService();
    await expectAwsError(kvam.getImages(request({ NextToken: token })), 'InvalidArgumentException', 400, /^NextToken is malformed/);
    expect(open).not.toHaveBeenCalled();
  });

  it('refuses well-formed base64 that is not a token', async () => {
    const { kvam, open } = guardedService();
    await expectAwsError(kvam.getImages(request({ NextToken: 'aGVsbG8gd29ybGQ=' })), 'InvalidArgumentException', 400, /^NextToken is malformed/);
    expect(open).not.toHaveBeenCalled();
  });
});
