import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Logger } from '@aiaas/common';
import type { RegistryDb, RegistryTables } from './database';
import { buildNodeModelConfig, servedName } from './deployment-config';
import type { BatchingSettings, DeviceKind } from './deployment-config';
import { deploymentDb } from './deployment-store';
import type { DeploymentDb, DeploymentTables, DeploymentsTable, NodesTable, ReplicasTable } from './deployment-store';
import type { Clock } from './model-store';
import { SYSTEM_CLOCK } from './model-store';
import type { NodeTracker } from './node-tracker';
import { estimateReplicaMemory, placeReplicas } from './placement';
import type { RegistryMetrics } from './registry-metrics';
import type { FixedReservation, PlacementNode, ReplicaDemand } from './placement';

/** One replica a node should serve (the wire's `Assignment`, with numbers for int64). */
export interface NodeAssignment {
  served_name: string;
  tenant: string;
  model: string;
  version: number;
  sha256: string;
  size_bytes: number;
  config_json: string;
  deployment: string;
}

/** One model version the gateways may route to (the wire's `Route`). */
export interface RouteEntry {
  tenant: string;
  model: string;
  version: number;
  aliases: string[];
  served_name: string;
  endpoints: { node_id: string; address: string; weight: number }[];
  /** Canary splits of this route's aliases (the gateway sends that share to the other version when it is routed); absent = none. */
  canaries?: { alias: string; version: number; percent: number }[];
}

/** Somewhere to push snapshots: a server stream, or a test's array. */
export interface SnapshotSink<T> {
  write(message: T): unknown;
  end(): void;
}

/** What the reconciler reads from the database, all tenants at once. */
export interface ReconcileState {
  deployments: DeploymentsTable[];
  /** Every node, UP and DOWN. */
  nodes: NodesTable[];
  replicas: ReplicasTable[];
  /** canary_version 0 / absent = no canary. */
  aliases: { model_id: string; alias: string; version: number; canary_version?: number; canary_percent?: number }[];
  versions: { model_id: string; version: number; sha256: string; size_bytes: number }[];
  /** When this state was read (ISO 8601), and how long a replaced replica drains before it goes. */
  now: string;
  drainGraceMs: number;
}

/** The changes one reconcile pass makes to the replicas table. */
export interface ReconcilePlan {
  insert: { deploymentId: string; slot: number; version: number; nodeId: string | null; reason: string }[];
  move: { id: string; nodeId: string | null; reason: string }[];
  /** Replaced replicas to take out of the routes now and retire after the drain grace. */
  drain: string[];
  remove: string[];
  targets: { deploymentId: string; version: number }[];
  reservedBytes: Map<string, number>;
}

type Trx = Transaction<RegistryTables & DeploymentTables>;

/**
 * Decides, from the database state alone, which replicas to add, move and remove. Pure: the roll
 * rules are tested without I/O.
 *
 * - Each deployment's target is its pinned version or what its alias points at now; a deployment
 *   whose alias is gone keeps its replicas as they are.
 * - It should have `replicas` replicas (slots 0…n-1) of the target, placed by `placeReplicas`.
 * - A replica of another version (the one being rolled away from) keeps its node and its memory
 *   until the target replica of the same slot is READY (or, for a slot beyond the new count,
 *   until any target replica is READY); then it is removed. That is the zero-downtime roll: the
 *   node serves the old version until the new one is warm. One that is FAILED, unplaced or whose
 *   node is gone serves nobody and goes at once.
 */
