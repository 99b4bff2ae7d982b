import { ServerCredentials } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall , Server} from '@grpc/grpc-js';
import { toServiceError } from './errors';

/**
 * Binds `server` on host:port (0 = a free port) and resolves with the port actually bound.
 * Tests always bind port 0 and read the port back.
 */
export function bindServer(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, boundPort) => {
      if (err) reject(new Error(`cannot listen on ${address}: ${err.message}`));
      else resolve(boundPort);
    });
  });
}

/**
 * Stops accepting calls and waits for in-flight ones; after `graceMs` the rest are cancelled.
 * grpc-js's tryShutdown alone waits forever for a stream that never ends.
 */
export function shutdownServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    timer.unref();
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Adapts an async function to a grpc-js unary handler. Every error goes through the one
 * mapping (`toServiceError`): a raw Error passed to the callback would reach the client as
 * UNKNOWN with its internal message.
 */
export function unaryHandler<Req, Res>(
  handle: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    handle(call.request, call).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

/**
 * The caller's deadline as epoch milliseconds, or Infinity when none was set.
 * grpc-js gives a Date or a number (Infinity) depending on the transport path.
 */
export function deadlineMs(call: { getDeadline(): Date | number }): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}
