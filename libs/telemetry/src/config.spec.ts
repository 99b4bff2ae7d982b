import {
  DEFAULT_SERVICE_NAME,
  contextPropagationForCommand,
  disabledInstrumentations,
  resolveTelemetryConfig,
  serviceNameForCommand,
  tracingSettingsProblems,
} from './config';
import { startTelemetry } from './telemetry';

describe('serviceNameForCommand', () => {
  it('names each service command and falls back for the rest', () => {
    expect(['node', 'registry', 'gateway', 'worker', 'models', undefined].map(serviceNameForCommand)).toEqual([
      'aiaas-inference-node',
      'aiaas-registry',
      'aiaas-gateway',
      'aiaas-optimizer',
      DEFAULT_SERVICE_NAME,
      DEFAULT_SERVICE_NAME,
    ]);
  });
});

describe('contextPropagationForCommand', () => {
  it('is explicit for the inference node only', () => {
    expect(contextPropagationForCommand('node')).toBe('explicit');
    for (const command of ['gateway', 'registry', 'worker', 'up', undefined]) {
      expect(contextPropagationForCommand(command)).toBe('async');
    }
  });
});

describe('resolveTelemetryConfig', () => {
  it('is off without an endpoint or exporter', () => {
    expect(resolveTelemetryConfig({}, 'aiaas-gateway')).toEqual({ enabled: false, serviceName: 'aiaas-gateway' });
  });

  it('is on with an OTLP endpoint (general or traces-only) or an explicit exporter', () => {
    expect(resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }, 's').enabled).toBe(true);
    expect(
      resolveTelemetryConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' }, 's').enabled,
    ).toBe(true);
    expect(resolveTelemetryConfig({ OTEL_TRACES_EXPORTER: 'console' }, 's').enabled).toBe(true);
  });

  it('stays off when disabled or the exporter is none', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' };
    expect(resolveTelemetryConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, 's').enabled).toBe(false);
    expect(resolveTelemetryConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, 's').enabled).toBe(false);
  });

  it('lets OTEL_SERVICE_NAME override the command name', () => {
    expect(resolveTelemetryConfig({ OTEL_SERVICE_NAME: 'edge-gw' }, 'aiaas-gateway').serviceName).toBe('edge-gw');
    expect(resolveTelemetryConfig({ OTEL_SERVICE_NAME: ' ' }, 'aiaas-gateway').serviceName).toBe('aiaas-gateway');
  });
});

describe('disabledInstrumentations', () => {
  it('reads a comma-separated list, empty by default', () => {
    expect(disabledInstrumentations({})).toEqual(new Set());
    expect(disabledInstrumentations({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: ' ioredis, http ,' })).toEqual(
      new Set(['ioredis', 'http']),
    );
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => disabledInstrumentations({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'grpc,redis' })).toThrow(
      'OTEL_NODE_DISABLED_INSTRUMENTATIONS: unknown instrumentation "redis"; expected a comma-separated list of grpc, http, fastify, ioredis',
    );
  });
});

describe('tracingSettingsProblems', () => {
  it('accepts every value the SDK understands, and nothing set', () => {
    expect(tracingSettingsProblems({})).toEqual([]);
    expect(
      tracingSettingsProblems({
        OTEL_TRACES_SAMPLER: ' parentbased_traceidratio ',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_TRACES_EXPORTER: 'otlp,console',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces',
        OTEL_PROPAGATORS: 'tracecontext,baggage',
        OTEL_BSP_SCHEDULE_DELAY: '0',
        OTEL_BSP_MAX_QUEUE_SIZE: '2048',
        OTEL_EXPORTER_OTLP_TIMEOUT: '10000',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ioredis',
      }),
    ).toEqual([]);
    // The ratio is read only by the ratio samplers; a blank one is the spec's default (1).
    expect(tracingSettingsProblems({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'x' })).toEqual([]);
    expect(tracingSettingsProblems({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: ' ' })).toEqual([]);
  });

  it.each([
    [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidration' },
      'OTEL_TRACES_SAMPLER: "parentbased_traceidration" is not one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
    ],
    [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '10%' },
      'OTEL_TRACES_SAMPLER_ARG: "10%" is not a sampling ratio; expected a number from 0 to 1 (0.1 = 10%)',
    ],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '10' },
      'OTEL_TRACES_SAMPLER_ARG: "10" is not a sampling ratio; expected a number from 0 to 1 (0.1 = 10%)',
    ],
    [
      { OTEL_TRACES_EXPORTER: 'otlp,jaeger' },
      'OTEL_TRACES_EXPORTER: "jaeger" is not one of otlp, console, zipkin, none',
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http' },
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http" is not one of http/protobuf, http/json, grpc',
    ],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT: "localhost:4318" is not an http:// or https:// URL (e.g. http://localhost:4318)',
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' },
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" is not an http:// or https:// URL (e.g. http://localhost:4318)',
    ],
    [
      { OTEL_PROPAGATORS: 'w3c' },
      'OTEL_PROPAGATORS: "w3c" is not one of tracecontext, baggage, b3, b3multi, jaeger, none',
    ],
    [{ OTEL_BSP_SCHEDULE_DELAY: '5s' }, 'OTEL_BSP_SCHEDULE_DELAY: "5s" is not milliseconds, 0 or more'],
    [
      { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0' },
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "0" is not a number of spans, 1 or more',
    ],
    [
      { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'redis' },
      'OTEL_NODE_DISABLED_INSTRUMENTATIONS: unknown instrumentation "redis"; expected a comma-separated list of grpc, http, fastify, ioredis',
    ],
  ])('names %j and what was expected', (env, problem) => {
    expect(tracingSettingsProblems(env)).toEqual([problem]);
  });

  it('lists every problem, not only the first', () => {
    expect(
      tracingSettingsProblems({ OTEL_TRACES_SAMPLER: 'sometimes', OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' }),
    ).toHaveLength(2);
  });
});

describe('startTelemetry', () => {
  it('does nothing, and loads no SDK, when there is nowhere to send spans', () => {
    expect(startTelemetry({ serviceName: 'aiaas-gateway', env: {} })).toEqual({
      enabled: false,
      serviceName: 'aiaas-gateway',
    });
  });

  it('refuses bad settings before it starts anything, and ignores them while tracing is off', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', OTEL_TRACES_SAMPLER: 'on' };
    expect(() => startTelemetry({ serviceName: 'aiaas-gateway', env })).toThrow(
      'invalid tracing settings: OTEL_TRACES_SAMPLER: "on" is not one of always_on,',
    );
    expect(startTelemetry({ serviceName: 'aiaas-gateway', env: { OTEL_TRACES_SAMPLER: 'on' } }).enabled).toBe(false);
  });
});
