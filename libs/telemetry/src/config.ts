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
  /** When on: the variable that turned it on, as `NAME=value` (the shutdown warning names it). */
  destination?: string;
}

/** A setting's value, trimmed; undefined when unset or blank (the SDK treats blank as unset). */
const setting = (env: NodeJS.ProcessEnv, name: string): string | undefined => env[name]?.trim() || undefined;

/** A comma-separated setting's entries, trimmed, empty ones dropped. */
const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Tracing is on when there is somewhere to send spans: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or an explicit `OTEL_TRACES_EXPORTER` other than `none`
 * (e.g. `console`). `OTEL_SDK_DISABLED=true` turns it off regardless. Everything else (protocol,
 * sampler, propagators, batch delays) is read by the SDK itself from the standard variables.
 */
export function resolveTelemetryConfig(env: NodeJS.ProcessEnv, serviceName: string): TelemetryConfig {
  const name = setting(env, 'OTEL_SERVICE_NAME') ?? serviceName;
  if (setting(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return { enabled: false, serviceName: name };
  const exporters = listOf(env['OTEL_TRACES_EXPORTER']);
  if (exporters.includes('none')) return { enabled: false, serviceName: name };
  for (const variable of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT']) {
    const endpoint = setting(env, variable);
    if (endpoint !== undefined) return { enabled: true, serviceName: name, destination: `${variable}=${endpoint}` };
  }
  if (exporters.length > 0) {
    return { enabled: true, serviceName: name, destination: `OTEL_TRACES_EXPORTER=${exporters.join(',')}` };
  }
  return { enabled: false, serviceName: name };
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
  const names = listOf(env['OTEL_NODE_DISABLED_INSTRUMENTATIONS']);
  const unknown = names.filter((name) => !(INSTRUMENTATION_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `OTEL_NODE_DISABLED_INSTRUMENTATIONS: unknown instrumentation ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
        `expected a comma-separated list of ${INSTRUMENTATION_NAMES.join(', ')}`,
    );
  }
  return new Set(names as InstrumentationName[]);
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const TRACE_EXPORTERS = ['otlp', 'console', 'zipkin', 'none'];
const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'];
const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'jaeger', 'none'];
/** Settings the SDK reads as numbers, and what each must be. */
const NUMBERS: Readonly<Record<string, { min: number; what: string }>> = {
  OTEL_BSP_SCHEDULE_DELAY: { min: 0, what: 'milliseconds, 0 or more' },
  OTEL_BSP_EXPORT_TIMEOUT: { min: 1, what: 'milliseconds, 1 or more' },
  OTEL_BSP_MAX_QUEUE_SIZE: { min: 1, what: 'a number of spans, 1 or more' },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: { min: 1, what: 'a number of spans, 1 or more' },
  OTEL_EXPORTER_OTLP_TIMEOUT: { min: 1, what: 'milliseconds, 1 or more' },
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: { min: 1, what: 'milliseconds, 1 or more' },
};

/**
 * What is wrong with the standard tracing variables in `env`, one line each (none: all good).
 * The SDK itself only notes a bad value on its silent diagnostic channel and falls back: a
 * misspelt sampler or ratio samples every request, a misspelt protocol or exporter sends spans
 * somewhere else or nowhere. Read as the SDK reads them: trimmed, names case-sensitive.
 */
export function tracingSettingsProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const value = (name: string): string | undefined => setting(env, name);
  const oneOf = (name: string, allowed: readonly string[], values: string[]): void => {
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) {
      const quoted = unknown.map((v) => `"${v}"`).join(', ');
      problems.push(`${name}: ${quoted} ${unknown.length === 1 ? 'is' : 'are'} not one of ${allowed.join(', ')}`);
    }
  };
  const sampler = value('OTEL_TRACES_SAMPLER');
  if (sampler !== undefined) oneOf('OTEL_TRACES_SAMPLER', SAMPLERS, [sampler]);
  const ratio = value('OTEL_TRACES_SAMPLER_ARG');
  if (ratio !== undefined && sampler?.endsWith('traceidratio') === true) {
    const number = Number(ratio);
    if (!Number.isFinite(number) || number < 0 || number > 1) {
      problems.push(
        `OTEL_TRACES_SAMPLER_ARG: "${ratio}" is not a sampling ratio; expected a number from 0 to 1 (0.1 = 10%)`,
      );
    }
  }
  const exporters = value('OTEL_TRACES_EXPORTER');
  if (exporters !== undefined) oneOf('OTEL_TRACES_EXPORTER', TRACE_EXPORTERS, listOf(exporters));
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const protocol = value(name);
    if (protocol !== undefined) oneOf(name, OTLP_PROTOCOLS, [protocol]);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    const endpoint = value(name);
    if (endpoint === undefined) continue;
    let scheme: string | undefined;
    try {
      scheme = new URL(endpoint).protocol;
    } catch {
      scheme = undefined;
    }
    if (scheme !== 'http:' && scheme !== 'https:') {
      problems.push(`${name}: "${endpoint}" is not an http:// or https:// URL (e.g. http://localhost:4318)`);
    }
  }
  const propagators = value('OTEL_PROPAGATORS');
  if (propagators !== undefined) oneOf('OTEL_PROPAGATORS', PROPAGATORS, listOf(propagators));
  for (const [name, { min, what }] of Object.entries(NUMBERS)) {
    const text = value(name);
    if (text === undefined) continue;
    const number = Number(text);
    if (!Number.isFinite(number) || number < min) problems.push(`${name}: "${text}" is not ${what}`);
  }
  try {
    disabledInstrumentations(env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return problems;
}
