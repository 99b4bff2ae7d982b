import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer, TracerProvider } from '@opentelemetry/api';
import type { CallOptions, Metadata } from '@grpc/grpc-js';
import { callerMetadata, isAppError, NotFoundError, toAppError, UnavailableError } from '@aiaas/common';
import { startChildSpan } from '@aiaas/telemetry';
import type {
  GRPCInferenceServiceClient,
  ModelInferRequest,
  ModelInferResponse__Output,
  ModelMetadataResponse__Output,
  ModelStatistics,
  ModelStatistics__Output,
  ModelStatisticsResponse,
  ModelStatisticsResponse__Output,
  ServerMetadataResponse,
  StatisticDuration__Output,
} from '@aiaas/proto';
import type { Authenticator } from './auth/authenticator';
import { hasScope, requireScope } from './auth/scopes';
import type { Principal, Scope } from './auth/scopes';
import type { RateLimiter } from './rate-limiter';
import { currentRequest, withRequestId } from './request-context';
import type { ReplicaPool } from './replica-pool';
import { modelNotFound, parseModelRef } from './route-table';
import { unaryCall } from './upstream-call';
import type { ResolvedRoute, RouteTable } from './route-table';

/** What the gateway says about itself in ServerMetadata / `GET /v2`. */
export const GATEWAY_SERVER_METADATA: Readonly<Required<ServerMetadataResponse>> = Object.freeze({
  name: 'aiaas-gateway',
  version: '0.1.0',
  extensions: ['binary_tensor_data', 'model_aliases'],
});

/** Longest wait for replicas' statistics when the caller set no deadline (a stuck node must not hold the answer). */
const STATISTICS_TIMEOUT_MS = 10_000;

/** Per-call settings every routed method takes. */
export interface RouteCallOptions {
  /** Epoch ms; Infinity (the default) = no deadline. */
  deadline?: number;
}

/** Dependencies of {@link Gateway}: narrow seams, so tests can pass fakes. */
export interface GatewayDeps {
  authenticator: Pick<Authenticator, 'authenticate'>;
  routes: Pick<RouteTable, 'resolve' | 'versions' | 'synced'>;
  pool: Pick<ReplicaPool, 'invoke'>;
  /** Sent to nodes as `x-aiaas-internal-token` when set. */
  internalToken?: string | undefined;
  /** Token buckets per credential and tenant, spent by every authorized call; none = unlimited. */
  rateLimiter?: Pick<RateLimiter, 'take'> | undefined;
}

let gatewayTracer: { provider: TracerProvider; tracer: Tracer } | undefined;

/**
 * Tracer of the gateway's own spans; no-op unless @aiaas/telemetry registered a provider. Kept per
 * global provider (tests register a new one): asking the SDK for it builds a key and looks it up,
 * a few µs on every request.
 */
function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (gatewayTracer?.provider !== provider) gatewayTracer = { provider, tracer: provider.getTracer('@aiaas/gateway') };
  return gatewayTracer.tracer;
}

/** One of the gateway's spans, under the request's span and only when that one is recorded. */
function startSpan(name: string, attributes: Attributes): Span {
  return startChildSpan(tracer(), name, { attributes });
}

function endWithError(span: Span, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
}

/**
 * The gateway's protocol-free core: authenticate, authorize, resolve the route and call a
 * replica. The REST and gRPC front doors only translate wire formats to and from it.
 */
export class Gateway {
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  /**
   * The credential of a request (`Authorization` header or metadata value), checked for `scope`
   * (or any one of several).
   *
   * @throws UnauthenticatedError (401) without valid credentials, ResourceExhaustedError (429) over the
   *   rate limit, PermissionDeniedError (403) without the scope
   */
  async authorize(authorization: string | undefined, scope: Scope | readonly Scope[]): Promise<Principal> {
    const scopes: readonly Scope[] = typeof scope === 'string' ? [scope] : scope;
    const span = startSpan('gateway.auth', { 'aiaas.scope': scopes.join(' ') });
    try {
      const principal = await this.#deps.authenticator.authenticate(authorization);
      span.setAttributes({ 'aiaas.tenant': principal.tenant, 'aiaas.principal': principal.principalId });
      // The request's completion log line and its metrics name its tenant.
      const request = currentRequest();
      if (request !== undefined) request.tenant = principal.tenant;
      // Before the scope check: a credential hammering a route it may not use is still traffic.
      await this.#deps.rateLimiter?.take(principal);
      if (!scopes.some((s) => hasScope(principal, s))) requireScope(principal, scopes[0] ?? 'admin');
      span.end();
      return principal;
    } catch (err) {
      endWithError(span, err);
      throw err;
    }
  }

