import { writeAudit } from './audit-log';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '@aiaas/common';
import type { RegistryDb, RegistryTables } from './database';
import { DEFAULT_BATCHING } from './deployment-config';
import type { BatchingSettings, DeviceKind } from './deployment-config';
import type { Caller, Clock } from './model-store';
import { SYSTEM_CLOCK } from './model-store';
import { checkPageSize, decodePageToken, encodePageToken } from './page-token';
import { checkAliasName, checkModelName, checkVersionNumber } from './validation';

/** Desired state: a model (on an alias or a pinned version) served by `replicas` nodes. */
export interface DeploymentsTable {
  id: string;
  tenant: string;
  name: string;
  model_id: string;
  model: string;
  /** Exactly one of alias and version is set. */
  alias: string | null;
  version: number | null;
  replicas: number;
  /** JSON of {@link BatchingSettings}. */
  batching: string;
  instance_count: number;
  device: string;
  /** 0: estimated from the artifact size (`estimateReplicaMemory`). */
  memory_estimate_bytes: number;
  /** The version the deployment targets: the pinned one, or what the alias pointed at last reconcile. */
  target_version: number | null;
  created_at: string;
  updated_at: string;
  created_by: string;
}

/** An inference node that registered. */
export interface NodesTable {
  node_id: string;
  address: string;
  memory_bytes: number;
  memory_used_bytes: number;
  /** JSON array: `cpu`, `gpu:0`, … */
  devices: string;
  /** `UP` or `DOWN`. */
  state: string;
  last_heartbeat_at: string;
  registered_at: string;
}

/** One replica of a deployment at one version; `node_id` null while unplaced. */
export interface ReplicasTable {
  id: string;
  deployment_id: string;
  slot: number;
  version: number;
  node_id: string | null;
  /** A {@link ReplicaStateName}. */
  state: string;
  reason: string;
  updated_at: string;
}

/** The tables of migration `0002_deployments`. */
// A type alias, not an interface: Kysely's `withTables` needs the implicit index signature.
export type DeploymentTables = {
  deployments: DeploymentsTable;
  nodes: NodesTable;
  replicas: ReplicasTable;
};

export type DeploymentDb = Kysely<RegistryTables & DeploymentTables>;

/** The registry database with the deployment tables in its type. */
export function deploymentDb(db: RegistryDb): DeploymentDb {
  return db.withTables<DeploymentTables>();
}

export type ReplicaStateName = 'PENDING' | 'LOADING' | 'READY' | 'FAILED' | 'UNPLACED' | 'DRAINING';

export interface ReplicaRecord {
  slot: number;
  version: number;
  nodeId: string | null;
  /** The node's address, empty when unplaced. */
  address: string;
  state: ReplicaStateName;
  reason: string;
}

export interface DeploymentRecord {
  id: string;
  name: string;
  model: string;
  alias: string | null;
  version: number | null;
  replicas: number;
  batching: BatchingSettings;
  instanceCount: number;
  device: DeviceKind;
  memoryEstimateBytes: number;
  targetVersion: number | null;
  replicaStatus: ReplicaRecord[];
  createdAt: Date;
  updatedAt: Date;
}

/** What a caller asks for. Unset optional fields take their defaults. */
export interface DeploymentSpec {
  /** @default the model name */
  name?: string;
  model: string;
  alias?: string | null;
  version?: number | null;
  replicas: number;
  batching?: Partial<BatchingSettings>;
  /** @default 1 */
  instanceCount?: number;
  /** @default 'cpu' */
  device?: string;
  /** @default 0 (estimated from the artifact) */
  memoryEstimateBytes?: number;
}

/** The fields UpdateDeployment may replace (its `update_mask`). */
export const DEPLOYMENT_UPDATE_FIELDS = [
  'alias',
  'version',
  'replicas',
  'batching',
  'instance_count',
  'device',
  'memory_estimate_bytes',
] as const;
export type DeploymentUpdateField = (typeof DEPLOYMENT_UPDATE_FIELDS)[number];

export type DeploymentUpdate = Omit<Partial<DeploymentSpec>, 'name' | 'model'>;

/** The most replicas one deployment may ask for. */
export const MAX_REPLICAS = 1000;
/** The most model instances per replica. */
export const MAX_INSTANCE_COUNT = 64;

type Db = DeploymentDb | Transaction<RegistryTables & DeploymentTables>;

