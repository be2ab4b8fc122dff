/** The rest-json translation on its own: request bodies in, response bodies out. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentException } from '../../src/kinesis/errors.js';
import type { GetImagesCommandOutput, GetImagesOutput } from '../../src/kinesis/get-images-types.js';
import { getImagesResponseJson, getImagesResponseStream, readGetImagesRequest, writeGetImagesResponse } from '../../src/kinesis/http/wire.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('readGetImagesRequest', () => {
  it('passes a JSON object through as the input, epoch seconds and all', () => {
    expect(readGetImagesRequest(bytes('{"StreamName":"cam-1","StartTimestamp":1795255200.25,"NextToken":null}'))).toEqual({
      StreamName: 'cam-1',
      StartTimestamp: 1795255200.25,
      NextToken: null,
    });
    expect(readGetImagesRequest(bytes(''))).toEqual({});
    expect(readGetImagesRequest(bytes(' \n'))).toEqual({});
  });

  it('refuses bodies that are not a UTF-8 JSON object with InvalidArgumentException', () => {
    for (const body of [bytes('{"StreamName":'), bytes('[]'), bytes('null'), bytes('"cam-1"'), bytes('12'), new Uint8Array([0x7b, 0xff, 0x7d])]) {
      expect(() => readGetImagesRequest(body), new TextDecoder().decode(body)).toThrow(InvalidArgumentException);
    }
  });
});

describe('the GetImages response body', () => {
  const cases: GetImagesOutput[] = [
    {},
    { Images: [] },
    { NextToken: 'abc=' },
    { Images: [{ TimeStamp: new Date(1795255200250), ImageContent: 'AAAA' }] },
    {
      Images: [
        { TimeStamp: new Date(1795255200000), Error: 'NO_MEDIA' },
        { TimeStamp: new Date(1795255200400), ImageContent: '/9j/' },
        { TimeStamp: new Date(1795255200800), Error: 'MEDIA_ERROR' },
      ],
      NextToken: 'AQAAAAM=',
    },
  ];

  it('writes Dates as epoch seconds with milliseconds and leaves unset members out', () => {
    expect(writeGetImagesResponse(cases[4]!)).toEqual({
      Images: [
        { TimeStamp: 1795255200, Error: 'NO_MEDIA' },
        { TimeStamp: 1795255200.4, ImageContent: '/9j/' },
        { TimeStamp: 1795255200.8, Error: 'MEDIA_ERROR' },
      ],
      NextToken: 'AQAAAAM=',
    });
    expect(writeGetImagesResponse({ Images: [{ TimeStamp: undefined, Error: undefined }] })).toEqual({ Images: [{}] });
  });

  it("leaves the library call's $metadata out: the SDK builds its own from the HTTP response", () => {
    const output: GetImagesCommandOutput = { $metadata: { httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 }, NextToken: 'abc=' };
    expect(writeGetImagesResponse(output)).toEqual({ NextToken: 'abc=' });
    expect([...getImagesResponseJson({ ...output, Images: [] })].join('')).toBe('{"Images":[],"NextToken":"abc="}');
  });

  it('streams, piece by piece, exactly the JSON of the whole body', async () => {
    for (const output of cases) {
      const whole = JSON.stringify(writeGetImagesResponse(output));
      expect([...getImagesResponseJson(output)].join(''), whole).toBe(whole);
      expect(await new Response(getImagesResponseStream(output)).text()).toBe(whole);
    }
    // One piece per image, besides the opening and the close.
    expect([...getImagesResponseJson(cases[4]!)]).toHaveLength(5);
  });
});
