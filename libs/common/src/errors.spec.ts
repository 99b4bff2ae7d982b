import { status } from '@grpc/grpc-js';
import {
  AppError,
  InvalidArgumentError,
  NotFoundError,
  PayloadTooLargeError,
  ResourceExhaustedError,
  fromServiceError,
  isAppError,
  toAppError,
  toServiceError,
} from './errors';

describe('error mapping', () => {
  it('maps each error kind to its gRPC and HTTP status', () => {
    expect(new InvalidArgumentError('x').grpcStatus).toBe(status.INVALID_ARGUMENT);
    expect(new InvalidArgumentError('x').httpStatus).toBe(400);
    expect(new NotFoundError('x').httpStatus).toBe(404);
    expect(new ResourceExhaustedError('x').httpStatus).toBe(429);
    expect(new PayloadTooLargeError('x').grpcStatus).toBe(status.RESOURCE_EXHAUSTED);
    expect(new PayloadTooLargeError('x').httpStatus).toBe(413);
  });

  it('keeps the class name and instanceof', () => {
    const err = new NotFoundError('model "m" not found');
    expect(err).toBeInstanceOf(AppError);
    expect(err.name).toBe('NotFoundError');
    expect(err.code).toBe('NOT_FOUND');
  });

  it('hides the text of unexpected errors', () => {
    const mapped = toServiceError(new Error('/secret/path exploded'));
    expect(mapped.code).toBe(status.INTERNAL);
    expect(mapped.details).toBe('internal error');
  });

  it('recognises an error rebuilt from another thread by its shape', () => {
    const cloned = { code: 'INVALID_ARGUMENT', message: 'bad', name: 'InvalidArgumentError' };
    expect(isAppError(cloned)).toBe(true);
    expect(toAppError(cloned).grpcStatus).toBe(status.INVALID_ARGUMENT);
    expect(isAppError({ code: 'ENOENT', message: 'x' })).toBe(false);
  });

  it('rebuilds typed errors from gRPC client errors', () => {
    const err = fromServiceError({ code: status.RESOURCE_EXHAUSTED, details: 'queue full' });
    expect(err.code).toBe('RESOURCE_EXHAUSTED');
    expect(err.message).toBe('queue full');
    expect(fromServiceError({ code: status.UNKNOWN, details: '' }).code).toBe('INTERNAL');
  });
});