export function planReconcile(state: ReconcileState): ReconcilePlan {
  const upNodes = state.nodes.filter((node) => node.state === 'UP');
  const up = new Set(upNodes.map((node) => node.node_id));
  const versionInfo = new Map(state.versions.map((v) => [`${v.model_id}@${v.version}`, v]));
  const aliasTarget = new Map(state.aliases.map((a) => [`${a.model_id}@${a.alias}`, a.version]));
  const plan: ReconcilePlan = { insert: [], move: [], drain: [], remove: [], targets: [], reservedBytes: new Map() };
  const demands: ReplicaDemand[] = [];
  const fixed: FixedReservation[] = [];
  const demandInfo = new Map<
    string,
    { deployment: DeploymentsTable; slot: number; version: number; existing?: ReplicasTable }
  >();

  const memoryFor = (deployment: DeploymentsTable, version: number): number => {
    const explicit = Number(deployment.memory_estimate_bytes);
    if (explicit > 0) return explicit;
    return estimateReplicaMemory(Number(versionInfo.get(`${deployment.model_id}@${version}`)?.size_bytes ?? 0));
  };
  const spreadKey = (deployment: DeploymentsTable, version: number): string =>
    `${deployment.tenant}/${deployment.model_id}@${version}`;

  for (const deployment of state.deployments) {
    const replicas = state.replicas.filter((r) => r.deployment_id === deployment.id);
    const target =
      deployment.version !== null
        ? deployment.version
        : aliasTarget.get(`${deployment.model_id}@${deployment.alias ?? ''}`);
    if (target === undefined || !versionInfo.has(`${deployment.model_id}@${target}`)) {
      // Unresolvable (alias deleted): leave what runs alone, but count its memory.
      for (const r of replicas) {
        if (r.node_id !== null && up.has(r.node_id)) {
          fixed.push({
            nodeId: r.node_id,
            memoryBytes: memoryFor(deployment, r.version),
            spreadKey: spreadKey(deployment, r.version),
          });
        }
      }
      continue;
    }
    if (deployment.target_version !== target) plan.targets.push({ deploymentId: deployment.id, version: target });

    const current = replicas.filter((r) => r.version === target);
    const readySlots = new Set(
      current.filter((r) => r.state === 'READY' && r.node_id !== null && up.has(r.node_id)).map((r) => r.slot),
    );
    for (let slot = 0; slot < deployment.replicas; slot++) {
      const existing = current.find((r) => r.slot === slot);
      const key = `${deployment.id}|${slot}`;
      demands.push({
        key,
        spreadKey: spreadKey(deployment, target),
        memoryBytes: memoryFor(deployment, target),
        device: deployment.device as DeviceKind,
        currentNodeId:
          existing?.node_id !== null && existing?.node_id !== undefined && up.has(existing.node_id)
            ? existing.node_id
            : null,
      });
      demandInfo.set(key, { deployment, slot, version: target, ...(existing === undefined ? {} : { existing }) });
    }
    for (const r of current) if (r.slot >= deployment.replicas) plan.remove.push(r.id);

    for (const r of replicas) {
      if (r.version === target) continue;
      const serving = r.node_id !== null && up.has(r.node_id) && r.state !== 'FAILED';
      const replaced = r.slot < deployment.replicas ? readySlots.has(r.slot) : readySlots.size > 0;
      if (!serving) plan.remove.push(r.id);
      else if (replaced) {
        // Out of the routes first; the node keeps it until callers that already picked it are done.
        if (r.state !== 'DRAINING') plan.drain.push(r.id);
        else if (Date.parse(state.now) - Date.parse(r.updated_at) >= state.drainGraceMs) plan.remove.push(r.id);
        if (r.node_id !== null && !plan.remove.includes(r.id)) {
          fixed.push({
            nodeId: r.node_id,
            memoryBytes: memoryFor(deployment, r.version),
            spreadKey: spreadKey(deployment, r.version),
          });
        }
      } else if (r.node_id !== null) {
        fixed.push({
          nodeId: r.node_id,
          memoryBytes: memoryFor(deployment, r.version),
          spreadKey: spreadKey(deployment, r.version),
        });
      }
    }
  }

  const placementNodes: PlacementNode[] = upNodes.map((node) => ({
    nodeId: node.node_id,
    memoryBytes: Number(node.memory_bytes),
    devices: JSON.parse(node.devices) as string[],
  }));
  const result = placeReplicas(placementNodes, demands, fixed);
  plan.reservedBytes = result.reservedBytes;
  for (const [key, decision] of result.decisions) {
    const info = demandInfo.get(key);
    if (info === undefined) continue;
    const reason = decision.nodeId === null ? decision.reason : '';
    if (info.existing === undefined) {
      plan.insert.push({
        deploymentId: info.deployment.id,
        slot: info.slot,
        version: info.version,
        nodeId: decision.nodeId,
        reason,
      });
    } else if (
      info.existing.node_id !== decision.nodeId ||
      (decision.nodeId === null && info.existing.reason !== reason)
    ) {
      plan.move.push({ id: info.existing.id, nodeId: decision.nodeId, reason });
    }
  }
  return plan;
}

