export { startTelemetry, startTelemetryForCommand, shutdownTelemetry } from './telemetry';
export type { StartTelemetryOptions } from './telemetry';
export { resolveTelemetryConfig, serviceNameForCommand, SERVICE_NAMES, DEFAULT_SERVICE_NAME } from './config';
export type { TelemetryConfig } from './config';
export { installInMemoryTracing } from './in-memory-tracing';
export type { InMemoryTracing } from './in-memory-tracing';
