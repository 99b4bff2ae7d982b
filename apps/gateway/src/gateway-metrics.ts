import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, on its own registry (served on the metrics port). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'protocol' | 'route' | 'status'>;
  readonly #duration: Histogram<'protocol' | 'route'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'aiaas_gateway_requests_total',
      help: 'Requests answered, by protocol, route (REST pattern or gRPC method) and status',
      labelNames: ['protocol', 'route', 'status'],
      registers: [this.registry],
    });
    this.#duration = new Histogram({
      name: 'aiaas_gateway_request_duration_seconds',
      help: 'Time from request to answer, by protocol and route',
      labelNames: ['protocol', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  observeRest(route: string, method: string, status: number, seconds: number): void {
    const name = `${method} ${route}`;
    this.#requests.inc({ protocol: 'rest', route: name, status: String(status) });
    this.#duration.observe({ protocol: 'rest', route: name }, seconds);
  }

  observeGrpc(method: string, status: string, seconds: number): void {
    this.#requests.inc({ protocol: 'grpc', route: method, status });
    this.#duration.observe({ protocol: 'grpc', route: method }, seconds);
  }
}