/**
 * Deployments of the caller's tenant: create, read, update, delete, list. Another tenant's
 * deployment answers NotFoundError exactly like a missing one. Every change is audited
 * (`deployment.create|update|delete`, target `deployment:<name>`) in its transaction. Placement
 * is not done here: the reconciler turns this desired state into replicas.
 */
export class DeploymentStore {
  readonly #db: DeploymentDb;
  readonly #clock: Clock;

  constructor(db: RegistryDb, clock: Clock = SYSTEM_CLOCK) {
    this.#db = deploymentDb(db);
    this.#clock = clock;
  }

  /**
   * @throws NotFoundError for a model, version or alias the caller's tenant does not have
   * @throws InvalidArgumentError for a bad setting (both or neither of alias and version, …)
   * @throws AlreadyExistsError when the tenant has a deployment of that name
   */
  async create(caller: Caller, spec: DeploymentSpec): Promise<DeploymentRecord> {
    const model = checkModelName(spec.model);
    const name = checkDeploymentName(spec.name === undefined || spec.name === '' ? model : spec.name);
    const target = checkTarget(spec.alias ?? null, spec.version ?? null);
    const settings = checkSettings({
      replicas: spec.replicas,
      batching: { ...DEFAULT_BATCHING, ...spec.batching },
      instanceCount: spec.instanceCount ?? 0,
      device: spec.device ?? '',
      memoryEstimateBytes: spec.memoryEstimateBytes ?? 0,
    });
    const at = this.#clock.now().toISOString();
    try {
      const id = await this.#db.transaction().execute(async (trx) => {
        const modelRow = await findModel(trx, caller, model);
        const targetVersion = await resolveTarget(trx, modelRow, target);
        const row: DeploymentsTable = {
          id: randomUUID(),
          tenant: caller.tenant,
          name,
          model_id: modelRow.id,
          model: modelRow.name,
          alias: target.alias,
          version: target.version,
          replicas: settings.replicas,
          batching: JSON.stringify(settings.batching),
          instance_count: settings.instanceCount,
          device: settings.device,
          memory_estimate_bytes: settings.memoryEstimateBytes,
          target_version: targetVersion,
          created_at: at,
          updated_at: at,
          created_by: caller.principal,
        };
        await trx.insertInto('deployments').values(row).execute();
        await audit(trx, caller, 'deployment.create', name, at, {
          model,
          alias: target.alias,
          version: target.version,
          replicas: settings.replicas,
          device: settings.device,
        });
        return row.id;
      });
      return await this.#byId(id);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExistsError(`deployment "${name}" already exists`);
      throw err;
    }
  }

  async get(caller: Caller, name: string): Promise<DeploymentRecord> {
    const row = await findDeployment(this.#db, caller, name);
    return (await this.#records([row]))[0] as DeploymentRecord;
  }

  /**
   * Replaces the fields named in `mask`. Setting a non-empty alias without naming `version`
   * unpins the version (and the other way round), so switching between the two takes one field.
   */
  async update(
    caller: Caller,
    name: string,
    changes: DeploymentUpdate,
    mask: readonly string[],
  ): Promise<DeploymentRecord> {
    if (mask.length === 0) {
      throw new InvalidArgumentError(`update_mask: expected at least one of ${DEPLOYMENT_UPDATE_FIELDS.join(', ')}`);
    }
    const unknown = mask.filter((field) => !(DEPLOYMENT_UPDATE_FIELDS as readonly string[]).includes(field));
    if (unknown.length > 0) {
      throw new InvalidArgumentError(
        `update_mask: unknown field(s) ${unknown.map((f) => `"${f}"`).join(', ')}; expected ${DEPLOYMENT_UPDATE_FIELDS.join(', ')}`,
      );
    }
    const fields = new Set(mask);
    const at = this.#clock.now().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      const row = await findDeployment(trx, caller, name);
      let alias = row.alias;
      let version = row.version;
      if (fields.has('alias')) {
        alias = changes.alias === undefined || changes.alias === null || changes.alias === '' ? null : changes.alias;
        if (alias !== null && !fields.has('version')) version = null;
      }
      if (fields.has('version')) {
        version =
          changes.version === undefined || changes.version === null || changes.version === 0 ? null : changes.version;
        if (version !== null && !fields.has('alias')) alias = null;
      }
      const target = checkTarget(alias, version);
      const settings = checkSettings({
        replicas: fields.has('replicas') ? (changes.replicas ?? 0) : row.replicas,
        batching: fields.has('batching')
          ? { ...DEFAULT_BATCHING, ...changes.batching }
          : (JSON.parse(row.batching) as BatchingSettings),
        instanceCount: fields.has('instance_count') ? (changes.instanceCount ?? 0) : row.instance_count,
        device: fields.has('device') ? (changes.device ?? '') : row.device,
        memoryEstimateBytes: fields.has('memory_estimate_bytes')
          ? (changes.memoryEstimateBytes ?? 0)
          : Number(row.memory_estimate_bytes),
      });
      const modelRow = await findModel(trx, caller, row.model);
      const targetVersion = await resolveTarget(trx, modelRow, target);
      await trx
        .updateTable('deployments')
        .set({
          alias: target.alias,
          version: target.version,
          replicas: settings.replicas,
          batching: JSON.stringify(settings.batching),
          instance_count: settings.instanceCount,
          device: settings.device,
          memory_estimate_bytes: settings.memoryEstimateBytes,
          target_version: targetVersion,
          updated_at: at,
        })
        .where('id', '=', row.id)
        .execute();
      await audit(trx, caller, 'deployment.update', row.name, at, { fields: [...fields].sort() });
    });
    return this.get(caller, name);
  }

  /** Deletes the deployment and its replicas; nodes drop them at their next assignment update. */
  async delete(caller: Caller, name: string): Promise<void> {
    const at = this.#clock.now().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      const row = await findDeployment(trx, caller, name);
      await trx.deleteFrom('replicas').where('deployment_id', '=', row.id).execute();
      await trx.deleteFrom('deployments').where('id', '=', row.id).execute();
      await audit(trx, caller, 'deployment.delete', row.name, at, {});
    });
  }

  /** The caller's deployments in name order, optionally of one model only. */
  async list(
    caller: Caller,
    request: { pageSize?: number; pageToken?: string; model?: string } = {},
  ): Promise<{ deployments: DeploymentRecord[]; nextPageToken: string }> {
    const pageSize = checkPageSize(request.pageSize);
    const after = decodePageToken<string>('deployments', request.pageToken, 'string');
    let query = this.#db.selectFrom('deployments').selectAll().where('tenant', '=', caller.tenant);
    if (after !== undefined) query = query.where('name', '>', after);
    if (request.model !== undefined && request.model !== '') query = query.where('model', '=', request.model);
    const rows = await query
      .orderBy('name')
      .limit(pageSize + 1)
      .execute();
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return {
      deployments: await this.#records(page),
      nextPageToken: rows.length > pageSize && last !== undefined ? encodePageToken('deployments', last.name) : '',
    };
  }

  async #byId(id: string): Promise<DeploymentRecord> {
    const row = await this.#db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return (await this.#records([row]))[0] as DeploymentRecord;
  }

  async #records(rows: DeploymentsTable[]): Promise<DeploymentRecord[]> {
    if (rows.length === 0) return [];
    const replicas = await this.#db
      .selectFrom('replicas')
      .leftJoin('nodes', 'nodes.node_id', 'replicas.node_id')
      .select([
        'replicas.deployment_id',
        'replicas.slot',
        'replicas.version',
        'replicas.node_id',
        'replicas.state',
        'replicas.reason',
        'nodes.address',
      ])
      .where(
        'replicas.deployment_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('replicas.slot')
      .orderBy('replicas.version')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      model: row.model,
      alias: row.alias,
      version: row.version,
      replicas: row.replicas,
      batching: JSON.parse(row.batching) as BatchingSettings,
      instanceCount: row.instance_count,
      device: row.device as DeviceKind,
      memoryEstimateBytes: Number(row.memory_estimate_bytes),
      targetVersion: row.target_version,
      replicaStatus: replicas
        .filter((r) => r.deployment_id === row.id)
        .map((r) => ({
          slot: r.slot,
          version: r.version,
          nodeId: r.node_id,
          address: r.address ?? '',
          state: r.state as ReplicaStateName,
          reason: r.reason,
        })),
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    }));
  }
}

