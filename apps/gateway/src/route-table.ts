import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { credentials } from '@grpc/grpc-js';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { callerMetadata, InvalidArgumentError, NotFoundError, UnavailableError } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import type { Route__Output, RoutesClient, WatchRoutesResponse__Output } from '@aiaas/proto';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/** One ready replica of a model version, as the registry announced it. */
export interface RouteEndpoint {
  nodeId: string;
  /** host:port of the node's inference gRPC service. */
  address: string;
  /** Canary weight from the registry (0 = default, treated as 1). */
  weight: number;
}

/** Where a (tenant, model, version-or-alias) goes: the node-side name, the version and its replicas. */
export interface ResolvedRoute {
  tenant: string;
  model: string;
  /** The model name to send to the node in `model_name`. */
  servedName: string;
  version: number;
  aliases: readonly string[];
  endpoints: readonly RouteEndpoint[];
}

/** A model as the caller named it: `name`, `name@alias`, with or without a version. */
export interface ModelRef {
  model: string;
  /** '' (the highest routed version), a decimal version, or an alias. */
  selector: string;
}

/**
 * Splits `name@alias` and combines it with the version the caller gave (URL segment or
 * `model_version`). Both an alias and a version is ambiguous and refused.
 *
 * @throws InvalidArgumentError for an empty name or alias, or both an alias and a version
 */
export function parseModelRef(name: string, version = ''): ModelRef {
  const at = name.indexOf('@');
  if (at < 0) {
    if (name === '') throw new InvalidArgumentError('model name: expected "name" or "name@alias", got ""');
    return { model: name, selector: version };
  }
  const model = name.slice(0, at);
  const alias = name.slice(at + 1);
  if (model === '' || alias === '' || alias.includes('@')) {
    throw new InvalidArgumentError(`model name "${name}": expected "name" or "name@alias"`);
  }
  if (version !== '') {
    throw new InvalidArgumentError(
      `model "${name}": give an alias (name@alias) or a version, not both (got version "${version}")`,
    );
  }
  return { model, selector: alias };
}

const VERSION_PATTERN = /^[1-9]\d{0,15}$/;

/** Everything routed for one (tenant, model). */
interface ModelRoutes {
  byVersion: Map<number, ResolvedRoute>;
  byAlias: Map<string, ResolvedRoute>;
  /** Canary splits by alias: that share (0..100) of the alias's requests go to that version when it has endpoints. */
  canaries: Map<string, { version: number; percent: number }>;
  /** The highest version with at least one endpoint, else the highest at all. */
  highest: ResolvedRoute | undefined;
}

/** Options of {@link RouteTable}. */
export interface RouteTableOptions {
  /** host:port of the registry. */
  registryAddress: string;
  /** Sent as `x-aiaas-internal-token` when set. */
  internalToken?: string | undefined;
  logger: Logger;
  /** First reconnect delay after the watch stream broke. @default 100 */
  reconnectInitialMs?: number;
  /** Longest reconnect delay (the delay doubles up to it). @default 5000 */
  reconnectMaxMs?: number;
  /** Tests pass their own client. @default a Routes client on registryAddress */
  client?: RoutesClient;
  /** Draws the canary split: a number in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * The gateway's view of the registry's routes: follows `Routes.WatchRoutes` (every message is the
 * complete table) and answers {@link RouteTable.resolve}. When the stream breaks the last table
 * stays in use — stale routes are better than none, and the replica pool ejects dead endpoints —
 * while it reconnects with exponential back-off.
 */
export class RouteTable {
  readonly #options: RouteTableOptions;
  readonly #client: RoutesClient;
  readonly #ownsClient: boolean;
  readonly #logger: Logger;
  readonly #random: () => number;
  #models = new Map<string, ModelRoutes>();
  #stream: ClientReadableStream<WatchRoutesResponse__Output> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #delayMs: number;
  #closed = false;
  #synced = false;
  readonly #listeners = new Set<(routes: readonly ResolvedRoute[]) => void>();
  #waiters: (() => void)[] = [];

  constructor(options: RouteTableOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#random = options.random ?? Math.random;
    this.#delayMs = options.reconnectInitialMs ?? 100;
    this.#ownsClient = options.client === undefined;
    this.#client =
      options.client ??
      new (loadRegistryPackage().aiaas.registry.v1.Routes)(options.registryAddress, credentials.createInsecure(), {
        interceptors: clientTracingInterceptors(options.registryAddress),
      });
  }

  /** True once the first complete table arrived. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Opens the watch stream (and keeps it open until {@link RouteTable.close}). */
  start(): void {
    this.#connect();
  }

