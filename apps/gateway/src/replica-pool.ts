import { connectivityState, credentials, Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { CallOptions, ServiceError } from '@grpc/grpc-js';
import { DeadlineExceededError, fromServiceError, UnavailableError } from '@aiaas/common';
import type { AppError, Logger } from '@aiaas/common';
import { loadInferencePackage } from '@aiaas/proto';
import type { GRPCInferenceServiceClient } from '@aiaas/proto';
import type { ResolvedRoute, RouteEndpoint } from './route-table';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/**
 * Status codes after which an inference is tried again on another replica, and why:
 * - UNAVAILABLE: the node is down, unreachable, draining or the model is (re)loading there. The
 *   request never ran, or ran on a node that is gone; inference is idempotent, so running it
 *   again elsewhere is safe.
 * - NOT_FOUND: the version was just rolled away from that node (the registry has not yet told us).
 *   The route is resolved again before the next try, so a new version's replicas are picked up.
 * Not retried: RESOURCE_EXHAUSTED (the node's queue is full: back-pressure must reach the caller),
 * DEADLINE_EXCEEDED (no time is left), INVALID_ARGUMENT and the rest (another replica would
 * answer the same).
 */
const RETRYABLE = new Set<GrpcStatus>([GrpcStatus.UNAVAILABLE, GrpcStatus.NOT_FOUND]);

/** Options of {@link ReplicaPool}. */
export interface ReplicaPoolOptions {
  logger: Logger;
  /** Largest gRPC message to and from nodes. @default 64 MiB */
  maxMessageBytes?: number;
  /** First wait before an ejected endpoint is probed again (doubles per failed probe). @default 500 */
  ejectInitialMs?: number;
  /** Longest wait between probes of an ejected endpoint. @default 10000 */
  ejectMaxMs?: number;
  /** Deadline of a probe (ServerLive). @default 1000 */
  probeTimeoutMs?: number;
  /** Consecutive timeouts after which an endpoint is ejected. @default 3 */
  timeoutsToEject?: number;
  /** Most attempts per request, the first included. @default 4 */
  maxAttempts?: number;
  /** @default Math.random */
  random?: () => number;
}

interface Replica {
  address: string;
  client: GRPCInferenceServiceClient;
  outstanding: number;
  ejected: boolean;
  ejectDelayMs: number;
  consecutiveTimeouts: number;
  probeTimer: NodeJS.Timeout | undefined;
}

/** A unary call on one replica: the pool supplies the client, the route and the deadline. */
export type ReplicaCall<Res> = (
  client: GRPCInferenceServiceClient,
  route: ResolvedRoute,
  options: CallOptions,
  /** host:port of the replica chosen. */
  address: string,
) => Promise<Res>;

/**
 * Long-lived gRPC channels to every routed node, one per address. Picks a replica by the power
 * of two choices on outstanding requests, ejects one that fails at the transport level (or times
 * out repeatedly) and probes it back with ServerLive, and retries a failed call on another
 * replica within the caller's deadline.
 */
export class ReplicaPool {
  readonly #replicas = new Map<string, Replica>();
  readonly #logger: Logger;
  readonly #maxMessageBytes: number;
  readonly #ejectInitialMs: number;
  readonly #ejectMaxMs: number;
  readonly #probeTimeoutMs: number;
  readonly #timeoutsToEject: number;
  readonly #maxAttempts: number;
  readonly #random: () => number;
  #closed = false;

  constructor(options: ReplicaPoolOptions) {
    this.#logger = options.logger;
    this.#maxMessageBytes = options.maxMessageBytes ?? 64 * 1024 * 1024;
    this.#ejectInitialMs = options.ejectInitialMs ?? 500;
    this.#ejectMaxMs = options.ejectMaxMs ?? 10_000;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 1000;
    this.#timeoutsToEject = options.timeoutsToEject ?? 3;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#random = options.random ?? Math.random;
  }

  /** Closes the channels of addresses no route names any more. */
  retain(routes: readonly ResolvedRoute[]): void {
    const live = new Set(routes.flatMap((r) => r.endpoints.map((e) => e.address)));
    for (const [address, replica] of this.#replicas) {
      // A channel with calls in flight is dropped at the next change, once they are done.
      if (live.has(address) || replica.outstanding > 0) continue;
      this.#drop(replica);
    }
  }

  /** The replicas currently ejected (for /metrics and tests). */
  ejected(): string[] {
    return [...this.#replicas.values()].filter((r) => r.ejected).map((r) => r.address);
  }

  /**
   * Runs `call` on a replica of the route `resolve()` returns, retrying on another replica after
   * a retryable failure until `deadline` (epoch ms; Infinity = none) or the attempts run out.
   * `resolve` is called again before each retry, so a route that changed meanwhile is followed.
   *
   * @throws the AppError of the last failure (fromServiceError: the one gRPC → error mapping)
   */
  async invoke<Res>(resolve: () => ResolvedRoute, call: ReplicaCall<Res>, deadline: number): Promise<Res> {
    const tried = new Set<string>();
    let last: AppError | undefined;
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      const route = resolve();
      if (Date.now() >= deadline)
        throw last ?? new DeadlineExceededError('deadline exceeded before a replica was called');
      let endpoint = this.#pick(route.endpoints, tried);
      if (endpoint === undefined) {
        // Every replica of the route was tried: start over (one may be back, or new ones routed).
        tried.clear();
        endpoint = this.#pick(route.endpoints, tried);
      }
      if (endpoint === undefined)
        throw new UnavailableError(`model "${route.model}" has no ready replica; retry later`);
      tried.add(endpoint.address);
      const replica = this.#replica(endpoint.address);
      replica.outstanding++;
      try {
        const options: CallOptions = Number.isFinite(deadline) ? { deadline } : {};
        const result = await call(replica.client, route, options, endpoint.address);
        replica.consecutiveTimeouts = 0;
        return result;
      } catch (err) {
        const serviceError = err as Partial<ServiceError>;
        if (typeof serviceError.code !== 'number') throw err;
        last = fromServiceError(serviceError as ServiceError);
        this.#noteFailure(replica, serviceError.code);
        if (!RETRYABLE.has(serviceError.code)) throw last;
        this.#logger.debug(
          { address: endpoint.address, code: GrpcStatus[serviceError.code], attempt },
          'replica call failed; trying another replica',
        );
        if (serviceError.code === GrpcStatus.UNAVAILABLE && tried.size >= route.endpoints.length) {
          // Nothing left untried: give the registry and the nodes a moment before going round again.
          await sleep(Math.min(50 * attempt, Math.max(0, deadline - Date.now() - 1)));
        }
      } finally {
        replica.outstanding--;
      }
    }
    throw last ?? new UnavailableError('no replica answered');
  }

  /** Closes every channel and stops probing. */
  close(): void {
    this.#closed = true;
    for (const replica of this.#replicas.values()) this.#drop(replica);
  }

  /** Power of two choices among the replicas not ejected and not yet tried (ejected ones as a last resort). */
  #pick(endpoints: readonly RouteEndpoint[], tried: ReadonlySet<string>): RouteEndpoint | undefined {
    const untried = endpoints.filter((e) => !tried.has(e.address));
    const healthy = untried.filter((e) => this.#replicas.get(e.address)?.ejected !== true);
    const pool = healthy.length > 0 ? healthy : untried;
    if (pool.length <= 1) return pool[0];
    const i = Math.floor(this.#random() * pool.length);
    let j = Math.floor(this.#random() * (pool.length - 1));
    if (j >= i) j++;
    const a = pool[i]!;
    const b = pool[j]!;
    return this.#load(a) <= this.#load(b) ? a : b;
  }

  #load(endpoint: RouteEndpoint): number {
    // Weight > 1 means "more capacity": a replica of weight 2 may hold twice the requests.
    return (this.#replicas.get(endpoint.address)?.outstanding ?? 0) / Math.max(1, endpoint.weight);
  }

  #replica(address: string): Replica {
    let replica = this.#replicas.get(address);
    if (replica === undefined) {
      const { inference } = loadInferencePackage();
      replica = {
        address,
        client: new inference.GRPCInferenceService(address, credentials.createInsecure(), {
          'grpc.max_receive_message_length': this.#maxMessageBytes,
          'grpc.max_send_message_length': this.#maxMessageBytes,
          // Notice a dead node without waiting for the next request's TCP timeout.
          'grpc.keepalive_time_ms': 10_000,
          'grpc.keepalive_timeout_ms': 5_000,
          interceptors: clientTracingInterceptors(address),
        }),
        outstanding: 0,
        ejected: false,
        ejectDelayMs: this.#ejectInitialMs,
        consecutiveTimeouts: 0,
        probeTimer: undefined,
      };
      this.#replicas.set(address, replica);
    }
    return replica;
  }

  #noteFailure(replica: Replica, code: GrpcStatus): void {
    if (code === GrpcStatus.UNAVAILABLE) {
      // UNAVAILABLE with a healthy connection is the node saying "this model is not ready here":
      // the node itself serves other models fine, so only a broken channel ejects it.
      const state = replica.client.getChannel().getConnectivityState(false);
      if (state !== connectivityState.READY) this.#eject(replica, 'connection failed');
    } else if (code === GrpcStatus.DEADLINE_EXCEEDED) {
      replica.consecutiveTimeouts++;
      if (replica.consecutiveTimeouts >= this.#timeoutsToEject) this.#eject(replica, 'timed out repeatedly');
    }
  }

  #eject(replica: Replica, reason: string): void {
    if (replica.ejected || this.#closed) return;
    replica.ejected = true;
    this.#logger.warn({ address: replica.address, reason, probeInMs: replica.ejectDelayMs }, 'replica ejected');
    this.#scheduleProbe(replica);
  }

  #scheduleProbe(replica: Replica): void {
    replica.probeTimer = setTimeout(() => {
      replica.probeTimer = undefined;
      replica.client.ServerLive(
        {},
        new Metadata(),
        { deadline: Date.now() + this.#probeTimeoutMs },
        (err, response) => {
          if (this.#closed || this.#replicas.get(replica.address) !== replica) return;
          if (err === null && response?.live === true) {
            replica.ejected = false;
            replica.consecutiveTimeouts = 0;
            replica.ejectDelayMs = this.#ejectInitialMs;
            this.#logger.info({ address: replica.address }, 'replica back in rotation');
            return;
          }
          replica.ejectDelayMs = Math.min(replica.ejectDelayMs * 2, this.#ejectMaxMs);
          this.#scheduleProbe(replica);
        },
      );
    }, replica.ejectDelayMs);
    replica.probeTimer.unref();
  }

  #drop(replica: Replica): void {
    if (replica.probeTimer !== undefined) clearTimeout(replica.probeTimer);
    replica.client.close();
    this.#replicas.delete(replica.address);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
