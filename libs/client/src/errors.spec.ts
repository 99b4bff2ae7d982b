import { status } from '@grpc/grpc-js';
import { AppError } from '@aiaas/common';
import { AiaasError, fromGrpcError, fromHttpError, isAiaasError } from './errors';

describe('error mapping', () => {
  it('maps the /v1 error body, keeping code, message and details', () => {
    const err = fromHttpError(
      429,
      '{"error":{"code":"RESOURCE_EXHAUSTED","message":"slow down","details":{"retry_after_seconds":2}}}',
      'GET /v1/models',
    );
    expect(err).toBeInstanceOf(AiaasError);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'RESOURCE_EXHAUSTED',
      message: 'slow down',
      status: 429,
      details: { retry_after_seconds: 2 },
    });
    expect(err.httpStatus).toBe(429);
    expect(err.grpcStatus).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('maps codes outside the table by HTTP status and keeps the remote code', () => {
    expect(
      fromHttpError(415, '{"error":{"code":"FST_ERR_CTP_INVALID_MEDIA_TYPE","message":"bad type"}}', 'x'),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      remoteCode: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    });
    expect(fromHttpError(503, '<html>busy</html>', 'GET /v1/models')).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'GET /v1/models: HTTP 503: <html>busy</html>',
    });
    expect(fromHttpError(404, '{"error":"model \\"x\\" not found"}', 'x')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'model "x" not found',
    });
    expect(fromHttpError(502, '', 'x').code).toBe('UNAVAILABLE');
    expect(fromHttpError(500, '', 'x').code).toBe('INTERNAL');
  });

  it('maps OAuth2 errors: invalid_client is UNAUTHENTICATED', () => {
    expect(
      fromHttpError(
        401,
        '{"error":"invalid_client","error_description":"client authentication failed"}',
        'POST /oauth/token',
      ),
    ).toMatchObject({
      code: 'UNAUTHENTICATED',
      remoteCode: 'invalid_client',
      message: 'POST /oauth/token: invalid_client: client authentication failed',
    });
    expect(fromHttpError(400, '{"error":"invalid_scope","error_description":"too much"}', 't').code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('maps gRPC statuses, including those without a kind of their own', () => {
    expect(fromGrpcError({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' })).toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      grpcCode: 4,
    });
    expect(fromGrpcError({ code: status.UNAVAILABLE, details: '', message: '14 UNAVAILABLE: x' })).toMatchObject({
      code: 'UNAVAILABLE',
      message: '14 UNAVAILABLE: x',
    });
    expect(fromGrpcError({ code: status.UNIMPLEMENTED, details: 'no' }).code).toBe('FAILED_PRECONDITION');
    expect(fromGrpcError({ code: status.UNKNOWN, details: 'boom' }).code).toBe('INTERNAL');
    expect(isAiaasError(fromGrpcError({ code: status.NOT_FOUND, details: 'x' }))).toBe(true);
    expect(isAiaasError(new Error('x'))).toBe(false);
  });
});
