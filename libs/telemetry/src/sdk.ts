import type { Span } from '@opentelemetry/api';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { INSTRUMENTATION_NAMES } from './config';
import type { ContextPropagation, InstrumentationName } from './config';
import { contextManagerFor } from './synchronous-context-manager';

// Loaded by telemetry.ts only when tracing is on: these packages take a noticeable time to load,
// which a process with tracing off should not pay.

/** Probe and scrape endpoints: a span per Prometheus scrape or kubelet probe is noise. */
const UNTRACED_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/livez']);

/** What of a Fastify request the HTTP server span records (a subset of FastifyRequest). */
export interface HttpServerRequest {
  method: string;
  url: string;
  protocol: string;
  hostname: string;
  port: number | null;
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  routeOptions: { url?: string | undefined };
  raw: { httpVersion: string };
}

/**
 * Completes Fastify's request span as the HTTP server span of the semantic conventions: named
 * `{method} {route}`, with the scheme, server, client, protocol and user agent, and the path apart
 * from the query. Only for a recorded span: an unsampled request pays nothing here.
 */
export function describeHttpServerSpan(span: Span, request: HttpServerRequest): void {
  if (!span.isRecording()) return;
  const route = request.routeOptions.url;
  span.updateName(route === undefined ? request.method : `${request.method} ${route}`);
  const queryAt = request.url.indexOf('?');
  span.setAttributes({
    'url.scheme': request.protocol,
    'url.path': queryAt === -1 ? request.url : request.url.slice(0, queryAt),
    'server.address': request.hostname,
    'client.address': request.ip,
    'network.protocol.version': request.raw.httpVersion,
  });
  if (queryAt !== -1) span.setAttribute('url.query', request.url.slice(queryAt + 1));
  if (request.port !== null) span.setAttribute('server.port', request.port);
  const userAgent = request.headers['user-agent'];
  if (typeof userAgent === 'string') span.setAttribute('user_agent.original', userAgent);
}

/**
 * The maintained instrumentations for what the services use, less those named in
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. gRPC is traced by interceptors instead (grpc-tracing.ts).
 */
export function createInstrumentations(
  disabled: ReadonlySet<InstrumentationName>,
): (HttpInstrumentation | FastifyOtelInstrumentation | IORedisInstrumentation)[] {
  const all = {
    // Outgoing requests only. Every HTTP server of ours is Fastify, whose own instrumentation makes
    // the server span; the http one's server side binds each request's and response's listeners to
    // its context, sampled or not: most of what tracing cost the gateway's REST door
    // (docs/decisions/telemetry.md).
    http: () => new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    // Fastify's own instrumentation (the contrib one is deprecated in its favour); it adds itself to
    // every Fastify instance created after start, continues the caller's traceparent and makes a
    // SERVER span per request. That span only: a span per lifecycle hook (named after the anonymous
    // plugin's source text) is noise, and the handler span covers the request span's time less body
    // parsing; the services add named spans for what their hooks and handlers do (gateway.auth,
    // gateway.route).
    fastify: () =>
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        instrumentHandler: false,
        ignorePaths: (route) => UNTRACED_PATHS.has(route.url),
        requestHook: describeHttpServerSpan,
      }),
    ioredis: () => new IORedisInstrumentation(),
  };
  return INSTRUMENTATION_NAMES.filter((name): name is keyof typeof all => name !== 'grpc' && !disabled.has(name)).map(
    (name) => all[name](),
  );
}

/**
 * Starts the SDK: exporter, sampler, propagators and batch settings all come from the standard
 * OTEL_* variables (NodeSDK reads them from process.env); only the service name and context
 * manager are passed.
 */
export function startSdk(
  serviceName: string,
  disabled: ReadonlySet<InstrumentationName>,
  contextPropagation: ContextPropagation,
): NodeSDK {
  // With explicit propagation no instrumentation is loaded: they rely on async propagation, and the
  // http one would trace the OTLP exporter's own requests (sent after an await, outside the SDK's
  // suppressTracing context).
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: contextPropagation === 'explicit' ? [] : createInstrumentations(disabled),
    contextManager: contextManagerFor(contextPropagation),
  });
  sdk.start();
  return sdk;
}