/** Every node's assignments: one per (served name, version) it holds. */
export function buildAssignments(state: ReconcileState): Map<string, NodeAssignment[]> {
  const deployments = new Map(state.deployments.map((d) => [d.id, d]));
  const versions = new Map(state.versions.map((v) => [`${v.model_id}@${v.version}`, v]));
  const up = new Set(state.nodes.filter((n) => n.state === 'UP').map((n) => n.node_id));
  // node → served name → (first deployment by tenant and name, versions)
  const groups = new Map<string, Map<string, { deployment: DeploymentsTable; versions: Set<number> }>>();
  for (const replica of state.replicas) {
    const deployment = deployments.get(replica.deployment_id);
    if (replica.node_id === null || !up.has(replica.node_id) || deployment === undefined) continue;
    if (!versions.has(`${deployment.model_id}@${replica.version}`)) continue;
    const byName =
      groups.get(replica.node_id) ?? new Map<string, { deployment: DeploymentsTable; versions: Set<number> }>();
    groups.set(replica.node_id, byName);
    const name = servedName(deployment.tenant, deployment.model);
    const group = byName.get(name);
    if (group === undefined) byName.set(name, { deployment, versions: new Set([replica.version]) });
    else {
      group.versions.add(replica.version);
      // Two deployments of one model on one node share the served model: the first by name configures it.
      if (deployment.name < group.deployment.name) group.deployment = deployment;
    }
  }
  const out = new Map<string, NodeAssignment[]>();
  for (const [nodeId, byName] of groups) {
    const assignments: NodeAssignment[] = [];
    for (const [name, group] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const { deployment } = group;
      const sorted = [...group.versions].sort((a, b) => a - b);
      const config = JSON.stringify(
        buildNodeModelConfig({
          batching: JSON.parse(deployment.batching) as BatchingSettings,
          instanceCount: deployment.instance_count,
          device: deployment.device as DeviceKind,
          versions: sorted,
        }),
      );
      for (const version of sorted) {
        const info = versions.get(`${deployment.model_id}@${version}`);
        if (info === undefined) continue;
        assignments.push({
          served_name: name,
          tenant: deployment.tenant,
          model: deployment.model,
          version,
          sha256: info.sha256,
          size_bytes: Number(info.size_bytes),
          config_json: config,
          deployment: deployment.name,
        });
      }
    }
    out.set(nodeId, assignments);
  }
  return out;
}

/** A route while it is built: which model row it belongs to and which aliases its deployments follow. */
type RouteDraft = RouteEntry & {
  modelId: string;
  followedAliases: Set<string>;
  canaries: NonNullable<RouteEntry['canaries']>;
};

/**
 * The route table: every version a deployment targets (its pinned version, or what its alias
 * points at), and every other version with a READY replica on an UP node (one being rolled away
 * from). Endpoints are the READY replicas on UP nodes; a targeted version with none (its only
 * node restarting, replicas still loading) keeps its route with no endpoints, so the gateways
 * answer UNAVAILABLE (retry) rather than NOT_FOUND (the model is gone) meanwhile.
 */
