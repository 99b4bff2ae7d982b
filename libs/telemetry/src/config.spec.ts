import {
  DEFAULT_SERVICE_NAME,
  contextPropagationForCommand,
  disabledInstrumentations,
  resolveTelemetryConfig,
  serviceNameForCommand,
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

describe('startTelemetry', () => {
  it('does nothing, and loads no SDK, when there is nowhere to send spans', () => {
    expect(startTelemetry({ serviceName: 'aiaas-gateway', env: {} })).toEqual({
      enabled: false,
      serviceName: 'aiaas-gateway',
    });
  });
});
