import { createInstrumentations } from './sdk';

describe('createInstrumentations', () => {
  const names = (env: NodeJS.ProcessEnv): string[] => {
    const instrumentations = createInstrumentations(env);
    for (const instrumentation of instrumentations) instrumentation.disable();
    return instrumentations.map((i) => i.instrumentationName);
  };

  it('loads grpc, http, fastify and ioredis, less those OTEL_NODE_DISABLED_INSTRUMENTATIONS names', () => {
    expect(names({})).toEqual([
      '@opentelemetry/instrumentation-grpc',
      '@opentelemetry/instrumentation-http',
      '@fastify/otel',
      '@opentelemetry/instrumentation-ioredis',
    ]);
    expect(names({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'ioredis,http' })).toEqual([
      '@opentelemetry/instrumentation-grpc',
      '@fastify/otel',
    ]);
  });
});