export function buildRoutes(state: ReconcileState): RouteEntry[] {
  const deployments = new Map(state.deployments.map((d) => [d.id, d]));
  const nodes = new Map(state.nodes.filter((n) => n.state === 'UP').map((n) => [n.node_id, n]));
  const versionExists = new Set(state.versions.map((v) => `${v.model_id}@${v.version}`));
  const aliasTarget = new Map(state.aliases.map((a) => [`${a.model_id}@${a.alias}`, a.version]));
  const routes = new Map<string, RouteDraft>();
  const routeOf = (deployment: DeploymentsTable, version: number): RouteDraft => {
    const key = `${deployment.tenant}\u0000${deployment.model}\u0000${String(version).padStart(12, '0')}`;
    const route = routes.get(key) ?? {
      tenant: deployment.tenant,
      model: deployment.model,
      modelId: deployment.model_id,
      version,
      aliases: [],
      served_name: servedName(deployment.tenant, deployment.model),
      endpoints: [],
      canaries: [],
      followedAliases: new Set<string>(),
    };
    routes.set(key, route);
    if (deployment.alias !== null) route.followedAliases.add(deployment.alias);
    return route;
  };
  for (const deployment of state.deployments) {
    const target =
      deployment.version !== null
        ? deployment.version
        : aliasTarget.get(`${deployment.model_id}@${deployment.alias ?? ''}`);
    if (target !== undefined && versionExists.has(`${deployment.model_id}@${target}`)) routeOf(deployment, target);
  }
  for (const replica of state.replicas) {
    const deployment = deployments.get(replica.deployment_id);
    const node = replica.node_id === null ? undefined : nodes.get(replica.node_id);
    if (replica.state !== 'READY' || deployment === undefined || node === undefined) continue;
    const route = routeOf(deployment, replica.version);
    if (!route.endpoints.some((e) => e.node_id === node.node_id)) {
      route.endpoints.push({ node_id: node.node_id, address: node.address, weight: 1 });
    }
  }
  // An alias names the version it points at once that version has a ready endpoint. Until then
  // (an alias just moved, its new version still loading) it keeps naming the newest version the
  // deployments following it still serve, so callers of `model@alias` are never left without a
  // route; with nothing ready anywhere it names its own version (answered UNAVAILABLE).
  const aliasesOf = new Map<RouteDraft, string[]>();
  for (const alias of state.aliases) {
    const candidates = [...routes.values()].filter((r) => r.modelId === alias.model_id);
    const own = candidates.find((r) => r.version === alias.version);
    const followed = candidates.filter((r) => r.followedAliases.has(alias.alias)).sort((a, b) => b.version - a.version);
    const target =
      (own !== undefined && own.endpoints.length > 0 ? own : undefined) ??
      followed.find((r) => r.endpoints.length > 0) ??
      own ??
      followed[0];
    if (target) {
      aliasesOf.set(target, [...(aliasesOf.get(target) ?? []), alias.alias]);
      const canary = alias.canary_version ?? 0;
      if (canary !== 0 && canary !== target.version && (alias.canary_percent ?? 0) > 0) {
        target.canaries.push({ alias: alias.alias, version: canary, percent: alias.canary_percent ?? 0 });
      }
    }
  }
  return [...routes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, route]) => {
      const { modelId: _modelId, followedAliases: _followed, canaries, ...entry } = route;
      return {
        ...entry,
        aliases: (aliasesOf.get(route) ?? []).sort(),
        ...(canaries.length === 0
          ? {}
          : { canaries: canaries.sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0)) }),
        endpoints: entry.endpoints.sort((a, b) => (a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : 0)),
      };
    });
}

/** How long a replaced replica keeps serving, out of the routes, before its node drops it. */
export const DEFAULT_DRAIN_GRACE_MS = 2_000;

export interface DeploymentReconcilerOptions {
  db: RegistryDb;
  nodes: NodeTracker;
  logger: Logger;
  clock?: Clock;
  /** A node silent this long is marked DOWN. @default 5000 */
  heartbeatTimeoutMs?: number;
  /** The safety-net pass (and liveness check) period. @default 1000 */
  reconcileIntervalMs?: number;
  /**
   * How long a replaced replica stays assigned after it left the routes, so that requests
   * gateways already sent to it finish there. @default 2000
   */
  drainGraceMs?: number;
  /** Placement counts and the replicas-by-state gauge. */
  metrics?: Pick<RegistryMetrics, 'observePlacements' | 'observeReplicas'>;
}

interface Watch<T> {
  sink: SnapshotSink<T>;
  last: string | undefined;
}

/**
 * Turns desired state (deployments, aliases) and live nodes into replicas, and pushes the
 * result to the nodes (their assignments) and the gateways (the route table). One pass at a
 * time: a request while a pass runs is served by the next pass, and requests that pile up
 * meanwhile share it.
 */
