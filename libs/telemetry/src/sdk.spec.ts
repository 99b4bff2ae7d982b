import { ROOT_CONTEXT, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import { disabledInstrumentations } from './config';
import type { ContextPropagation } from './config';
import { createInstrumentations, startSdk } from './sdk';

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

describe('startSdk', () => {
  const KEY = createContextKey('request');
  const saved = { ...process.env };
  beforeAll(() => {
    // Nothing to export to: only the context manager is under test.
    Object.assign(process.env, {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  /** The value a context set around an async function still has after its first await. */
  async function valueAfterAwait(contextPropagation: ContextPropagation): Promise<unknown> {
    const sdk = startSdk('test', new Set(), contextPropagation);
    try {
      return await context.with(ROOT_CONTEXT.setValue(KEY, 'request'), async () => {
        expect(context.active().getValue(KEY)).toBe('request');
        await new Promise((resolve) => setImmediate(resolve));
        return context.active().getValue(KEY);
      });
    } finally {
      await sdk.shutdown();
      context.disable();
      trace.disable();
      propagation.disable();
    }
  }

  it('follows awaits with async propagation (AsyncLocalStorage)', async () => {
    expect(await valueAfterAwait('async')).toBe('request');
  });

  it('keeps a context to synchronous calls with explicit propagation (the inference node)', async () => {
    expect(await valueAfterAwait('explicit')).toBeUndefined();
  });
});
