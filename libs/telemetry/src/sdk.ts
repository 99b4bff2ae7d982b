import type { IncomingMessage } from 'node:http';
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

function untraced(request: IncomingMessage): boolean {
  return UNTRACED_PATHS.has((request.url ?? '').split('?')[0]!);
}

/**
 * The maintained instrumentations for what the services use, less those named in
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. gRPC is traced by interceptors instead (grpc-tracing.ts).
 */
export function createInstrumentations(
  disabled: ReadonlySet<InstrumentationName>,
): (HttpInstrumentation | FastifyOtelInstrumentation | IORedisInstrumentation)[] {
  const all = {
    http: () => new HttpInstrumentation({ ignoreIncomingRequestHook: untraced }),
    // Fastify's own instrumentation (the contrib one is deprecated in its favour); it adds itself to
    // every Fastify instance created after start. Request and handler spans only: a span per
    // lifecycle hook (named after the anonymous plugin's source text) is noise on every request;
    // the services add named spans for what their hooks do (e.g. gateway.auth).
    fastify: () =>
      new FastifyOtelInstrumentation({
        registerOnInitialization: true,
        instrumentHooks: false,
        ignorePaths: (route) => UNTRACED_PATHS.has(route.url),
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
