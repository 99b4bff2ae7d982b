import { ROOT_CONTEXT, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { disabledInstrumentations } from './config';
import type { ContextPropagation } from './config';
import { createInstrumentations, describeHttpServerSpan, startSdk } from './sdk';
import type { HttpServerRequest } from './sdk';

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

describe('describeHttpServerSpan (Fastify request span as the HTTP server span)', () => {
  const request = (overrides: Partial<HttpServerRequest> = {}): HttpServerRequest => ({
    method: 'POST',
    url: '/v2/models/mlp/infer?verbose=1',
    protocol: 'http',
    hostname: '127.0.0.1',
    port: 8080,
    ip: '10.0.0.7',
    headers: { 'user-agent': 'curl/8.5.0' },
    routeOptions: { url: '/v2/models/:model/infer' },
    raw: { httpVersion: '1.1' },
    ...overrides,
  });

  function described(req: HttpServerRequest): ReadableSpan | undefined {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('test').startSpan('request');
    describeHttpServerSpan(span, req);
    span.end();
    return exporter.getFinishedSpans()[0];
  }

  it('names the span {method} {route} and records scheme, path and query apart, server, client, protocol, user agent', () => {
    const span = described(request())!;
    expect(span.name).toBe('POST /v2/models/:model/infer');
    expect(span.attributes).toEqual({
      'url.scheme': 'http',
      'url.path': '/v2/models/mlp/infer',
      'url.query': 'verbose=1',
      'server.address': '127.0.0.1',
      'server.port': 8080,
      'client.address': '10.0.0.7',
      'network.protocol.version': '1.1',
      'user_agent.original': 'curl/8.5.0',
    });
  });

  it('names an unrouted request (404) by its method, and leaves out what the request lacks', () => {
    const span = described(request({ url: '/nowhere', routeOptions: {}, port: null, headers: {} }))!;
    expect(span.name).toBe('POST');
    expect(span.attributes['url.path']).toBe('/nowhere');
    expect(span.attributes).not.toHaveProperty('url.query');
    expect(span.attributes).not.toHaveProperty('server.port');
    expect(span.attributes).not.toHaveProperty('user_agent.original');
  });

  it('does no work for an unsampled request: the span is not touched', () => {
    const unsampled = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 0,
    });
    const touched = ['updateName', 'setAttribute', 'setAttributes'].map((method) =>
      jest.spyOn(unsampled, method as 'updateName' | 'setAttribute' | 'setAttributes'),
    );
    describeHttpServerSpan(unsampled, request());
    for (const spy of touched) expect(spy).not.toHaveBeenCalled();
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
