import { randomUUID } from 'node:crypto';
import { InvalidArgumentError, NotFoundError } from '@aiaas/common';
import type { RegistryDb } from './database';
import { servedName } from './deployment-config';
import { deploymentDb } from './deployment-store';
import type { DeploymentDb, NodesTable, ReplicaStateName } from './deployment-store';
import type { Clock } from './model-store';
import { SYSTEM_CLOCK } from './model-store';

export type NodeState = 'UP' | 'DOWN';

export interface NodeRegistration {
  /** Empty or absent: the registry assigns one. */
  nodeId?: string;
  address: string;
  memoryBytes: number;
  /** `cpu`, `gpu:0`, …; empty means `['cpu']`. */
  devices: readonly string[];
}

export interface ReplicaStatusReport {
  servedName: string;
  version: number;
  state: ReplicaStateName;
  reason: string;
}

export interface NodeRecord {
  nodeId: string;
  address: string;
  memoryBytes: number;
  memoryUsedBytes: number;
  devices: string[];
  state: NodeState;
  lastHeartbeatAt: Date;
  registeredAt: Date;
  replicas: ReplicaStatusReport[];
}

/** States a node may report: PENDING and UNPLACED are the registry's own. */
const REPORTABLE: readonly ReplicaStateName[] = ['LOADING', 'READY', 'FAILED'];
const DEVICE = /^(cpu|gpu(:[0-9]{1,3})?)$/;
const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * The inference nodes the registry knows: registration, heartbeats, liveness and the replica
 * states they report. Rows persist, so a restarted registry keeps its nodes and they keep
 * heartbeating; a node silent past the timeout is marked DOWN by {@link markStale}.
 */
export class NodeTracker {
  readonly #db: DeploymentDb;
  readonly #clock: Clock;

  constructor(db: RegistryDb, clock: Clock = SYSTEM_CLOCK) {
    this.#db = deploymentDb(db);
    this.#clock = clock;
  }

  /**
   * Registers a node, or registers it again (after a restart or after being marked down): it is
   * UP with a fresh heartbeat. A node that re-registers while still UP keeps its replicas.
   */
  async register(registration: NodeRegistration): Promise<NodeRecord> {
    const nodeId = registration.nodeId === undefined || registration.nodeId === '' ? randomUUID() : registration.nodeId;
    if (!NODE_ID.test(nodeId)) {
      throw new InvalidArgumentError(
        `node_id: expected letters, digits, '.', '_', ':' or '-' (at most 128), got ${JSON.stringify(nodeId)}`,
      );
    }
    if (typeof registration.address !== 'string' || !/^[^\s/]+:[0-9]{1,5}$/.test(registration.address)) {
      throw new InvalidArgumentError(`address: expected host:port, got ${JSON.stringify(registration.address)}`);
    }
    if (!Number.isSafeInteger(registration.memoryBytes) || registration.memoryBytes <= 0) {
      throw new InvalidArgumentError(
        `memory_bytes: expected the node's memory for models, a positive integer, got ${registration.memoryBytes}`,
      );
    }
    const devices = registration.devices.length === 0 ? ['cpu'] : [...new Set(registration.devices)];
    const bad = devices.find((device) => !DEVICE.test(device));
    if (bad !== undefined) {
      throw new InvalidArgumentError(`devices: expected "cpu" or "gpu:<index>", got ${JSON.stringify(bad)}`);
    }
    const at = this.#clock.now().toISOString();
    const row: NodesTable = {
      node_id: nodeId,
      address: registration.address,
      memory_bytes: registration.memoryBytes,
      memory_used_bytes: 0,
      devices: JSON.stringify(devices),
      state: 'UP',
      last_heartbeat_at: at,
      registered_at: at,
    };
    await this.#db
      .insertInto('nodes')
      .values(row)
      .onConflict((oc) =>
        oc.column('node_id').doUpdateSet({
          address: row.address,
          memory_bytes: row.memory_bytes,
          devices: row.devices,
          state: 'UP',
          last_heartbeat_at: at,
          registered_at: at,
        }),
      )
      .execute();
    return toNodeRecord(row, []);
  }

  /** @throws NotFoundError for an unknown or DOWN node: it must register again. */
  async heartbeat(nodeId: string, memoryUsedBytes: number): Promise<void> {
    const result = await this.#db
      .updateTable('nodes')
      .set({
        last_heartbeat_at: this.#clock.now().toISOString(),
        memory_used_bytes: Number.isSafeInteger(memoryUsedBytes) && memoryUsedBytes > 0 ? memoryUsedBytes : 0,
      })
      .where('node_id', '=', nodeId)
      .where('state', '=', 'UP')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw unknownNode(nodeId);
  }

