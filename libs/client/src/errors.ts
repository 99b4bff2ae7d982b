import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { AppError, ERROR_TABLE, codeOfGrpcStatus } from '@aiaas/common';
import type { ErrorCode } from '@aiaas/common';

/** Where an {@link AiaasError} came from. */
export interface AiaasErrorSource {
  /** The HTTP status the gateway answered (REST calls). */
  status?: number;
  /** The gRPC status code the gateway answered (inference calls). */
  grpcCode?: number;
  /** The gateway's own error code when it is not one of {@link ErrorCode} (`FST_ERR_…`, `invalid_client`). */
  remoteCode?: string;
  /** The underlying error (socket error, parse error), for debugging. */
  cause?: unknown;
}

/**
 * Every failure the SDK reports, REST or gRPC alike: `code` is one of the platform's error kinds
 * (NOT_FOUND, UNAVAILABLE, DEADLINE_EXCEEDED, …), so callers branch on it whatever the transport.
 * It is an `AppError` of `@aiaas/common`: `httpStatus` and `grpcStatus` are the platform's one
 * mapping of that code; `status` / `grpcCode` are what actually came over the wire.
 */
export class AiaasError extends AppError {
  readonly status: number | undefined;
  readonly grpcCode: number | undefined;
  readonly remoteCode: string | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, source: AiaasErrorSource = {}) {
    super(code, message, details);
    this.name = 'AiaasError';
    this.status = source.status;
    this.grpcCode = source.grpcCode;
    this.remoteCode = source.remoteCode;
    if (source.cause !== undefined) Object.defineProperty(this, 'cause', { value: source.cause, enumerable: false });
  }
}

/** True for an {@link AiaasError}, also one from another copy of the SDK (matched by name and code). */
export function isAiaasError(err: unknown): err is AiaasError {
  return (
    err instanceof AiaasError ||
    (err instanceof Error && err.name === 'AiaasError' && typeof (err as { code?: unknown }).code === 'string')
  );
}

const isErrorCode = (code: string): code is ErrorCode => code in ERROR_TABLE;

// grpc-js statuses the platform's table has no kind of its own for: the nearest kind.
const GRPC_FALLBACK: Partial<Record<GrpcStatus, ErrorCode>> = {
  [GrpcStatus.UNKNOWN]: 'INTERNAL',
  [GrpcStatus.ABORTED]: 'UNAVAILABLE',
  [GrpcStatus.OUT_OF_RANGE]: 'INVALID_ARGUMENT',
  [GrpcStatus.UNIMPLEMENTED]: 'FAILED_PRECONDITION',
  [GrpcStatus.DATA_LOSS]: 'INTERNAL',
};

/** Maps a grpc-js client error to an {@link AiaasError}. */
export function fromGrpcError(err: Pick<ServiceError, 'code' | 'details'> & { message?: string }): AiaasError {
  const code = codeOfGrpcStatus(err.code) ?? GRPC_FALLBACK[err.code] ?? 'INTERNAL';
  const message = err.details || err.message || GrpcStatus[err.code] || 'unknown gRPC error';
  return new AiaasError(code, message, undefined, { grpcCode: err.code, cause: err });
}

// HTTP statuses outside the table's values (415, 422, …), by class.
function codeOfHttpStatus(status: number): ErrorCode {
  for (const [code, pair] of Object.entries(ERROR_TABLE) as [ErrorCode, { http: number }][]) {
    // 409 is both ALREADY_EXISTS and FAILED_PRECONDITION: without a code in the body, "conflict" reads as the latter.
    if (pair.http === status && code !== 'ALREADY_EXISTS') return code;
  }
  if (status === 502 || status === 503) return 'UNAVAILABLE';
  if (status === 408) return 'DEADLINE_EXCEEDED';
  if (status >= 500) return 'INTERNAL';
  return 'INVALID_ARGUMENT';
}

/**
 * Maps a REST error answer to an {@link AiaasError}: `{"error": {code, message, details}}` (the
 * /v1 API), `{"error": "message"}` (KServe V2 routes), `{"error", "error_description"}` (OAuth2),
 * or anything else by its HTTP status.
 */
export function fromHttpError(status: number, body: string, what: string): AiaasError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const error = (parsed as { error?: unknown } | undefined)?.error;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
    const remote = typeof code === 'string' ? code : '';
    return new AiaasError(
      isErrorCode(remote) ? remote : codeOfHttpStatus(status),
      typeof message === 'string' && message !== '' ? message : `${what}: HTTP ${status}`,
      typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined,
      { status, ...(remote !== '' && !isErrorCode(remote) ? { remoteCode: remote } : {}) },
    );
  }
  if (typeof error === 'string') {
    const description = (parsed as { error_description?: unknown }).error_description;
    if (typeof description === 'string') {
      // OAuth2 (RFC 6749 §5.2): bad client credentials are UNAUTHENTICATED; the rest are bad requests.
      const code: ErrorCode = error === 'invalid_client' ? 'UNAUTHENTICATED' : codeOfHttpStatus(status);
      return new AiaasError(code, `${what}: ${error}: ${description}`, undefined, { status, remoteCode: error });
    }
    return new AiaasError(codeOfHttpStatus(status), error, undefined, { status });
  }
  const text = body.trim().slice(0, 200);
  return new AiaasError(
    codeOfHttpStatus(status),
    `${what}: HTTP ${status}${text === '' ? '' : `: ${text}`}`,
    undefined,
    {
      status,
    },
  );
}

/** A client-side bad argument, raised before anything is sent. */
export function invalidArgument(message: string): AiaasError {
  return new AiaasError('INVALID_ARGUMENT', message);
}
