import type { NodeSDK } from '@opentelemetry/sdk-node';
import type * as Sdk from './sdk';
import {
  contextPropagationForCommand,
  disabledInstrumentations,
  resolveTelemetryConfig,
  serviceNameForCommand,
  tracingSettingsProblems,
} from './config';
import { reasonOf, reportExportFailures } from './export-failures';
import { setGrpcTracingEnabled } from './grpc-tracing';
import { setRequestScopesShareTraceContext } from './request-scope';
import type { ContextPropagation, TelemetryConfig } from './config';

/** Options for {@link startTelemetry}. */
export interface StartTelemetryOptions {
  /** Default service name; `OTEL_SERVICE_NAME` overrides it. */
  serviceName: string;
  /** @default process.env (the SDK reads the OTEL_* variables from process.env in any case) */
  env?: NodeJS.ProcessEnv;
  /** @default 'async'; `explicit` loads no instrumentation (see {@link ContextPropagation}). */
  contextPropagation?: ContextPropagation;
}

let sdk: NodeSDK | undefined;
/** Where the running SDK sends spans, for the lines that say spans were lost. */
let destination = 'the exporter';

/**
 * Starts OpenTelemetry tracing for this process, configured only through the standard `OTEL_*`
 * variables (see {@link resolveTelemetryConfig} for when it is on). Must run before anything
 * imports `http`, `fastify` or `ioredis` (the instrumentations patch them as they load) and before
 * any gRPC server or client is created (they take the tracing interceptors when created, see
 * grpc-tracing.ts). Idempotent. Returns what it decided; throws, naming every bad value and what was
 * expected, when tracing is on and a standard variable is not one the SDK understands.
 *
 * Only traces: metrics are prom-client on every service's `/metrics`, logs are pino on stdout (with
 * trace ids, see @aiaas/common's logger), so the SDK's metric and log pipelines default to `none`
 * here unless `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` ask for them.
 */
export function startTelemetry(options: StartTelemetryOptions): TelemetryConfig {
  const env = options.env ?? process.env;
  const config = resolveTelemetryConfig(env, options.serviceName);
  if (!config.enabled || sdk) return config;
  const problems = tracingSettingsProblems(env);
  if (problems.length > 0) throw new Error(`invalid tracing settings: ${problems.join('; ')}`);
  // NodeSDK reads these from process.env; unset, it would start OTLP metric and log exporters too.
  process.env['OTEL_METRICS_EXPORTER'] ??= 'none';
  process.env['OTEL_LOGS_EXPORTER'] ??= 'none';
  // Required only now: with tracing off the SDK and instrumentations are never even loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSdk } = require('./sdk') as typeof Sdk;
  const disabled = disabledInstrumentations(env);
  const contextPropagation = options.contextPropagation ?? 'async';
  sdk = startSdk(config.serviceName, disabled, contextPropagation);
  destination = config.destination ?? destination;
  reportExportFailures(destination, env);
  setGrpcTracingEnabled(!disabled.has('grpc'));
  setRequestScopesShareTraceContext(contextPropagation === 'async');
  return config;
}

/** {@link startTelemetry} for an `aiaas` command line: service name and context propagation follow `argv[2]`. */
export function startTelemetryForCommand(argv: readonly string[] = process.argv): TelemetryConfig {
  return startTelemetry({
    serviceName: serviceNameForCommand(argv[2]),
    contextPropagation: contextPropagationForCommand(argv[2]),
  });
}

/**
 * Flushes spans still buffered and stops the SDK; a no-op when telemetry is off. Never rejects: a
 * collector that is down or refuses the spans costs those spans, said in one line on stderr, not
 * the exit status of a service that stopped cleanly (the SDK's export timeout,
 * `OTEL_EXPORTER_OTLP_TIMEOUT`, bounds the wait).
 */
export async function shutdownTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  setGrpcTracingEnabled(false);
  setRequestScopesShareTraceContext(false);
  try {
    await running?.shutdown();
  } catch (err) {
    process.stderr.write(`aiaas: tracing: the last spans were not exported to ${destination} (${reasonOf(err)})\n`);
  }
}