  /** @throws NotFoundError unless the node is registered and UP. */
  async requireUp(nodeId: string): Promise<void> {
    const row = await this.#db
      .selectFrom('nodes')
      .select('node_id')
      .where('node_id', '=', nodeId)
      .where('state', '=', 'UP')
      .executeTakeFirst();
    if (row === undefined) throw unknownNode(nodeId);
  }

  /**
   * Marks DOWN every UP node whose last heartbeat is older than `timeoutMs`, and deletes the
   * replicas it held so that reconcile places them elsewhere. Returns the nodes marked down.
   * The update re-checks the heartbeat, so a heartbeat that lands meanwhile wins.
   */
  async markStale(timeoutMs: number): Promise<string[]> {
    const cutoff = new Date(this.#clock.now().getTime() - timeoutMs).toISOString();
    const stale = await this.#db
      .selectFrom('nodes')
      .select('node_id')
      .where('state', '=', 'UP')
      .where('last_heartbeat_at', '<', cutoff)
      .execute();
    const down: string[] = [];
    for (const { node_id: nodeId } of stale) {
      const marked = await this.#db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('nodes')
          .set({ state: 'DOWN' })
          .where('node_id', '=', nodeId)
          .where('state', '=', 'UP')
          .where('last_heartbeat_at', '<', cutoff)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        await trx.deleteFrom('replicas').where('node_id', '=', nodeId).execute();
        return true;
      });
      if (marked) down.push(nodeId);
    }
    return down;
  }

  /**
   * Records the states a node reports for the models it serves. A report for a served name and
   * version the node is not assigned is ignored (it may be unloading it).
   * @throws NotFoundError for an unknown or DOWN node
   * @throws InvalidArgumentError for a state a node may not report
   */
  async reportStatus(nodeId: string, reports: readonly ReplicaStatusReport[]): Promise<number> {
    for (const report of reports) {
      if (!REPORTABLE.includes(report.state)) {
        throw new InvalidArgumentError(
          `replica "${report.servedName}" version ${report.version}: state must be one of ${REPORTABLE.join(', ')}, got ${report.state}`,
        );
      }
    }
    await this.requireUp(nodeId);
    const assigned = await this.#db
      .selectFrom('replicas')
      .innerJoin('deployments', 'deployments.id', 'replicas.deployment_id')
      .select([
        'replicas.id',
        'replicas.version',
        'replicas.state',
        'replicas.reason',
        'deployments.tenant',
        'deployments.model',
      ])
      .where('replicas.node_id', '=', nodeId)
      .execute();
    const at = this.#clock.now().toISOString();
    let changed = 0;
    for (const report of reports) {
      const matching = assigned.filter(
        (r) =>
          r.version === report.version &&
          servedName(r.tenant, r.model) === report.servedName &&
          // A draining replica stays draining whatever the node says: the registry retires it.
          r.state !== 'DRAINING' &&
          (r.state !== report.state || r.reason !== report.reason),
      );
      if (matching.length === 0) continue;
      await this.#db
        .updateTable('replicas')
        .set({ state: report.state, reason: report.reason.slice(0, 4096), updated_at: at })
        .where(
          'id',
          'in',
          matching.map((r) => r.id),
        )
        .where('node_id', '=', nodeId)
        .execute();
      changed += matching.length;
    }
    return changed;
  }

  /** Every known node, UP and DOWN, by id, with the states of the replicas it holds. */
  async list(): Promise<NodeRecord[]> {
    const rows = await this.#db.selectFrom('nodes').selectAll().orderBy('node_id').execute();
    const replicas = await this.#db
      .selectFrom('replicas')
      .innerJoin('deployments', 'deployments.id', 'replicas.deployment_id')
      .select([
        'replicas.node_id',
        'replicas.version',
        'replicas.state',
        'replicas.reason',
        'deployments.tenant',
        'deployments.model',
      ])
      .where('replicas.node_id', 'is not', null)
      .orderBy('deployments.tenant')
      .orderBy('deployments.model')
      .orderBy('replicas.version')
      .execute();
    return rows.map((row) =>
      toNodeRecord(
        row,
        replicas
          .filter((r) => r.node_id === row.node_id)
          .map((r) => ({
            servedName: servedName(r.tenant, r.model),
            version: r.version,
            state: r.state as ReplicaStateName,
            reason: r.reason,
          })),
      ),
    );
  }
}

function unknownNode(nodeId: string): NotFoundError {
  return new NotFoundError(`node "${nodeId}" is not registered or was marked down; register again`);
}

function toNodeRecord(row: NodesTable, replicas: ReplicaStatusReport[]): NodeRecord {
  return {
    nodeId: row.node_id,
    address: row.address,
    memoryBytes: Number(row.memory_bytes),
    memoryUsedBytes: Number(row.memory_used_bytes),
    devices: JSON.parse(row.devices) as string[],
    state: row.state as NodeState,
    lastHeartbeatAt: new Date(row.last_heartbeat_at),
    registeredAt: new Date(row.registered_at),
    replicas,
  };
}
