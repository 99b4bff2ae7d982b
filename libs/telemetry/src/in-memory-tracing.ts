import { context, propagation, trace } from '@opentelemetry/api';
import type * as GrpcInstrumentationModule from '@opentelemetry/instrumentation-grpc';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type * as SdkTraceNode from '@opentelemetry/sdk-trace-node';

/** Tracing registered in this process with every finished span kept in memory (tests only). */
export interface InMemoryTracing {
  exporter: InMemorySpanExporter;
  /** Spans finished so far, in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  /** Unpatches grpc-js and unregisters the global tracer provider, context manager and propagator. */
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider (AsyncLocalStorage context, W3C tracecontext) that exports to memory
 * through a SimpleSpanProcessor, and applies the grpc-js instrumentation to `grpcModule` — the copy
 * of `@grpc/grpc-js` the code under test uses. Jest loads modules through its own registry, which
 * the instrumentations' require hook never sees, so the patch is applied to that module directly
 * (in a plain Node process `startTelemetry` patches it on require instead). Call it before any
 * gRPC server or client is created.
 */
export function installInMemoryTracing(grpcModule: object): InMemoryTracing {
  // Required here, not at the top: the CLI bundle imports this library first thing, and services
  // must not pay for loading the SDK when tracing is off.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc') as typeof GrpcInstrumentationModule;
  const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof SdkTraceNode;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  // Disabled: no require hook; the definitions' patch functions are applied by hand below.
  const grpc = new GrpcInstrumentation({ enabled: false });
  grpc.setTracerProvider(provider);
  const definitions = grpc.getModuleDefinitions();
  for (const definition of definitions) definition.patch?.(grpcModule);
  return {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      for (const definition of definitions) definition.unpatch?.(grpcModule);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
