import { InterceptingCall, ServerInterceptingCall, status as GrpcStatus } from '@grpc/grpc-js';
import type {
  Interceptor,
  InterceptorOptions,
  Metadata,
  ServerInterceptor,
  ServerListener,
  StatusObject,
} from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, TextMapGetter, TextMapSetter, Tracer } from '@opentelemetry/api';

// gRPC spans by grpc-js's own extension point, interceptors, instead of
// @opentelemetry/instrumentation-grpc. The instrumentation re-wraps every call object (shimmer on
// sendMetadata, a bound EventEmitter, a metadata map copy, a JSON.stringify for a debug line) even
// for calls that are not sampled; on a small model that cost the node 40-60% more CPU per request
// with nothing sampled (docs/decisions/telemetry.md). These interceptors record the RPC semantic
// conventions' names and attributes and propagate context through the registered propagator.

const TRACER_NAME = '@aiaas/telemetry/grpc';

let enabled = false;

/**
 * Turns the interceptors on for servers and clients created from now on (startTelemetry and
 * installInMemoryTracing call it); with tracing off they are not installed at all, so an untraced
 * process pays nothing per call.
 */
export function setGrpcTracingEnabled(on: boolean): void {
  enabled = on;
}

/** True once tracing is on in this process (see {@link setGrpcTracingEnabled}). */
export function grpcTracingEnabled(): boolean {
  return enabled;
}

const metadataGetter: TextMapGetter<Metadata> = {
  get(carrier, key) {
    const values = carrier.get(key);
    if (values.length === 0) return undefined;
    return values.length === 1 ? String(values[0]) : values.map(String);
  },
  keys: (carrier) => Object.keys(carrier.getMap()),
};

const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Health probes and reflection: a span per kubelet probe or grpcurl lookup is noise. */
const untracedPath = (path: string): boolean =>
  path.startsWith('/grpc.health.v1.') || path.startsWith('/grpc.reflection.');

/** Span name (`pkg.Service/Method`, per the RPC conventions) and attributes of one method. */
interface MethodSpan {
  name: string;
  attributes: Attributes;
}

// Computed once per method path, not per call; spans copy the attributes they are given.
const methodSpans = new Map<string, MethodSpan>();

function methodSpanOf(path: string): MethodSpan {
  let found = methodSpans.get(path);
  if (!found) {
    const slash = path.lastIndexOf('/');
    found = {
      name: path.slice(1),
      attributes: Object.freeze({
        'rpc.system': 'grpc',
        'rpc.service': path.slice(1, slash),
        'rpc.method': path.slice(slash + 1),
      }),
    };
    methodSpans.set(path, found);
  }
  return found;
}

// Server errors per the conventions' gRPC status mapping; a client span is an error on any non-OK.
const SERVER_ERROR_CODES = new Set<number>([
  GrpcStatus.UNKNOWN,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.UNIMPLEMENTED,
  GrpcStatus.INTERNAL,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

function endWithStatus(span: Span, code: number, details: string | undefined, isError: boolean): void {
  if (span.isRecording()) {
    span.setAttribute('rpc.grpc.status_code', code);
    if (isError) span.setStatus({ code: SpanStatusCode.ERROR, message: details ?? GrpcStatus[code] });
  }
  span.end();
}

/**
 * A server span per call: the caller's context is extracted from the request metadata, and the
 * handler runs with the server span active (as do the request stream's events), so the service's
 * own spans and outgoing calls are its children. The span ends with the status sent.
 */
export function serverTracingInterceptor(tracer: Tracer = trace.getTracer(TRACER_NAME)): ServerInterceptor {
  return (methodDescriptor, call) => {
    const { path, requestStream } = methodDescriptor;
    if (untracedPath(path)) return new ServerInterceptingCall(call);
    let spanContext: Context = ROOT_CONTEXT;
    let span: Span | undefined;
    const startSpan = (metadata: Metadata): void => {
      const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
      const { name, attributes } = methodSpanOf(path);
      span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
      spanContext = trace.setSpan(parent, span);
    };
    const endSpan = (code: number, details: string | undefined, isError: boolean): void => {
      if (span) endWithStatus(span, code, details, isError);
      span = undefined;
    };
    // grpc-js runs a unary or server-streaming handler on half-close, a request-streaming one on the
    // metadata (then feeds it the messages): only those events need the span's context.
    const listener: ServerListener = requestStream
      ? {
          onReceiveMetadata(metadata, next) {
            startSpan(metadata);
            context.with(spanContext, next, undefined, metadata);
          },
          onReceiveMessage: (message, next) => context.with(spanContext, next, undefined, message),
          onReceiveHalfClose: (next) => context.with(spanContext, next),
          onCancel: () => endSpan(GrpcStatus.CANCELLED, 'cancelled by the client', false),
        }
      : {
          onReceiveMetadata(metadata, next) {
            startSpan(metadata);
            next(metadata);
          },
          onReceiveHalfClose: (next) => context.with(spanContext, next),
          onCancel: () => endSpan(GrpcStatus.CANCELLED, 'cancelled by the client', false),
        };
    return new ServerInterceptingCall(call, {
      start: (next) => next(listener),
      sendStatus(status, next) {
        endSpan(status.code, status.details, SERVER_ERROR_CODES.has(status.code));
        next(status);
      },
    });
  };
}

/**
 * Client interceptors for a channel to `target` (host:port): a client span per call, child of the
 * context active where the call was made, injected into the request metadata (W3C traceparent);
 * it ends with the status received.
 */
export function clientTracingInterceptor(target: string, tracer: Tracer = trace.getTracer(TRACER_NAME)): Interceptor {
  const colon = target.lastIndexOf(':');
  const address = (colon > 0 ? target.slice(0, colon) : target).replace(/^\[|\]$/g, '');
  const portText = colon > 0 ? target.slice(colon + 1) : '';
  const port = /^\d+$/.test(portText) ? Number(portText) : undefined;
  return (options: InterceptorOptions, nextCall) => {
    const parent = context.active();
    // Inside a request that is not sampled, a client span would record nothing either: pass the
    // caller's context on as it is (its traceparent says "not sampled"), and skip the span.
    if (trace.getSpan(parent)?.isRecording() === false) {
      return new InterceptingCall(nextCall(options), {
        start(metadata, listener, next) {
          propagation.inject(parent, metadata, metadataSetter);
          next(metadata, listener);
        },
      });
    }
    const { name, attributes } = methodSpanOf(options.method_definition.path);
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
    if (span.isRecording()) {
      span.setAttribute('server.address', address);
      if (port !== undefined) span.setAttribute('server.port', port);
    }
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        propagation.inject(trace.setSpan(parent, span), metadata, metadataSetter);
        next(metadata, {
          onReceiveStatus(status: StatusObject, nextStatus) {
            endWithStatus(span, status.code, status.details, status.code !== GrpcStatus.OK);
            nextStatus(status);
          },
        });
      },
    });
  };
}

/** Interceptors for `new Server({ interceptors })`: the tracing one when tracing is on, else none. */
export function serverTracingInterceptors(): ServerInterceptor[] {
  return enabled ? [serverTracingInterceptor()] : [];
}

/** Interceptors for a client's `interceptors` option: the tracing one when tracing is on, else none. */
export function clientTracingInterceptors(target: string): Interceptor[] {
  return enabled ? [clientTracingInterceptor(target)] : [];
}
