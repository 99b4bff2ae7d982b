export { startTelemetry, startTelemetryForCommand, shutdownTelemetry } from './telemetry';
export type { StartTelemetryOptions } from './telemetry';
export {
  resolveTelemetryConfig,
  serviceNameForCommand,
  contextPropagationForCommand,
  disabledInstrumentations,
  SERVICE_NAMES,
  DEFAULT_SERVICE_NAME,
  INSTRUMENTATION_NAMES,
} from './config';
export type { TelemetryConfig, InstrumentationName, ContextPropagation } from './config';
export { installInMemoryTracing } from './in-memory-tracing';
export type { InMemoryTracing } from './in-memory-tracing';
export {
  serverTracingInterceptors,
  clientTracingInterceptors,
  serverTracingInterceptor,
  clientTracingInterceptor,
  setGrpcTracingEnabled,
  grpcTracingEnabled,
} from './grpc-tracing';
export { startChildSpan } from './child-span';
export { RequestScope } from './request-scope';
export { bullTelemetry } from './bull-telemetry';
