import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';

/**
 * The product's error kinds. Each maps to exactly one gRPC status and one HTTP status in
 * {@link ERROR_TABLE}; every service answers through that table so that the same fault reads
 * the same over gRPC, REST and the CLI.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CANCELLED'
  | 'INTERNAL';

interface StatusPair {
  grpc: GrpcStatus;
  http: number;
}

/** The one mapping from error kind to wire status (ARCHITECTURE.md, Errors). */
export const ERROR_TABLE: Readonly<Record<ErrorCode, StatusPair>> = {
  INVALID_ARGUMENT: { grpc: GrpcStatus.INVALID_ARGUMENT, http: 400 },
  NOT_FOUND: { grpc: GrpcStatus.NOT_FOUND, http: 404 },
  ALREADY_EXISTS: { grpc: GrpcStatus.ALREADY_EXISTS, http: 409 },
  FAILED_PRECONDITION: { grpc: GrpcStatus.FAILED_PRECONDITION, http: 409 },
  UNAUTHENTICATED: { grpc: GrpcStatus.UNAUTHENTICATED, http: 401 },
  PERMISSION_DENIED: { grpc: GrpcStatus.PERMISSION_DENIED, http: 403 },
  RESOURCE_EXHAUSTED: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 429 },
  // gRPC has no "too large"; RESOURCE_EXHAUSTED is what grpc-js itself answers for an oversized message.
  PAYLOAD_TOO_LARGE: { grpc: GrpcStatus.RESOURCE_EXHAUSTED, http: 413 },
  UNAVAILABLE: { grpc: GrpcStatus.UNAVAILABLE, http: 503 },
  DEADLINE_EXCEEDED: { grpc: GrpcStatus.DEADLINE_EXCEEDED, http: 504 },
  // 499 is nginx's "client closed request": the caller went away, nobody is left to read it.
  CANCELLED: { grpc: GrpcStatus.CANCELLED, http: 499 },
  INTERNAL: { grpc: GrpcStatus.INTERNAL, http: 500 },
};

/** Base of every error the product raises on purpose. `message` is safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get grpcStatus(): GrpcStatus {
    return ERROR_TABLE[this.code].grpc;
  }

  get httpStatus(): number {
    return ERROR_TABLE[this.code].http;
  }
}

function defineError(code: ErrorCode, name: string) {
  const ErrorClass = class extends AppError {
    constructor(message: string, details?: Record<string, unknown>) {
      super(code, message, details);
      this.name = name;
    }
  };
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass;
}

/** A bad tensor, bad ONNX file or bad setting sent by the caller. */
export const InvalidArgumentError = defineError('INVALID_ARGUMENT', 'InvalidArgumentError');
/** Unknown model or version — also another tenant's, which must look exactly the same. */
export const NotFoundError = defineError('NOT_FOUND', 'NotFoundError');
export const AlreadyExistsError = defineError('ALREADY_EXISTS', 'AlreadyExistsError');
export const FailedPreconditionError = defineError('FAILED_PRECONDITION', 'FailedPreconditionError');
export const UnauthenticatedError = defineError('UNAUTHENTICATED', 'UnauthenticatedError');
export const PermissionDeniedError = defineError('PERMISSION_DENIED', 'PermissionDeniedError');
/** A full queue or a rate limit: the caller should back off and retry. */
export const ResourceExhaustedError = defineError('RESOURCE_EXHAUSTED', 'ResourceExhaustedError');
export const PayloadTooLargeError = defineError('PAYLOAD_TOO_LARGE', 'PayloadTooLargeError');
/** Not ready (loading, unloading, shutting down): retry elsewhere or later. */
export const UnavailableError = defineError('UNAVAILABLE', 'UnavailableError');
export const DeadlineExceededError = defineError('DEADLINE_EXCEEDED', 'DeadlineExceededError');
export const CancelledError = defineError('CANCELLED', 'CancelledError');
export const InternalError = defineError('INTERNAL', 'InternalError');

export type InvalidArgumentError = InstanceType<typeof InvalidArgumentError>;
export type NotFoundError = InstanceType<typeof NotFoundError>;
export type AlreadyExistsError = InstanceType<typeof AlreadyExistsError>;
export type FailedPreconditionError = InstanceType<typeof FailedPreconditionError>;
export type UnauthenticatedError = InstanceType<typeof UnauthenticatedError>;
export type PermissionDeniedError = InstanceType<typeof PermissionDeniedError>;
export type ResourceExhaustedError = InstanceType<typeof ResourceExhaustedError>;
export type PayloadTooLargeError = InstanceType<typeof PayloadTooLargeError>;
export type UnavailableError = InstanceType<typeof UnavailableError>;
export type DeadlineExceededError = InstanceType<typeof DeadlineExceededError>;
export type CancelledError = InstanceType<typeof CancelledError>;
export type InternalError = InstanceType<typeof InternalError>;

/** True for an {@link AppError}, also one rebuilt in another thread or process (matched by shape). */
export function isAppError(err: unknown): err is AppError {
  if (err instanceof AppError) return true;
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code in ERROR_TABLE &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}

/**
 * Turns anything thrown into an AppError. Unknown errors become INTERNAL with a generic
 * message: their text may hold paths or internals that must not reach callers.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isAppError(err)) return new AppError(err.code, err.message, err.details);
  return new AppError('INTERNAL', 'internal error');
}

/** The gRPC error object a handler passes to its callback (or `call.emit('error')`). */
export function toServiceError(err: unknown): Partial<ServiceError> & { code: GrpcStatus; details: string } {
  const appError = toAppError(err);
  return { code: appError.grpcStatus, details: appError.message, metadata: new Metadata() };
}

const GRPC_TO_CODE = new Map<number, ErrorCode>(
  (Object.entries(ERROR_TABLE) as [ErrorCode, StatusPair][])
    // RESOURCE_EXHAUSTED is shared with PAYLOAD_TOO_LARGE; the rate-limit/queue meaning is the common one.
    .filter(([code]) => code !== 'PAYLOAD_TOO_LARGE')
    .map(([code, pair]) => [pair.grpc, code]),
);

/** The error code a gRPC status stands for in the one table, if any (UNKNOWN, ABORTED... have none). */
export function codeOfGrpcStatus(status: number): ErrorCode | undefined {
  return GRPC_TO_CODE.get(status);
}

/** Rebuilds a typed error from a gRPC client error, so callers can branch on `code`. */
export function fromServiceError(err: Pick<ServiceError, 'code' | 'details'>): AppError {
  const code = GRPC_TO_CODE.get(err.code) ?? 'INTERNAL';
  return new AppError(code, err.details || GrpcStatus[err.code] || 'unknown error');
}