const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkDeploymentName(name: string): string {
  if (typeof name !== 'string' || !DEPLOYMENT_NAME.test(name)) {
    throw new InvalidArgumentError(
      `deployment name: expected a letter or digit then letters, digits, '.', '_' or '-' (at most 128), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

interface Target {
  alias: string | null;
  version: number | null;
}

function checkTarget(alias: string | null, version: number | null): Target {
  const hasAlias = alias !== null && alias !== '';
  const hasVersion = version !== null && version !== 0;
  if (hasAlias === hasVersion) {
    throw new InvalidArgumentError(
      `deployment: expected exactly one of alias and version, got ${hasAlias ? `alias "${alias}" and version ${version}` : 'neither'}`,
    );
  }
  return hasAlias
    ? { alias: checkAliasName(alias), version: null }
    : { alias: null, version: checkVersionNumber(version) };
}

interface Settings {
  replicas: number;
  batching: BatchingSettings;
  instanceCount: number;
  device: DeviceKind;
  memoryEstimateBytes: number;
}

function checkSettings(input: {
  replicas: number;
  batching: BatchingSettings;
  instanceCount: number;
  device: string;
  memoryEstimateBytes: number;
}): Settings {
  const { replicas, batching } = input;
  if (!Number.isSafeInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new InvalidArgumentError(`replicas: expected an integer from 1 to ${MAX_REPLICAS}, got ${replicas}`);
  }
  const instanceCount = input.instanceCount === 0 ? 1 : input.instanceCount;
  if (!Number.isSafeInteger(instanceCount) || instanceCount < 1 || instanceCount > MAX_INSTANCE_COUNT) {
    throw new InvalidArgumentError(
      `instance_count: expected an integer from 1 to ${MAX_INSTANCE_COUNT} (0 = 1), got ${input.instanceCount}`,
    );
  }
  const device = input.device === '' ? 'cpu' : input.device;
  if (device !== 'cpu' && device !== 'gpu') {
    throw new InvalidArgumentError(`device: expected "cpu" or "gpu", got ${JSON.stringify(input.device)}`);
  }
  if (!Number.isSafeInteger(input.memoryEstimateBytes) || input.memoryEstimateBytes < 0) {
    throw new InvalidArgumentError(
      `memory_estimate_bytes: expected a non-negative integer (0 = estimated from the artifact), got ${input.memoryEstimateBytes}`,
    );
  }
  const nonNegative = (value: number, field: string): number => {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`batching.${field}: expected a non-negative integer, got ${value}`);
    }
    return value;
  };
  const maxBatchSize = nonNegative(batching.maxBatchSize, 'max_batch_size');
  const preferred = batching.preferredBatchSize.map((size) => {
    if (!Number.isSafeInteger(size) || size < 1 || (maxBatchSize > 0 && size > maxBatchSize)) {
      throw new InvalidArgumentError(
        `batching.preferred_batch_size: expected integers from 1 to max_batch_size (${maxBatchSize || 'unset'}), got ${size}`,
      );
    }
    return size;
  });
  return {
    replicas,
    instanceCount,
    device,
    memoryEstimateBytes: input.memoryEstimateBytes,
    batching: {
      maxBatchSize,
      maxQueueDelayMicroseconds: nonNegative(batching.maxQueueDelayMicroseconds, 'max_queue_delay_microseconds'),
      preferredBatchSize: preferred,
      maxQueueSize: nonNegative(batching.maxQueueSize, 'max_queue_size'),
    },
  };
}

async function findModel(db: Db, caller: Caller, name: string): Promise<{ id: string; name: string }> {
  const row = await db
    .selectFrom('models')
    .select(['id', 'name'])
    .where('tenant', '=', caller.tenant)
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`model "${name}" not found`);
  return row;
}

async function findDeployment(db: Db, caller: Caller, name: string): Promise<DeploymentsTable> {
  const row = await db
    .selectFrom('deployments')
    .selectAll()
    .where('tenant', '=', caller.tenant)
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`deployment "${name}" not found`);
  return row;
}

/** The version a target means now; NotFoundError for a missing version or alias. */
async function resolveTarget(db: Db, model: { id: string; name: string }, target: Target): Promise<number> {
  if (target.version !== null) {
    const found = await db
      .selectFrom('versions')
      .select('version')
      .where('model_id', '=', model.id)
      .where('version', '=', target.version)
      .executeTakeFirst();
    if (found === undefined) throw new NotFoundError(`version ${target.version} of model "${model.name}" not found`);
    return found.version;
  }
  const alias = await db
    .selectFrom('aliases')
    .select('version')
    .where('model_id', '=', model.id)
    .where('alias', '=', target.alias ?? '')
    .executeTakeFirst();
  if (alias === undefined) throw new NotFoundError(`alias "${target.alias}" of model "${model.name}" not found`);
  return alias.version;
}

function audit(
  trx: Transaction<RegistryTables & DeploymentTables>,
  caller: Caller,
  action: string,
  name: string,
  at: string,
  details: Record<string, unknown>,
): Promise<void> {
  return writeAudit(trx, caller, { action, target: `deployment:${name}`, details, at });
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
