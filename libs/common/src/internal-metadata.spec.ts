import { Metadata } from '@grpc/grpc-js';
import { callerMetadata, checkInternalToken, readCaller } from './internal-metadata';

describe('internal metadata', () => {
  it('round-trips the caller and the internal token', () => {
    const metadata = callerMetadata({ tenant: 'acme', principal: 'key_1' }, 's3cret');
    expect(readCaller(metadata, 's3cret')).toEqual({ tenant: 'acme', principal: 'key_1' });
  });

  it('refuses a missing or wrong internal token when one is configured', () => {
    expect(() => readCaller(callerMetadata({ tenant: 'acme', principal: 'p' }, undefined), 's3cret')).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
    expect(() => checkInternalToken(callerMetadata(undefined, 'nope'), 's3cret')).toThrow(/x-aiaas-internal-token/);
    expect(() => checkInternalToken(new Metadata(), undefined)).not.toThrow();
  });

  it('requires a well-formed tenant', () => {
    expect(() => readCaller(new Metadata(), undefined)).toThrow(/no x-aiaas-tenant metadata/);
    expect(() => readCaller(callerMetadata({ tenant: 'Bad Tenant', principal: 'p' }, undefined), undefined)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
