import { disabledInstrumentations } from './config';
import { createInstrumentations } from './sdk';

describe('createInstrumentations', () => {
  const names = (env: NodeJS.ProcessEnv): string[] => {
    const instrumentations = createInstrumentations(disabledInstrumentations(env));
    for (const instrumentation of instrumentations) instrumentation.disable();
    return instrumentations.map((i) => i.instrumentationName);
  };

  it('loads http, fastify and ioredis (gRPC is traced by interceptors), less those OTEL_NODE_DISABLED_INSTRUMENTATIONS names', () => {
    expect(names({})).toEqual([
      '@opentelemetry/instrumentation-http',
      '@fastify/otel',
      '@opentelemetry/instrumentation-ioredis',
    ]);
    expect(names({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ioredis,http' })).toEqual(['@fastify/otel']);
    expect(names({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'grpc' })).toHaveLength(3);
  });
});
