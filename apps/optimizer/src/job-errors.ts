import { status } from '@grpc/grpc-js';
import { UnrecoverableError } from 'bullmq';

/**
 * Why a job failed for good: retrying cannot help (bad settings, validation failed, the source
 * is gone, cancelled). Thrown as BullMQ's {@link UnrecoverableError} so BullMQ skips the retries.
 */
export class JobFailedError extends UnrecoverableError {
  constructor(
    message: string,
    /** The figures behind the failure (validation metrics), as a JSON object text or ''. */
    readonly report: string = '',
  ) {
    super(message);
    // BullMQ matches `name` (the sandbox sends errors across processes as plain objects).
    this.name = 'UnrecoverableError';
  }
}

/** The job was cancelled: stop, register nothing. */
export class JobCancelledError extends JobFailedError {
  constructor(jobId: string) {
    super(`job ${jobId} cancelled`);
  }
}

/** Errors from passes or our own checks that no retry can fix, matched by name (they cross processes). */
const DETERMINISTIC_ERROR_NAMES = new Set([
  'PassSettingsError',
  'OnnxFormatError',
  'GraphBuilderError',
  'UnrecoverableError',
]);

/**
 * gRPC answers worth retrying: the registry is down or restarting (UNAVAILABLE), slow
 * (DEADLINE_EXCEEDED), overloaded (RESOURCE_EXHAUSTED), or lost the call (UNKNOWN, INTERNAL,
 * ABORTED). Everything else (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION, UNAUTHENTICATED,
 * PERMISSION_DENIED) says the same thing every time.
 */
const RETRYABLE_GRPC_CODES = new Set<number>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.UNKNOWN,
  status.INTERNAL,
  status.ABORTED,
]);

/** True when retrying the job cannot help. Matches by `name` as well as class: sandboxed errors arrive as plain objects. */
export function isDeterministicFailure(err: unknown): boolean {
  if (err instanceof UnrecoverableError) return true;
  if (typeof err !== 'object' || err === null) return false;
  const { name, code } = err as { name?: unknown; code?: unknown };
  if (typeof name === 'string' && DETERMINISTIC_ERROR_NAMES.has(name)) return true;
  return typeof code === 'number' && 'details' in err && !RETRYABLE_GRPC_CODES.has(code);
}

/** Rethrows `err` as a {@link JobFailedError} when it is deterministic, so BullMQ does not retry it. */
export function classifyFailure(err: unknown): Error {
  if (err instanceof UnrecoverableError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isDeterministicFailure(err)) {
    const name = (err as { name?: string }).name ?? 'Error';
    return new JobFailedError(`${name}: ${message}`);
  }
  return err instanceof Error ? err : new Error(message);
}
