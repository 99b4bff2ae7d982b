import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Most distinct tenants that get their own `tenant` label; the rest count as {@link OTHER_TENANT}. */
export const MAX_TENANT_LABELS = 100;
/** The `tenant` label of tenants beyond {@link MAX_TENANT_LABELS}. */
export const OTHER_TENANT = 'other';
/** The `tenant` label of requests without valid credentials (probes, 401s). */
export const NO_TENANT = 'none';

/**
 * The gateway's Prometheus metrics, on its own registry (served on the metrics port).
 * Label sets are bounded: `route` is the REST route pattern or the gRPC method (never a raw URL),
 * `status` the HTTP status or gRPC code name, and `tenant` only a tenant seen with valid
 * credentials — the first {@link MAX_TENANT_LABELS} of them, every later one `other`.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'protocol' | 'route' | 'status' | 'tenant'>;
  readonly #duration: Histogram<'protocol' | 'route'>;
  /** Open `/v1/jobs/{id}/events` streams (each holds a registry WatchJob stream). */
  readonly jobEventStreams: Gauge;
  readonly #tenants = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'aiaas_gateway_requests_total',
      help: 'Requests answered, by protocol, route (REST pattern or gRPC method), status and tenant',
      labelNames: ['protocol', 'route', 'status', 'tenant'],
      registers: [this.registry],
    });
    this.#duration = new Histogram({
      name: 'aiaas_gateway_request_duration_seconds',
      help: 'Time from request to answer, by protocol and route',
      labelNames: ['protocol', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.jobEventStreams = new Gauge({
      name: 'aiaas_gateway_job_event_streams',
      help: 'Open job event streams (SSE), each following a registry WatchJob stream',
      registers: [this.registry],
    });
  }

  /**
   * The `tenant` label of a request whose credentials authenticated as `tenant` (undefined: none
   * did): the tenant itself while fewer than {@link MAX_TENANT_LABELS} have been seen, else `other`.
   */
  tenantLabel(tenant: string | undefined): string {
    if (tenant === undefined) return NO_TENANT;
    if (this.#tenants.has(tenant)) return tenant;
    if (this.#tenants.size >= MAX_TENANT_LABELS) return OTHER_TENANT;
    this.#tenants.add(tenant);
    return tenant;
  }

  observeRest(route: string, method: string, status: number, seconds: number, tenant?: string): void {
    const name = `${method} ${route}`;
    this.#requests.inc({
      protocol: 'rest',
      route: name,
      status: String(status),
      tenant: this.tenantLabel(tenant),
    });
    this.#duration.observe({ protocol: 'rest', route: name }, seconds);
  }

  observeGrpc(method: string, status: string, seconds: number, tenant?: string): void {
    this.#requests.inc({ protocol: 'grpc', route: method, status, tenant: this.tenantLabel(tenant) });
    this.#duration.observe({ protocol: 'grpc', route: method }, seconds);
  }
}