export class DeploymentReconciler {
  readonly #db: DeploymentDb;
  readonly #nodes: NodeTracker;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #drainGraceMs: number;
  readonly #timer: NodeJS.Timeout;
  readonly #metrics: DeploymentReconcilerOptions['metrics'];
  readonly #assignmentWatches = new Map<string, Set<Watch<{ assignments: NodeAssignment[] }>>>();
  readonly #routeWatches = new Set<Watch<{ routes: RouteEntry[] }>>();
  #current: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  #closed = false;
  #assignments = new Map<string, NodeAssignment[]>();
  #routes: RouteEntry[] = [];
  #reserved = new Map<string, number>();

  constructor(options: DeploymentReconcilerOptions) {
    this.#db = deploymentDb(options.db);
    this.#nodes = options.nodes;
    this.#logger = options.logger;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#drainGraceMs = options.drainGraceMs ?? DEFAULT_DRAIN_GRACE_MS;
    this.#timeoutMs = options.heartbeatTimeoutMs ?? 5000;
    this.#metrics = options.metrics;
    this.#timer = setInterval(() => void this.reconcileQuietly(), options.reconcileIntervalMs ?? 1000);
    this.#timer.unref();
  }

  /**
   * Runs a reconcile pass that starts after this call, and resolves when it is done. Rejects
   * with the pass's error (the next request or the timer retries).
   */
  reconcile(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#next !== undefined) return this.#next;
    const previous = this.#current;
    const run: Promise<void> = (previous ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        if (this.#next === run) this.#next = undefined;
        if (this.#closed) return;
        await this.#pass();
      });
    if (previous !== undefined) this.#next = run;
    this.#current = run;
    run.then(
      () => this.#settled(run),
      () => this.#settled(run),
    );
    return run;
  }

  /** {@link reconcile}, logging a failure instead of throwing: the change that asked for it is already committed. */
  async reconcileQuietly(): Promise<void> {
    try {
      await this.reconcile();
    } catch (err) {
      this.#logger.warn({ err }, 'reconcile pass failed; the next one retries');
    }
  }

  /** Memory reserved per UP node by the last pass. */
  reservedBytes(nodeId: string): number {
    return this.#reserved.get(nodeId) ?? 0;
  }

  /**
   * Streams a node's assignments: the current list at once, then the whole list again after
   * every change. Ends when the node is marked down or the reconciler closes.
   */
  async watchAssignments(nodeId: string, sink: SnapshotSink<{ assignments: NodeAssignment[] }>): Promise<() => void> {
    const watch: Watch<{ assignments: NodeAssignment[] }> = { sink, last: undefined };
    const set = this.#assignmentWatches.get(nodeId) ?? new Set();
    this.#assignmentWatches.set(nodeId, set);
    set.add(watch);
    await this.reconcileQuietly();
    if (this.#closed) endQuietly(sink);
    else this.#push(watch, { assignments: this.#assignments.get(nodeId) ?? [] });
    return () => {
      set.delete(watch);
      if (set.size === 0 && this.#assignmentWatches.get(nodeId) === set) this.#assignmentWatches.delete(nodeId);
    };
  }

  /** Streams the route table: at once, then after every change. Ends when the reconciler closes. */
  async watchRoutes(sink: SnapshotSink<{ routes: RouteEntry[] }>): Promise<() => void> {
    const watch: Watch<{ routes: RouteEntry[] }> = { sink, last: undefined };
    this.#routeWatches.add(watch);
    await this.reconcileQuietly();
    if (this.#closed) endQuietly(sink);
    else this.#push(watch, { routes: this.#routes });
    return () => this.#routeWatches.delete(watch);
  }

  /** Stops the timer, waits for the pass in flight and ends every stream cleanly (status OK). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.allSettled([this.#current, this.#next].filter((p) => p !== undefined));
    for (const set of this.#assignmentWatches.values()) for (const watch of set) endQuietly(watch.sink);
    for (const watch of this.#routeWatches) endQuietly(watch.sink);
    this.#assignmentWatches.clear();
    this.#routeWatches.clear();
  }

  #settled(run: Promise<void>): void {
    if (this.#current === run) this.#current = undefined;
  }

  async #pass(): Promise<void> {
    const down = await this.#nodes.markStale(this.#timeoutMs);
    for (const nodeId of down) {
      this.#logger.warn(
        { nodeId, timeoutMs: this.#timeoutMs },
        'node missed its heartbeats; marked down, its replicas move',
      );
      const set = this.#assignmentWatches.get(nodeId);
      if (set !== undefined) for (const watch of set) endQuietly(watch.sink);
      this.#assignmentWatches.delete(nodeId);
    }
    const at = this.#clock.now().toISOString();
    const plan = await this.#db.transaction().execute(async (trx) => {
      const state = await loadState(trx, at, this.#drainGraceMs);
      const planned = planReconcile(state);
      if (planned.remove.length > 0) await trx.deleteFrom('replicas').where('id', 'in', planned.remove).execute();
      if (planned.drain.length > 0) {
        await trx
          .updateTable('replicas')
          .set({ state: 'DRAINING', reason: 'replaced by the new version; draining', updated_at: at })
          .where('id', 'in', planned.drain)
          .execute();
      }
      for (const move of planned.move) {
        await trx
          .updateTable('replicas')
          .set({
            node_id: move.nodeId,
            state: move.nodeId === null ? 'UNPLACED' : 'PENDING',
            reason: move.reason,
            updated_at: at,
          })
          .where('id', '=', move.id)
          .execute();
      }
      if (planned.insert.length > 0) {
        await trx
          .insertInto('replicas')
          .values(
            planned.insert.map((r) => ({
              id: randomUUID(),
              deployment_id: r.deploymentId,
              slot: r.slot,
              version: r.version,
              node_id: r.nodeId,
              state: r.nodeId === null ? 'UNPLACED' : 'PENDING',
              reason: r.reason,
              updated_at: at,
            })),
          )
          .execute();
      }
      for (const target of planned.targets) {
        await trx
          .updateTable('deployments')
          .set({ target_version: target.version })
          .where('id', '=', target.deploymentId)
          .execute();
      }
      return planned;
    });
    this.#reserved = plan.reservedBytes;
    this.#metrics?.observePlacements([...plan.insert, ...plan.move].map((r) => r.nodeId));
    if (plan.insert.length + plan.move.length + plan.drain.length + plan.remove.length > 0) {
      this.#logger.info(
        { added: plan.insert.length, moved: plan.move.length, removed: plan.remove.length },
        'replicas reconciled',
      );
    }
    const state = await loadState(this.#db, this.#clock.now().toISOString(), this.#drainGraceMs);
    this.#assignments = buildAssignments(state);
    this.#routes = buildRoutes(state);
    this.#metrics?.observeReplicas(state.replicas.map((r) => r.state));
    for (const [nodeId, set] of this.#assignmentWatches) {
      for (const watch of set) this.#push(watch, { assignments: this.#assignments.get(nodeId) ?? [] });
    }
    for (const watch of this.#routeWatches) this.#push(watch, { routes: this.#routes });
  }

  #push<T>(watch: Watch<T>, message: T): void {
    const json = JSON.stringify(message);
    if (json === watch.last) return;
    watch.last = json;
    try {
      watch.sink.write(message);
    } catch (err) {
      this.#logger.debug({ err }, 'a watch stream went away');
    }
  }
}

function endQuietly(sink: SnapshotSink<unknown>): void {
  try {
    sink.end();
  } catch {
    // Already closed by the peer.
  }
}

async function loadState(db: DeploymentDb | Trx, now: string, drainGraceMs: number): Promise<ReconcileState> {
  const deployments = await db.selectFrom('deployments').selectAll().orderBy('tenant').orderBy('name').execute();
  const nodes = await db.selectFrom('nodes').selectAll().orderBy('node_id').execute();
  const replicas = await db.selectFrom('replicas').selectAll().orderBy('slot').execute();
  const modelIds = [...new Set(deployments.map((d) => d.model_id))];
  if (modelIds.length === 0) return { deployments, nodes, replicas, aliases: [], versions: [], now, drainGraceMs };
  const aliases = await db
    .selectFrom('aliases')
    .select(['model_id', 'alias', 'version', 'canary_version', 'canary_percent'])
    .where('model_id', 'in', modelIds)
    .execute();
  const versions = await db
    .selectFrom('versions')
    .select(['model_id', 'version', 'sha256', 'size_bytes'])
    .where('model_id', 'in', modelIds)
    .execute();
  return { deployments, nodes, replicas, aliases, versions, now, drainGraceMs };
}