  /** Resolves once the first table arrived, or rejects after `timeoutMs`. */
  waitUntilSynced(timeoutMs: number): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        reject(
          new UnavailableError(
            `no route table from the registry at ${this.#options.registryAddress} after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(done);
    });
  }

  /** Called with every route after each change (the replica pool closes channels no longer routed). */
  onChange(listener: (routes: readonly ResolvedRoute[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces the whole table, as one WatchRoutes message does. Public for tests. */
  update(routes: readonly Route__Output[]): void {
    const models = new Map<string, ModelRoutes>();
    const all: ResolvedRoute[] = [];
    for (const route of routes) {
      const version = Number(route.version);
      const resolved: ResolvedRoute = {
        tenant: route.tenant,
        model: route.model,
        servedName: route.served_name,
        version,
        aliases: [...route.aliases],
        endpoints: route.endpoints.map((e) => ({ nodeId: e.node_id, address: e.address, weight: e.weight })),
      };
      all.push(resolved);
      const key = modelKey(route.tenant, route.model);
      let entry = models.get(key);
      if (entry === undefined) {
        entry = { byVersion: new Map(), byAlias: new Map(), canaries: new Map(), highest: undefined };
        models.set(key, entry);
      }
      entry.byVersion.set(version, resolved);
      for (const alias of resolved.aliases) entry.byAlias.set(alias, resolved);
      for (const canary of route.canaries ?? []) {
        entry.canaries.set(canary.alias, { version: Number(canary.version), percent: canary.percent });
      }
      const best = entry.highest;
      const serving = resolved.endpoints.length > 0;
      if (
        best === undefined ||
        (serving && best.endpoints.length === 0) ||
        (serving === best.endpoints.length > 0 && version > best.version)
      ) {
        entry.highest = resolved;
      }
    }
    this.#models = models;
    for (const listener of this.#listeners) listener(all);
  }

  /**
   * Where a request for `model` of `tenant` goes. `selector` '' means the highest routed version
   * (the one with ready replicas first), a decimal number that version, anything else an alias.
   * An alias with a canary sends its share of requests to the canary version, when that version
   * has ready replicas (otherwise everything stays on the alias's version).
   * A model that does not exist, is not deployed or belongs to another tenant answers the same
   * NotFoundError, so nobody learns another tenant's model names.
   *
   * `options.canary: false` resolves an alias to its own version, never drawing the canary
   * (statistics of "the alias's version" must not change from call to call).
   *
   * @throws NotFoundError when nothing is routed for it
   * @throws UnavailableError when it is routed but has no ready replica right now
   */
  resolve(tenant: string, model: string, selector: string, options: { canary?: boolean } = {}): ResolvedRoute {
    const entry = this.#models.get(modelKey(tenant, model));
    let route: ResolvedRoute | undefined;
    if (selector === '') route = entry?.highest;
    else if (VERSION_PATTERN.test(selector)) route = entry?.byVersion.get(Number(selector));
    else {
      route = entry?.byAlias.get(selector);
      const canary = entry?.canaries.get(selector);
      if (route !== undefined && canary !== undefined && canary.percent > 0 && options.canary !== false) {
        const target = entry?.byVersion.get(canary.version);
        if (target !== undefined && target.endpoints.length > 0 && this.#random() * 100 < canary.percent) {
          route = target;
        }
      }
    }
    if (route === undefined) throw modelNotFound(model, selector);
    if (route.endpoints.length === 0) {
      throw new UnavailableError(`model "${model}" version ${route.version} has no ready replica; retry later`);
    }
    return route;
  }

  /** The routed versions of a model, ascending (empty when unknown or another tenant's). */
  versions(tenant: string, model: string): number[] {
    const entry = this.#models.get(modelKey(tenant, model));
    return entry === undefined ? [] : [...entry.byVersion.keys()].sort((a, b) => a - b);
  }

  /** Stops watching; the table keeps its last content. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#stream?.cancel();
    this.#stream = undefined;
    if (this.#ownsClient) this.#client.close();
  }

  #connect(): void {
    if (this.#closed) return;
    // Under the root context: this stream lives as long as the gateway, so it must not become a
    // child of whatever span (a request, start-up) happened to be active when it was opened.
    const stream = context.with(ROOT_CONTEXT, () =>
      this.#client.WatchRoutes({}, callerMetadata(undefined, this.#options.internalToken)),
    );
    this.#stream = stream;
    stream.on('data', (message: WatchRoutesResponse__Output) => {
      this.#delayMs = this.#options.reconnectInitialMs ?? 100;
      this.update(message.routes);
      if (!this.#synced) {
        this.#synced = true;
        this.#logger.info({ routes: message.routes.length }, 'route table synced with the registry');
      }
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
    let ended = false;
    const reconnect = (reason: string): void => {
      if (ended) return;
      ended = true;
      if (this.#closed || this.#stream !== stream) return;
      const delay = this.#delayMs;
      this.#delayMs = Math.min(delay * 2, this.#options.reconnectMaxMs ?? 5000);
      this.#logger.warn(
        { reason, retryInMs: delay },
        'route watch stream ended; keeping the last table and reconnecting',
      );
      this.#timer = setTimeout(() => this.#connect(), delay);
      this.#timer.unref();
    };
    stream.on('error', (err: ServiceError) => reconnect(err.details || err.message));
    stream.on('end', () => reconnect('stream ended'));
  }
}

/**
 * The one NotFoundError for a model the caller cannot reach: missing, not deployed, another
 * tenant's, or gone from the node — all read the same.
 */
export function modelNotFound(model: string, selector: string): NotFoundError {
  const what = selector === '' ? '' : VERSION_PATTERN.test(selector) ? ` version ${selector}` : ` alias "${selector}"`;
  return new NotFoundError(`model "${model}"${what} not found: no deployment serves it`);
}

function modelKey(tenant: string, model: string): string {
  // NUL cannot appear in a tenant or model name, so the key is unambiguous.
  return `${tenant}\u0000${model}`;
}