  /** True once routes arrived from the registry: what `/v2/health/ready` and ServerReady report. */
  get ready(): boolean {
    return this.#deps.routes.synced;
  }

  /**
   * Runs an inference. `request.model_name` may be `name@alias`; `model_version` is '' (the
   * highest routed version), a version, or an alias. The answer names the model as the caller
   * did, with the version that served it.
   */
  async infer(
    principal: Principal,
    request: ModelInferRequest,
    options: RouteCallOptions = {},
  ): Promise<ModelInferResponse__Output> {
    const name = request.model_name ?? '';
    const ref = parseModelRef(name, request.model_version ?? '');
    const response = await this.#invoke(
      principal,
      ref.model,
      ref.selector,
      options,
      (client, route, callOptions, metadata) =>
        unaryCall<ModelInferResponse__Output>((cb) =>
          client.ModelInfer(
            { ...request, model_name: route.servedName, model_version: String(route.version) },
            metadata,
            callOptions,
            cb,
          ),
        ),
    );
    return { ...response, model_name: ref.model };
  }

  /** ModelMetadata of a routed model, named as the caller named it. */
  async modelMetadata(
    principal: Principal,
    name: string,
    version: string,
    options: RouteCallOptions = {},
  ): Promise<ModelMetadataResponse__Output> {
    const ref = parseModelRef(name, version);
    let served = 0;
    const response = await this.#invoke(
      principal,
      ref.model,
      ref.selector,
      options,
      (client, route, callOptions, metadata) => {
        served = route.version;
        return unaryCall<ModelMetadataResponse__Output>((cb) =>
          client.ModelMetadata({ name: route.servedName, version: String(route.version) }, metadata, callOptions, cb),
        );
      },
    );
    const versions = ref.selector === '' ? this.#deps.routes.versions(principal.tenant, ref.model) : [served];
    return { ...response, name: ref.model, versions: versions.map(String) };
  }

  /** Whether a replica of the model reports it ready. Not routed at all → NotFoundError. */
  async modelReady(
    principal: Principal,
    name: string,
    version: string,
    options: RouteCallOptions = {},
  ): Promise<boolean> {
    const ref = parseModelRef(name, version);
    const response = await this.#invoke(
      principal,
      ref.model,
      ref.selector,
      options,
      (client, route, callOptions, metadata) =>
        unaryCall<{ ready: boolean }>((cb) =>
          client.ModelReady({ name: route.servedName, version: String(route.version) }, metadata, callOptions, cb),
        ),
    );
    return response.ready;
  }

  /**
   * ModelStatistics of a routed model version: every ready replica of it is asked (each node
   * counts only what it served) and the answers are summed into one, named as the caller named
   * the model. `name@alias` reads the alias's own version; a canary's share is not in it. A
   * replica that fails is left out of the sum.
   *
   * @throws NotFoundError when nothing is routed for it (another tenant's model included)
   * @throws UnavailableError when no replica answered
   */
  async modelStatistics(
    principal: Principal,
    name: string,
    version: string,
    options: RouteCallOptions = {},
  ): Promise<ModelStatisticsResponse> {
    const ref = parseModelRef(name, version);
    const route = this.#deps.routes.resolve(principal.tenant, ref.model, ref.selector, { canary: false });
    const metadata = withRequestId(
      callerMetadata({ tenant: principal.tenant, principal: principal.principalId }, this.#deps.internalToken),
    );
    const deadline = Math.min(options.deadline ?? Number.POSITIVE_INFINITY, Date.now() + STATISTICS_TIMEOUT_MS);
    const served = String(route.version);
    const results = await Promise.allSettled(
      route.endpoints.map((endpoint) =>
        // A route of this one endpoint: the pool's channel, load accounting and ejection, retries on it alone.
        this.#deps.pool.invoke(
          () => ({ ...route, endpoints: [endpoint] }),
          (client, replica, callOptions) =>
            unaryCall<ModelStatisticsResponse__Output>((cb) =>
              client.ModelStatistics(
                { name: replica.servedName, version: String(replica.version) },
                metadata,
                callOptions,
                cb,
              ),
            ),
          deadline,
        ),
      ),
    );
    const answered: ModelStatistics__Output[] = [];
    const failed: string[] = [];
    for (const result of results) {
      if (result.status === 'rejected') failed.push(toAppError(result.reason).code);
      else {
        const stats = result.value.model_stats.find((s) => s.version === served);
        if (stats === undefined) failed.push('NOT_FOUND');
        else answered.push(stats);
      }
    }
    if (answered.length === 0) {
      throw new UnavailableError(
        `statistics of model "${ref.model}" version ${served}: no replica answered ` +
          `(${failed.length} of ${route.endpoints.length} failed: ${failed.join(', ')}); retry later`,
      );
    }
    return { model_stats: [sumStatistics(ref.model, served, answered)] };
  }

  async #invoke<Res>(
    principal: Principal,
    model: string,
    selector: string,
    options: RouteCallOptions,
    call: (
      client: GRPCInferenceServiceClient,
      route: ResolvedRoute,
      callOptions: CallOptions,
      metadata: Metadata,
    ) => Promise<Res>,
  ): Promise<Res> {
    const metadata = withRequestId(
      callerMetadata({ tenant: principal.tenant, principal: principal.principalId }, this.#deps.internalToken),
    );
    // One `gateway.route` span per attempt: from resolving the route to the replica chosen.
    let routeSpan: Span | undefined;
    const endRoute = (err?: unknown): void => {
      if (routeSpan === undefined) return;
      if (err === undefined) routeSpan.end();
      else endWithError(routeSpan, err);
      routeSpan = undefined;
    };
    try {
      return await this.#deps.pool.invoke(
        () => {
          endRoute(new Error('no replica chosen'));
          routeSpan = startSpan('gateway.route', { 'aiaas.model': model, 'aiaas.selector': selector });
          return this.#deps.routes.resolve(principal.tenant, model, selector);
        },
        (client, route, callOptions, address) => {
          routeSpan?.setAttributes({ 'aiaas.version': route.version, 'aiaas.replica.address': address });
          endRoute();
          return call(client, route, callOptions, metadata);
        },
        options.deadline ?? Number.POSITIVE_INFINITY,
      );
    } catch (err) {
      endRoute(err);
      // The node's NOT_FOUND names its internal served name (tenant.model): say it the caller's way.
      if (isAppError(err) && err.code === 'NOT_FOUND' && !(err instanceof NotFoundError)) {
        throw modelNotFound(model, selector);
      }
      throw err;
    }
  }
}

