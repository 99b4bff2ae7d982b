/** The service name each `aiaas` subcommand reports (`OTEL_SERVICE_NAME` overrides it). */
export const SERVICE_NAMES: Readonly<Record<string, string>> = {
  node: 'aiaas-inference-node',
  registry: 'aiaas-registry',
  gateway: 'aiaas-gateway',
  worker: 'aiaas-optimizer',
};

/**
 * How the active context follows a service's work: `async` through AsyncLocalStorage (across
 * awaits, timers and events, what the http, fastify and ioredis instrumentations need), `explicit`
 * only within synchronous calls, the code carrying it by hand (see synchronous-context-manager.ts).
 */
export type ContextPropagation = 'async' | 'explicit';

/**
 * The context propagation an `aiaas` subcommand runs with: explicit for the inference node, whose
 * traced work carries its context by hand (see synchronous-context-manager.ts), async for the rest.
 */
export function contextPropagationForCommand(command: string | undefined): ContextPropagation {
  return command === 'node' ? 'explicit' : 'async';
}

/** Service name of any other command (client commands, --help). */
export const DEFAULT_SERVICE_NAME = 'aiaas-cli';

/**
 * The service name for an `aiaas` command line. Telemetry starts before commander parses argv (it
 * must patch grpc-js before anything loads it), so this reads the subcommand straight from its
 * position: `aiaas <command> [flags]`, i.e. process.argv[2].
 */
export function serviceNameForCommand(command: string | undefined): string {
  return (command !== undefined && SERVICE_NAMES[command]) || DEFAULT_SERVICE_NAME;
}

/** What {@link resolveTelemetryConfig} decides from the environment. */
export interface TelemetryConfig {
  /** False: no SDK, no instrumentation, the OpenTelemetry API stays a no-op. */
  enabled: boolean;
  serviceName: string;
}

const present = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

/**
 * Tracing is on when there is somewhere to send spans: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or an explicit `OTEL_TRACES_EXPORTER` other than `none`
 * (e.g. `console`). `OTEL_SDK_DISABLED=true` turns it off regardless. Everything else (protocol,
 * sampler, propagators, batch delays) is read by the SDK itself from the standard variables.
 */
export function resolveTelemetryConfig(env: NodeJS.ProcessEnv, serviceName: string): TelemetryConfig {
  const name = present(env['OTEL_SERVICE_NAME']) ? env['OTEL_SERVICE_NAME']!.trim() : serviceName;
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return { enabled: false, serviceName: name };
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (exporters.includes('none')) return { enabled: false, serviceName: name };
  const enabled =
    present(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ||
    present(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) ||
    exporters.length > 0;
  return { enabled, serviceName: name };
}

/** The instrumentations the services load, by the names `OTEL_NODE_DISABLED_INSTRUMENTATIONS` uses. */
export const INSTRUMENTATION_NAMES = ['grpc', 'http', 'fastify', 'ioredis'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/**
 * Instrumentations to leave out, from `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (comma-separated, as
 * `@opentelemetry/auto-instrumentations-node` reads it), e.g. `ioredis` to stop a span per Redis
 * command. An unknown name is an error naming the known ones, not a silent no-op.
 */
export function disabledInstrumentations(env: NodeJS.ProcessEnv): Set<InstrumentationName> {
  const names = (env['OTEL_NODE_DISABLED_INSTRUMENTATIONS'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = names.filter((name) => !(INSTRUMENTATION_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `OTEL_NODE_DISABLED_INSTRUMENTATIONS: unknown instrumentation ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
        `expected a comma-separated list of ${INSTRUMENTATION_NAMES.join(', ')}`,
    );
  }
  return new Set(names as InstrumentationName[]);
}
