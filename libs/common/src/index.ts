export {
  AppError,
  ERROR_TABLE,
  InvalidArgumentError,
  NotFoundError,
  AlreadyExistsError,
  FailedPreconditionError,
  UnauthenticatedError,
  PermissionDeniedError,
  ResourceExhaustedError,
  PayloadTooLargeError,
  UnavailableError,
  DeadlineExceededError,
  CancelledError,
  InternalError,
  isAppError,
  toAppError,
  toServiceError,
  fromServiceError,
  codeOfGrpcStatus,
} from './errors';
export type { ErrorCode } from './errors';
export { ConfigError, parseWithSchema } from './config';
export { createLogger, REDACTED_PATHS } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { runUntilSignal } from './lifecycle';
export type { Closable } from './lifecycle';
export { bindServer, shutdownServer, unaryHandler, deadlineMs } from './grpc-server';
export { startMetricsServer } from './metrics-server';
export {
  TENANT_METADATA_KEY,
  PRINCIPAL_METADATA_KEY,
  INTERNAL_TOKEN_METADATA_KEY,
  checkInternalToken,
  readCaller,
  callerMetadata,
} from './internal-metadata';
export type { Caller } from './internal-metadata';
export { splitBytesElements, decodeBytesElements, decodeUtf8Element, encodeBytesElements } from './bytes-elements';
export type { TensorRole } from './bytes-elements';
export { waitForDrain, writeWithBackPressure } from './stream-back-pressure';
export { DATATYPES } from './datatypes';
export type { Datatype } from './datatypes';
