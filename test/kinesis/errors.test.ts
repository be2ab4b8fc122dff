/**
 * One class per AWS exception, with the exception's name and the status code of the service
 * model, so that the endpoint can answer the way the SDK reads errors.
 */
import { describe, expect, it } from 'vitest';
import {
  ClientLimitExceededException,
  InvalidArgumentException,
  isKinesisVideoArchivedMediaError,
  KinesisVideoArchivedMediaError,
  NoDataRetentionException,
  NotAuthorizedException,
  ResourceNotFoundException,
  ValidationException,
} from '../../src/kinesis/errors.js';

describe('GetImages exceptions', () => {
  it.each([
    [InvalidArgumentException, 'InvalidArgumentException', 400],
    [ResourceNotFoundException, 'ResourceNotFoundException', 404],
    [ClientLimitExceededException, 'ClientLimitExceededException', 400],
    [NotAuthorizedException, 'NotAuthorizedException', 401],
    [NoDataRetentionException, 'NoDataRetentionException', 400],
    [ValidationException, 'ValidationException', 400],
  ] as const)('%o is %s with HTTP %i', (Exception, name, status) => {
    const error = new Exception('what is wrong');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(KinesisVideoArchivedMediaError);
    expect(error).toMatchObject({ name, message: 'what is wrong', $httpStatus: status, $fault: 'client' });
    expect(String(error)).toBe(`${name}: what is wrong`);
    expect(isKinesisVideoArchivedMediaError(error)).toBe(true);
    expect(isKinesisVideoArchivedMediaError(error, name)).toBe(true);
    expect(isKinesisVideoArchivedMediaError(error, name === 'ValidationException' ? 'InvalidArgumentException' : 'ValidationException')).toBe(false);
  });

  it('other errors are not GetImages exceptions', () => {
    expect(isKinesisVideoArchivedMediaError(new Error('x'))).toBe(false);
    expect(isKinesisVideoArchivedMediaError({ name: 'InvalidArgumentException' })).toBe(false);
  });
});
