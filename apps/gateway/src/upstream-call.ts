import type { ServiceError } from '@grpc/grpc-js';

/**
 * One unary call to a node, as a promise. grpc-js builds a `new Error()` in every unary call
 * (`makeUnaryRequest`) to keep the caller's stack for the error of a failed call; capturing that
 * stack was about 63,000 instructions of a gateway request (some 5%, under callgrind:
 * docs/decisions/telemetry.md), paid by every call to decorate the few that fail. The gateway
 * maps a failed call by its status code and details, never its stack, so the call is started with
 * stack capture off: the limit is V8's, process-wide, and restored before anything else runs.
 */
export function unaryCall<Res>(
  start: (callback: (err: ServiceError | null, response?: Res) => void) => unknown,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      start((err, response) => (err !== null ? reject(err) : resolve(response as Res)));
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  });
}
