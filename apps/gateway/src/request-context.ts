import { randomUUID } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import type { Logger } from '@aiaas/common';
import { RequestScope } from '@aiaas/telemetry';

/** Header (REST) and metadata key (gRPC) that carries a request id in and out of the gateway. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's request id may be: short, and only characters safe in a log line and a header. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The caller's request id when it is well formed (1–128 of `A-Z a-z 0-9 . _ : -`), else a fresh
 * UUID: a caller may join its own logs to ours, but cannot inject text into log lines or headers.
 */
export function requestIdFrom(incoming: unknown): string {
  const value = Array.isArray(incoming) ? (incoming[0] as unknown) : incoming;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  return typeof text === 'string' && WELL_FORMED_REQUEST_ID.test(text) ? text : randomUUID();
}

/** What the gateway knows about the request being served: its id, and its tenant once authenticated. */
export interface RequestContext {
  requestId: string;
  tenant?: string;
}

// In the trace context when tracing is on (one AsyncLocalStorage for both, see RequestScope).
const scope = new RequestScope<RequestContext>('aiaas request');

/** Runs `fn` as part of the request `context` (read back with {@link currentRequest}). */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return scope.run(context, fn);
}

/**
 * The request (and trace) context current here, as a function that runs another in it later: for
 * work resumed from an event outside the request.
 */
export function captureRequest(): <T>(fn: () => T) => T {
  return scope.capture();
}

/** The `authorization` metadata value of a gRPC call, if any. */
export function authorizationOf(metadata: Metadata): string | undefined {
  const value = metadata.get('authorization')[0];
  return value === undefined ? undefined : typeof value === 'string' ? value : value.toString('utf8');
}

/** The request being served here, if any (undefined in background work: route watch, health checks). */
export function currentRequest(): RequestContext | undefined {
  return scope.current();
}

/** Adds the current request's id to outgoing `metadata`, so the node or registry can log it. */
export function withRequestId(metadata: Metadata): Metadata {
  const requestId = currentRequest()?.requestId;
  if (requestId !== undefined) metadata.set(REQUEST_ID_HEADER, requestId);
  return metadata;
}

/**
 * The request context of a gRPC call: the caller's well-formed `x-request-id` or a fresh one, sent
 * back at once in the response's initial metadata.
 */
export function startCallContext(call: {
  metadata: Metadata;
  sendMetadata(responseMetadata: Metadata): void;
}): RequestContext {
  const context: RequestContext = { requestId: requestIdFrom(call.metadata.get(REQUEST_ID_HEADER)) };
  const response = new Metadata();
  response.set(REQUEST_ID_HEADER, context.requestId);
  call.sendMetadata(response);
  return context;
}

/** The one completion line of a gRPC call (method, status name, duration, tenant once known). */
export function logCall(
  logger: Logger | undefined,
  context: RequestContext,
  method: string,
  status: string,
  seconds: number,
): void {
  logger?.info(
    {
      req_id: context.requestId,
      method,
      status,
      duration_ms: Math.round(seconds * 1e6) / 1000,
      ...(context.tenant === undefined ? {} : { tenant: context.tenant }),
    },
    'grpc call completed',
  );
}
