import { context, propagation, trace } from '@opentelemetry/api';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type * as SdkTraceNode from '@opentelemetry/sdk-trace-node';
import { setGrpcTracingEnabled } from './grpc-tracing';
import { setRequestScopesShareTraceContext } from './request-scope';
import { contextManagerFor } from './synchronous-context-manager';
import type { ContextPropagation } from './config';

/** Tracing registered in this process with every finished span kept in memory (tests only). */
export interface InMemoryTracing {
  exporter: InMemorySpanExporter;
  /** Spans finished so far, in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  /** Turns the gRPC interceptors off and unregisters the global tracer provider, context manager and propagator. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider (W3C tracecontext; AsyncLocalStorage context, or the synchronous
 * manager the inference node runs with for `explicit`) that exports to memory through a
 * SimpleSpanProcessor, and turns on the gRPC tracing interceptors for servers and clients created
 * from now on (see grpc-tracing.ts). Call it before any gRPC server or client is created.
 */
export function installInMemoryTracing(contextPropagation: ContextPropagation = 'async'): InMemoryTracing {
  // Required here, not at the top: the CLI bundle imports this library first thing, and services
  // must not pay for loading the SDK when tracing is off.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof SdkTraceNode;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register({ contextManager: contextManagerFor(contextPropagation) });
  setGrpcTracingEnabled(true);
  setRequestScopesShareTraceContext(contextPropagation === 'async');
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      setGrpcTracingEnabled(false);
      setRequestScopesShareTraceContext(false);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
