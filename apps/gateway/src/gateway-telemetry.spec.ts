import { EventEmitter } from 'node:events';
import { context, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { NotFoundError, UnauthenticatedError, createLogger } from '@aiaas/common';
import type { RoutesClient } from '@aiaas/proto';
import { installInMemoryTracing } from '@aiaas/telemetry';
import type { InMemoryTracing } from '@aiaas/telemetry';
import type { Principal } from './auth/scopes';
import { Gateway } from './gateway';
import { GatewayMetrics, MAX_TENANT_LABELS } from './gateway-metrics';
import { runInRequest } from './request-context';
import type { RequestContext } from './request-context';
import type { ResolvedRoute } from './route-table';
import { RouteTable } from './route-table';

/** The gateway's spans (gateway.auth, gateway.route), the route watch's root context, and bounded metric labels. */
describe('gateway telemetry', () => {
  let tracing: InMemoryTracing;
  beforeAll(() => {
    tracing = installInMemoryTracing();
  });
  afterAll(async () => tracing.shutdown());
  beforeEach(() => tracing.reset());

  const principal: Principal = { tenant: 'acme', principalId: 'key-1', scopes: ['infer'], kind: 'api-key' };
  const route: ResolvedRoute = {
    tenant: 'acme',
    model: 'mlp',
    servedName: 'acme.mlp',
    version: 3,
    aliases: ['production'],
    endpoints: [{ nodeId: 'n', address: '10.0.0.7:8001', weight: 1 }],
  };
  const gatewayWith = () =>
    new Gateway({
      authenticator: {
        authenticate: async (authorization) => {
          if (authorization !== 'Bearer good') throw new UnauthenticatedError('bad credentials');
          return principal;
        },
      },
      routes: {
        resolve: (_tenant, model) => {
          if (model !== 'mlp') throw new NotFoundError(`model "${model}" not found`);
          return route;
        },
        versions: () => [3],
        synced: true,
      },
      pool: {
        invoke: async (resolve, call) => {
          const chosen = resolve();
          return call({} as never, chosen, {}, chosen.endpoints[0]!.address);
        },
      },
    });

  it('records gateway.auth and gateway.route (model, version, replica address) under the request span', async () => {
    const seen: string[] = [];
    const gateway = gatewayWith();
    const parent = trace.getTracer('test').startSpan('request');
    const request: RequestContext = { requestId: 'r1' };
    await context.with(trace.setSpan(context.active(), parent), async () => {
      const who = await runInRequest(request, () => gateway.authorize('Bearer good', 'infer'));
      // The request's tenant, for its metrics and completion line.
      seen.push(`Bearer good ${request.tenant}`);
      // The fake pool hands an empty client: the node call fails, after the route was chosen.
      await expect(gateway.modelReady(who, 'mlp@production', '')).rejects.toThrow();
    });
    parent.end();
    const spans = tracing.spans();
    const auth = spans.find((s) => s.name === 'gateway.auth')!;
    const routeSpan = spans.find((s) => s.name === 'gateway.route')!;
    expect(auth.attributes).toMatchObject({ 'aiaas.tenant': 'acme', 'aiaas.scope': 'infer' });
    expect(routeSpan.attributes).toMatchObject({
      'aiaas.model': 'mlp',
      'aiaas.selector': 'production',
      'aiaas.version': 3,
      'aiaas.replica.address': '10.0.0.7:8001',
    });
    for (const span of [auth, routeSpan]) {
      expect(span.spanContext().traceId).toBe(parent.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    }
    expect(seen).toEqual(['Bearer good acme']);
  });

  it('marks a failed authentication and an unroutable model as errors', async () => {
    const gateway = gatewayWith();
    const parent = trace.getTracer('test').startSpan('request');
    await context.with(trace.setSpan(context.active(), parent), async () => {
      await expect(gateway.authorize('Bearer bad', 'infer')).rejects.toThrow(/bad credentials/);
      await expect(gateway.modelReady(principal, 'nope', '')).rejects.toThrow(/not found/);
    });
    parent.end();
    const byName = new Map(tracing.spans().map((s) => [s.name, s]));
    expect(byName.get('gateway.auth')?.status.code).toBe(2);
    expect(byName.get('gateway.route')?.status).toMatchObject({ code: 2, message: expect.stringMatching(/nope/) });
  });

  it('records none of its spans outside a recorded request span (e.g. a request not sampled)', async () => {
    const gateway = gatewayWith();
    const unsampled = trace.wrapSpanContext({ ...trace.getTracer('test').startSpan('x').spanContext(), traceFlags: 0 });
    tracing.reset();
    await context.with(trace.setSpan(context.active(), unsampled), async () => {
      const who = await gateway.authorize('Bearer good', 'infer');
      await expect(gateway.modelReady(who, 'mlp@production', '')).rejects.toThrow();
    });
    const who = await gateway.authorize('Bearer good', 'infer');
    await expect(gateway.modelReady(who, 'mlp@production', '')).rejects.toThrow();
    expect(tracing.spans()).toEqual([]);
  });

  it('opens the route watch under the root context, whatever span is active', () => {
    let active: Context | undefined;
    const fakeStream = Object.assign(new EventEmitter(), { cancel: () => undefined });
    const client = {
      WatchRoutes: () => {
        active = context.active();
        return fakeStream;
      },
      close: () => undefined,
    } as unknown as RoutesClient;
    const table = new RouteTable({
      registryAddress: '127.0.0.1:1',
      logger: createLogger({ service: 't', level: 'silent' }),
      client,
    });
    const startup = trace.getTracer('test').startSpan('startup');
    context.with(trace.setSpan(context.active(), startup), () => table.start());
    startup.end();
    table.close();
    expect(active).toBeDefined();
    expect(trace.getSpan(active!)).toBeUndefined();
  });

  it('labels requests by tenant only for credentials that authenticated, at most 100 tenants', async () => {
    const metrics = new GatewayMetrics();
    metrics.observeRest('/v2/models/:model/infer', 'POST', 401, 0.001, undefined);
    for (let i = 0; i <= MAX_TENANT_LABELS; i++)
      metrics.observeRest('/v2/models/:model/infer', 'POST', 200, 0.001, `tenant-${i}`);
    metrics.observeRest('/v2/models/:model/infer', 'POST', 200, 0.001, 'tenant-0');
    metrics.observeRest('/v2/models/:model/infer', 'POST', 200, 0.001, `tenant-${MAX_TENANT_LABELS}`);
    metrics.observeGrpc('ModelInfer', 'OK', 0.001, undefined);
    const text = await metrics.registry.metrics();
    const lines = text.split('\n').filter((l) => l.startsWith('aiaas_gateway_requests_total{'));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('status="401",tenant="none"'),
        expect.stringContaining('status="200",tenant="tenant-0"'),
        expect.stringContaining('status="200",tenant="other"'),
        expect.stringContaining('route="ModelInfer",status="OK",tenant="none"'),
      ]),
    );
    expect(lines.some((l) => l.includes(`tenant-${MAX_TENANT_LABELS}`))).toBe(false);
  });
});