interface Total {
  count: bigint;
  ns: bigint;
}

const DURATIONS = [
  'success',
  'fail',
  'queue',
  'compute_input',
  'compute_infer',
  'compute_output',
  'cache_hit',
  'cache_miss',
] as const;
const BATCH_DURATIONS = ['compute_input', 'compute_infer', 'compute_output'] as const;

function zeros<K extends string>(keys: readonly K[]): Record<K, Total> {
  return Object.fromEntries(keys.map((k) => [k, { count: 0n, ns: 0n }])) as Record<K, Total>;
}

function addTo(total: Total, duration: StatisticDuration__Output | null | undefined): void {
  if (duration === null || duration === undefined) return;
  total.count += BigInt(duration.count);
  total.ns += BigInt(duration.ns);
}

function wire(totals: Record<string, Total>): Record<string, { count: string; ns: string }> {
  return Object.fromEntries(
    Object.entries(totals).map(([k, t]) => [k, { count: t.count.toString(), ns: t.ns.toString() }]),
  );
}

/**
 * Replicas' statistics of one version summed into one (BigInt: uint64 counters stay exact),
 * batch statistics merged by batch size, the latest `last_inference` kept.
 */
export function sumStatistics(
  name: string,
  version: string,
  replicas: readonly ModelStatistics__Output[],
): ModelStatistics {
  let lastInference = 0n;
  let inferenceCount = 0n;
  let executionCount = 0n;
  const stats = zeros(DURATIONS);
  const batches = new Map<bigint, Record<(typeof BATCH_DURATIONS)[number], Total>>();
  for (const replica of replicas) {
    const last = BigInt(replica.last_inference);
    if (last > lastInference) lastInference = last;
    inferenceCount += BigInt(replica.inference_count);
    executionCount += BigInt(replica.execution_count);
    for (const key of DURATIONS) addTo(stats[key], replica.inference_stats?.[key]);
    for (const batch of replica.batch_stats) {
      const size = BigInt(batch.batch_size);
      let totals = batches.get(size);
      if (totals === undefined) {
        totals = zeros(BATCH_DURATIONS);
        batches.set(size, totals);
      }
      for (const key of BATCH_DURATIONS) addTo(totals[key], batch[key]);
    }
  }
  return {
    name,
    version,
    last_inference: lastInference.toString(),
    inference_count: inferenceCount.toString(),
    execution_count: executionCount.toString(),
    inference_stats: wire(stats),
    batch_stats: [...batches.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([size, totals]) => ({ batch_size: size.toString(), ...wire(totals) })),
  };
}
