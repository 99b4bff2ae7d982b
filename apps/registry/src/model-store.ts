import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Transaction } from 'kysely';
import { AlreadyExistsError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from '@aiaas/common';
import { inspectModelFile } from '@aiaas/onnx';
import { writeAudit } from './audit-log';
import type { ModelSignature } from '@aiaas/onnx';
import type { BlobStore, ByteRange, StagedBlob, SweepResult } from './blob-store';
import { dialectOf } from './database';
import type { DialectName, ModelsTable, RegistryDb, RegistryTables, VersionsTable } from './database';
import { deploymentsUsingVersion } from './deployment-usage';
import { KeyedMutex } from './keyed-mutex';
import { checkPageSize, decodePageToken, encodePageToken } from './page-token';
import {
  checkAliasName,
  checkDescription,
  checkJson,
  checkMetadata,
  checkModelName,
  checkTags,
  checkVersionNumber,
  parseTagFilter,
  unsafeExternalLocation,
} from './validation';
import type { JsonValue } from './validation';

/** On whose behalf a call is made: the tenant owns models, the principal (key or client id) is audited. */
export interface Caller {
  tenant: string;
  principal: string;
}

/** The source of "now"; tests pass a fixed or stepping one. */
export interface Clock {
  now(): Date;
}

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** The largest artifact by default: protobuf cannot encode a ModelProto over 2 GiB anyway. */
export const DEFAULT_MAX_ARTIFACT_BYTES = 2 * 1024 * 1024 * 1024;

export interface ModelStoreOptions {
  /** The artifact size limit when a call gives none. @default DEFAULT_MAX_ARTIFACT_BYTES (2 GiB) */
  maxArtifactBytes?: number;
}

export interface ModelRecord {
  id: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/** One optimization pass that produced a version, with its settings. */
export interface VersionPass {
  name: string;
  settings: Record<string, JsonValue>;
}

/** Where a version came from. */
export interface VersionLineage {
  /** The version of the same model it was made from, if any. */
  parentVersion: number | null;
  /** The job that made it, if any. */
  jobId: string | null;
  passes: VersionPass[];
  /** The job's report: size, latency and accuracy deltas, free-form. */
  metrics: Record<string, JsonValue>;
}

export interface VersionRecord {
  id: string;
  model: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  signature: ModelSignature;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  lineage: VersionLineage;
  /** Aliases of the model that point at this version, sorted. */
  aliases: string[];
  createdAt: Date;
  createdBy: string;
}

export interface AliasRecord {
  alias: string;
  version: number;
  /** Another version taking {@link AliasRecord.canaryPercent} % of the alias's traffic; 0 = none. */
  canaryVersion: number;
  /** 0..100. */
  canaryPercent: number;
  updatedAt: Date;
  updatedBy: string;
}

/** A canary for {@link ModelStore.setAlias}: another version and the share (0..100) of traffic it takes. */
export interface AliasCanary {
  version: number;
  percent: number;
}

export interface AuditRecord {
  id: number;
  principal: string;
  /** `model.create`, `model.update`, `model.delete`, `version.create`, `version.delete`, `alias.set`, `alias.delete`. */
  action: string;
  /** `model`, `model/3` (a version) or `model@alias`. */
  target: string;
  details: Record<string, JsonValue>;
  at: Date;
}

export interface CreateModelRequest {
  name: string;
  description?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
}

/** Fields to replace; those left out keep their value. */
export interface UpdateModelRequest {
  description?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
}

export interface ListModelsRequest {
  /** @default 50, at most 1000 */
  pageSize?: number;
  pageToken?: string;
  /** Only models with this tag, written `key=value`. */
  tag?: string;
  /** Only models whose name starts with this. */
  namePrefix?: string;
}

export interface CreateVersionRequest {
  model: string;
  /** The `.onnx` bytes, streamed: never gathered in memory while they arrive. */
  artifact: AsyncIterable<Uint8Array> | Readable;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  /** The version of the same model this one was made from. */
  parent?: number;
  /** The job that made it: registering the same job's result again returns the first version. */
  jobId?: string;
  passes?: VersionPass[];
  metrics?: Record<string, JsonValue>;
  /** @default the store's maxArtifactBytes */
  maxBytes?: number;
}

export interface ListVersionsRequest {
  model: string;
  /** Only versions made, directly or through others, from this one (not itself). */
  descendantsOf?: number;
  pageSize?: number;
  pageToken?: string;
}

export interface PageRequest {
  pageSize?: number;
  pageToken?: string;
}

/**
 * The registry's models, versions, aliases and audit trail over one database and one blob store.
 * Every method acts for a {@link Caller} and only ever sees the caller's tenant: another tenant's
 * model answers NotFoundError worded exactly like a missing one. Every change writes an audit row
 * in the same transaction as the change.
 */
export class ModelStore {
  readonly #db: RegistryDb;
  readonly #blobs: BlobStore;
  readonly #clock: Clock;
  readonly #dialect: DialectName;
  readonly #maxArtifactBytes: number;
  /**
   * Serialises, per sha256, "commit a blob and its row" against "drop the last row and delete the
   * blob", so that a delete never removes a file that a concurrent upload has just reused.
   */
  readonly #blobLocks = new KeyedMutex();

  constructor(db: RegistryDb, blobs: BlobStore, clock: Clock = SYSTEM_CLOCK, options: ModelStoreOptions = {}) {
    this.#db = db;
    this.#blobs = blobs;
    this.#clock = clock;
    this.#dialect = dialectOf(db);
    this.#maxArtifactBytes = options.maxArtifactBytes ?? DEFAULT_MAX_ARTIFACT_BYTES;
  }

  // ---- models ----

  async createModel(caller: Caller, request: CreateModelRequest): Promise<ModelRecord> {
    checkCaller(caller);
    const name = checkModelName(request.name);
    const description = checkDescription(request.description ?? '');
    const tags = checkTags(request.tags ?? {});
    const metadata = checkMetadata(request.metadata ?? {});
    const at = this.#now();
    const row: ModelsTable = {
      id: randomUUID(),
      tenant: caller.tenant,
      name,
      description,
      tags: JSON.stringify(tags),
      metadata: JSON.stringify(metadata),
      created_at: at,
      updated_at: at,
    };
    try {
      await this.#db.transaction().execute(async (trx) => {
        await trx.insertInto('models').values(row).execute();
        await this.#audit(trx, caller, 'model.create', name, {
          description,
          tags,
          metadata,
        });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExistsError(`model "${name}" already exists`);
      throw err;
    }
    return toModelRecord(row);
  }

  async getModel(caller: Caller, name: string): Promise<ModelRecord> {
    checkCaller(caller);
    return toModelRecord(await this.#findModel(this.#db, caller, name));
  }

  /** Models of the caller's tenant in name order (byte order on both dialects). */
  async listModels(
    caller: Caller,
    request: ListModelsRequest = {},
  ): Promise<{ models: ModelRecord[]; nextPageToken: string }> {
    checkCaller(caller);
    const pageSize = checkPageSize(request.pageSize);
    const after = decodePageToken<string>('models', request.pageToken, 'string');
    const tag = request.tag === undefined || request.tag === '' ? undefined : parseTagFilter(request.tag);
    const prefix = request.namePrefix ?? '';
    let query = this.#db.selectFrom('models').selectAll().where('tenant', '=', caller.tenant);
    if (after !== undefined) query = query.where('name', '>', after);
    if (prefix !== '') query = query.where(sql<string>`substr(name, 1, ${prefix.length})`, '=', prefix);
    if (tag !== undefined) {
      // Tag keys are restricted to [A-Za-z0-9._/-] (checkTags), and bound as parameters here too.
      const extracted =
        this.#dialect === 'postgres'
          ? sql<string>`(tags::jsonb ->> ${tag.key})`
          : sql<string>`json_extract(tags, ${`$."${tag.key}"`})`;
      query = query.where(extracted, '=', tag.value);
    }
    const rows = await query
      .orderBy('name')
      .limit(pageSize + 1)
      .execute();
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return {
      models: page.map(toModelRecord),
      nextPageToken: rows.length > pageSize && last !== undefined ? encodePageToken('models', last.name) : '',
    };
  }

  async updateModel(caller: Caller, name: string, request: UpdateModelRequest): Promise<ModelRecord> {
    checkCaller(caller);
    const changes: Partial<Pick<ModelsTable, 'description' | 'tags' | 'metadata'>> = {};
    const details: Record<string, JsonValue> = {};
    if (request.description !== undefined)
      details['description'] = changes.description = checkDescription(request.description);
    if (request.tags !== undefined) {
      const tags = checkTags(request.tags);
      changes.tags = JSON.stringify(tags);
      details['tags'] = tags;
    }
    if (request.metadata !== undefined) {
      const metadata = checkMetadata(request.metadata);
      changes.metadata = JSON.stringify(metadata);
      details['metadata'] = metadata;
    }
    return this.#db.transaction().execute(async (trx) => {
      const model = await this.#findModel(trx, caller, name, true);
      const updated: ModelsTable = {
        ...model,
        ...changes,
        updated_at: this.#now(),
      };
      await trx
        .updateTable('models')
        .set({ ...changes, updated_at: updated.updated_at })
        .where('id', '=', model.id)
        .execute();
      await this.#audit(trx, caller, 'model.update', model.name, details);
      return toModelRecord(updated);
    });
  }

  /**
   * Deletes a model that has no versions. With versions it is refused (FailedPreconditionError),
   * not cascaded: versions are the system of record that deployments and lineage point at, so
   * removing them takes one deliberate DeleteVersion each.
   */
  async deleteModel(caller: Caller, name: string): Promise<void> {
    checkCaller(caller);
    await this.#db.transaction().execute(async (trx) => {
      const model = await this.#findModel(trx, caller, name, true);
      const { count } = await trx
        .selectFrom('versions')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('model_id', '=', model.id)
        .executeTakeFirstOrThrow();
      if (Number(count) > 0) {
        throw new FailedPreconditionError(
          `model "${model.name}" still has ${count} version(s); delete them before deleting the model`,
        );
      }
      await trx.deleteFrom('aliases').where('model_id', '=', model.id).execute();
      await trx.deleteFrom('models').where('id', '=', model.id).execute();
      await this.#audit(trx, caller, 'model.delete', model.name, {});
    });
  }

  // ---- versions ----

  /**
   * Stores a new version: streams the artifact into the blob store, checks that it is an ONNX
   * model whose external data (if any) stays inside its folder, then in one transaction numbers
   * it (max + 1 under a lock on the model row), inserts it and audits it. On any failure nothing
   * stays behind: no row, no temp file, and no blob unless another version has the same bytes.
   *
   * @throws NotFoundError for an unknown model (or another tenant's) or parent version
   * @throws InvalidArgumentError for an artifact that is not a usable ONNX model
   * @throws ResourceExhaustedError for an artifact over `maxBytes`
   */
  async createVersion(caller: Caller, request: CreateVersionRequest): Promise<VersionRecord> {
    checkCaller(caller);
    const tags = checkTags(request.tags ?? {});
    const metadata = checkMetadata(request.metadata ?? {});
    const parent = request.parent === undefined ? null : checkVersionNumber(request.parent, 'parent version');
    const jobId = request.jobId === undefined || request.jobId === '' ? null : checkJobId(request.jobId);
    const passes = checkPasses(request.passes ?? []);
    const metrics = request.metrics ?? {};
    const passesJson = checkJson(passes as unknown as JsonValue, 'passes');
    const metricsJson = checkJson(metrics, 'metrics');
    const model = await this.#findModel(this.#db, caller, request.model);
    // A retried job answers from the row it already made, without storing the bytes again.
    if (jobId !== null) {
      const existing = await this.#findVersionByJob(model, jobId);
      if (existing !== undefined) return existing;
    }

    const staged = await this.#blobs.put(request.artifact, {
      maxBytes: request.maxBytes ?? this.#maxArtifactBytes,
    });
    let signature: ModelSignature;
    try {
      signature = await inspectStaged(staged);
    } catch (err) {
      await this.#blobs.discard(staged);
      throw err;
    }

    const row: VersionsTable = {
      id: randomUUID(),
      model_id: model.id,
      version: 0,
      sha256: staged.sha256,
      size_bytes: staged.size,
      signature: JSON.stringify(signature),
      tags: JSON.stringify(tags),
      metadata: JSON.stringify(metadata),
      parent_version: parent,
      job_id: jobId,
      passes: passesJson,
      metrics: metricsJson,
      created_at: this.#now(),
      created_by: caller.principal,
    };
    return this.#blobLocks.run(staged.sha256, async () => {
      let committed = false;
      try {
        const outcome = await this.#db.transaction().execute(async (trx) => {
          // The row lock makes concurrent uploads to one model take turns at numbering. SQLite
          // needs none: every transaction there begins IMMEDIATE, holding the one write lock.
          await trx
            .selectFrom('models')
            .select('id')
            .where('id', '=', model.id)
            .$if(this.#dialect === 'postgres', (q) => q.forUpdate())
            .executeTakeFirstOrThrow(() => new NotFoundError(`model "${model.name}" not found`));
          if (jobId !== null) {
            const raced = await trx
              .selectFrom('versions')
              .selectAll()
              .where('model_id', '=', model.id)
              .where('job_id', '=', jobId)
              .executeTakeFirst();
            if (raced !== undefined) return { kind: 'existing' as const, row: raced };
          }
          if (parent !== null) {
            const found = await trx
              .selectFrom('versions')
              .select('version')
              .where('model_id', '=', model.id)
              .where('version', '=', parent)
              .executeTakeFirst();
            if (found === undefined)
              throw new NotFoundError(`parent version ${parent} of model "${model.name}" not found`);
          }
          const { max } = await trx
            .selectFrom('versions')
            .select((eb) => eb.fn.max<number | null>('version').as('max'))
            .where('model_id', '=', model.id)
            .executeTakeFirstOrThrow();
          row.version = Number(max ?? 0) + 1;
          await trx
            .insertInto('blobs')
            .values({
              sha256: staged.sha256,
              size_bytes: staged.size,
              created_at: row.created_at,
            })
            .onConflict((oc) => oc.column('sha256').doNothing())
            .execute();
          await trx.insertInto('versions').values(row).execute();
          await this.#audit(trx, caller, 'version.create', `${model.name}/${row.version}`, {
            sha256: row.sha256,
            sizeBytes: row.size_bytes,
            parentVersion: parent,
            jobId,
          });
          // Last, so that a failure above leaves no blob; a crash between this rename and the
          // commit leaves an unreferenced blob that sweepOrphans removes at the next start.
          await this.#blobs.commit(staged);
          committed = true;
          return { kind: 'created' as const, row };
        });
        if (outcome.kind === 'existing') await this.#blobs.discard(staged);
        return this.#toVersionRecord(this.#db, model, outcome.row);
      } catch (err) {
        if (!committed) await this.#blobs.discard(staged).catch(() => undefined);
        else if (!(await this.#isBlobReferenced(staged.sha256)))
          await this.#blobs.delete(staged.sha256).catch(() => undefined);
        if (isUniqueViolation(err) && jobId !== null) {
          // Another registry process registered the same job in between: answer with its version.
          const existing = await this.#findVersionByJob(model, jobId);
          if (existing !== undefined) return existing;
        }
        throw err;
      }
    });
  }

  async getVersion(caller: Caller, modelName: string, version: number): Promise<VersionRecord> {
    checkCaller(caller);
    const model = await this.#findModel(this.#db, caller, modelName);
    return this.#toVersionRecord(this.#db, model, await this.#findVersion(this.#db, model, version));
  }

  /** Versions in number order; with `descendantsOf`, only those made from it directly or not. */
  async listVersions(
    caller: Caller,
    request: ListVersionsRequest,
  ): Promise<{ versions: VersionRecord[]; nextPageToken: string }> {
    checkCaller(caller);
    const pageSize = checkPageSize(request.pageSize);
    const after = decodePageToken<number>('versions', request.pageToken, 'number');
    const model = await this.#findModel(this.#db, caller, request.model);
    let only: Set<number> | undefined;
    if (request.descendantsOf !== undefined) {
      const root = checkVersionNumber(request.descendantsOf, 'descendantsOf');
      await this.#findVersion(this.#db, model, root);
      const edges = await this.#db
        .selectFrom('versions')
        .select(['version', 'parent_version'])
        .where('model_id', '=', model.id)
        .execute();
      only = descendants(root, edges);
    }
    let query = this.#db.selectFrom('versions').selectAll().where('model_id', '=', model.id);
    if (after !== undefined) query = query.where('version', '>', after);
    if (only !== undefined) {
      if (only.size === 0) return { versions: [], nextPageToken: '' };
      query = query.where('version', 'in', [...only]);
    }
    const rows = await query
      .orderBy('version')
      .limit(pageSize + 1)
      .execute();
    const page = rows.slice(0, pageSize);
    const aliases = await this.#aliasesByVersion(this.#db, model.id);
    const last = page.at(-1);
    return {
      versions: page.map((row) => toVersionRecord(model.name, row, aliases.get(row.version) ?? [])),
      nextPageToken: rows.length > pageSize && last !== undefined ? encodePageToken('versions', last.version) : '',
    };
  }

  /**
   * Opens a version's artifact for reading, whole or a byte range (`end` exclusive).
   * @throws InvalidArgumentError for a range outside the artifact
   */
  async openVersionArtifact(
    caller: Caller,
    modelName: string,
    version: number,
    range?: ByteRange,
  ): Promise<{ version: VersionRecord; stream: Readable }> {
    const record = await this.getVersion(caller, modelName, version);
    const stream = await this.#blobs.openRead(record.sha256, range);
    return { version: record, stream };
  }

  /**
   * Deletes a version; refused while an alias points at it (FailedPreconditionError naming the
   * aliases). Its blob goes too once no version of any model or tenant has the same bytes.
   * Versions made from it keep their `parentVersion` number as history.
   */
  async deleteVersion(caller: Caller, modelName: string, version: number): Promise<void> {
    checkCaller(caller);
    const model = await this.#findModel(this.#db, caller, modelName);
    const found = await this.#findVersion(this.#db, model, version);
    await this.#blobLocks.run(found.sha256, async () => {
      const unreferenced = await this.#db.transaction().execute(async (trx) => {
        const current = await this.#findModel(trx, caller, modelName, true);
        const row = await this.#findVersion(trx, current, version);
        // The canary version of an alias is as much in use as its version.
        const aliases = await trx
          .selectFrom('aliases')
          .select('alias')
          .where('model_id', '=', current.id)
          .where((eb) => eb.or([eb('version', '=', row.version), eb('canary_version', '=', row.version)]))
          .orderBy('alias')
          .execute();
        if (aliases.length > 0) {
          const names = aliases.map((a) => `"${a.alias}"`).join(', ');
          throw new FailedPreconditionError(
            `version ${row.version} of model "${current.name}" is the target of alias ${names}; move or delete the alias first`,
            { aliases: aliases.map((a) => a.alias) },
          );
        }
        const deployments = await deploymentsUsingVersion(trx, current.id, row.version);
        if (deployments.length > 0) {
          const names = deployments.map((d) => `"${d}"`).join(', ');
          throw new FailedPreconditionError(
            `version ${row.version} of model "${current.name}" is used by deployment ${names}; update or delete the deployment first`,
            { deployments },
          );
        }
        await trx.deleteFrom('versions').where('id', '=', row.id).execute();
        const { count } = await trx
          .selectFrom('versions')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('sha256', '=', row.sha256)
          .executeTakeFirstOrThrow();
        const last = Number(count) === 0;
        if (last) await trx.deleteFrom('blobs').where('sha256', '=', row.sha256).execute();
        await this.#audit(trx, caller, 'version.delete', `${current.name}/${row.version}`, { sha256: row.sha256 });
        return last;
      });
      // After the commit: a rolled-back delete must still find its blob.
      if (unreferenced) await this.#blobs.delete(found.sha256);
    });
  }

  // ---- aliases ----

  /**
   * Points an alias at an existing version, creating it or moving it, with an optional canary
   * (another existing version taking `canary.percent` % of the traffic; none or version 0 = no
   * canary, which also removes one set before).
   *
   * @throws InvalidArgumentError for a percent outside 0..100, a percent without a canary
   *   version, or a canary version equal to the version
   * @throws NotFoundError when the model, the version or the canary version does not exist
   */
  async setAlias(
    caller: Caller,
    modelName: string,
    alias: string,
    version: number,
    canary: AliasCanary = { version: 0, percent: 0 },
  ): Promise<AliasRecord> {
    checkCaller(caller);
    const name = checkAliasName(alias);
    checkVersionNumber(version);
    const { version: canaryVersion, percent: canaryPercent } = checkCanary(canary, version);
    const at = this.#now();
    await this.#db.transaction().execute(async (trx) => {
      const model = await this.#findModel(trx, caller, modelName, true);
      await this.#findVersion(trx, model, version);
      if (canaryVersion !== 0) {
        await this.#findVersion(trx, model, canaryVersion).catch((err: unknown) => {
          throw err instanceof NotFoundError
            ? new NotFoundError(`canary_version ${canaryVersion} of model "${model.name}" not found`)
            : err;
        });
      }
      const previous = await trx
        .selectFrom('aliases')
        .select(['version', 'canary_version', 'canary_percent'])
        .where('model_id', '=', model.id)
        .where('alias', '=', name)
        .executeTakeFirst();
      await trx
        .insertInto('aliases')
        .values({
          model_id: model.id,
          alias: name,
          version,
          canary_version: canaryVersion,
          canary_percent: canaryPercent,
          updated_at: at,
          updated_by: caller.principal,
        })
        .onConflict((oc) =>
          oc.columns(['model_id', 'alias']).doUpdateSet({
            version,
            canary_version: canaryVersion,
            canary_percent: canaryPercent,
            updated_at: at,
            updated_by: caller.principal,
          }),
        )
        .execute();
      await this.#audit(trx, caller, 'alias.set', `${model.name}@${name}`, {
        version,
        previousVersion: previous?.version ?? null,
        ...(canaryVersion === 0 && !previous?.canary_version
          ? {}
          : {
              canaryVersion,
              canaryPercent,
              previousCanaryVersion: previous?.canary_version ?? 0,
              previousCanaryPercent: previous?.canary_percent ?? 0,
            }),
      });
    });
    return {
      alias: name,
      version,
      canaryVersion,
      canaryPercent,
      updatedAt: new Date(at),
      updatedBy: caller.principal,
    };
  }

  async deleteAlias(caller: Caller, modelName: string, alias: string): Promise<void> {
    checkCaller(caller);
    await this.#db.transaction().execute(async (trx) => {
      const model = await this.#findModel(trx, caller, modelName, true);
      const removed = await trx
        .deleteFrom('aliases')
        .where('model_id', '=', model.id)
        .where('alias', '=', alias)
        .returning('version')
        .executeTakeFirst();
      if (removed === undefined) throw new NotFoundError(`alias "${alias}" of model "${model.name}" not found`);
      await this.#audit(trx, caller, 'alias.delete', `${model.name}@${alias}`, {
        version: removed.version,
      });
    });
  }

  async listAliases(caller: Caller, modelName: string): Promise<AliasRecord[]> {
    checkCaller(caller);
    const model = await this.#findModel(this.#db, caller, modelName);
    const rows = await this.#db
      .selectFrom('aliases')
      .selectAll()
      .where('model_id', '=', model.id)
      .orderBy('alias')
      .execute();
    return rows.map((row) => ({
      alias: row.alias,
      version: row.version,
      canaryVersion: row.canary_version,
      canaryPercent: row.canary_percent,
      updatedAt: new Date(row.updated_at),
      updatedBy: row.updated_by,
    }));
  }

  /**
   * Resolves `name@alias` to the version it points at; `name@3` names version 3 directly (alias
   * names start with a letter, so the two never clash).
   */
  async resolveAlias(caller: Caller, reference: string): Promise<VersionRecord> {
    checkCaller(caller);
    const at = reference.lastIndexOf('@');
    if (at <= 0 || at === reference.length - 1) {
      throw new InvalidArgumentError(`model reference "${reference}": expected "model@alias" or "model@version"`);
    }
    const modelName = reference.slice(0, at);
    const alias = reference.slice(at + 1);
    const model = await this.#findModel(this.#db, caller, modelName);
    if (/^[0-9]+$/.test(alias)) {
      return this.#toVersionRecord(this.#db, model, await this.#findVersion(this.#db, model, Number(alias)));
    }
    const target = await this.#db
      .selectFrom('aliases')
      .select('version')
      .where('model_id', '=', model.id)
      .where('alias', '=', alias)
      .executeTakeFirst();
    if (target === undefined) throw new NotFoundError(`alias "${alias}" of model "${model.name}" not found`);
    return this.#toVersionRecord(this.#db, model, await this.#findVersion(this.#db, model, target.version));
  }

  // ---- audit and upkeep ----

  /** The caller's tenant's audit trail, newest first. */
  async listAudit(
    caller: Caller,
    request: PageRequest = {},
  ): Promise<{ entries: AuditRecord[]; nextPageToken: string }> {
    checkCaller(caller);
    const pageSize = checkPageSize(request.pageSize);
    const before = decodePageToken<number>('audit', request.pageToken, 'number');
    let query = this.#db.selectFrom('audit').selectAll().where('tenant', '=', caller.tenant);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(pageSize + 1)
      .execute();
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return {
      entries: page.map((row) => ({
        id: Number(row.id),
        principal: row.principal,
        action: row.action,
        target: row.target,
        details: JSON.parse(row.details) as Record<string, JsonValue>,
        at: new Date(row.at),
      })),
      nextPageToken: rows.length > pageSize && last !== undefined ? encodePageToken('audit', Number(last.id)) : '',
    };
  }

  /**
   * Removes what an interrupted upload can leave (temp files, blobs no version references).
   * Run it at start, before the store takes uploads: an upload in flight looks the same.
   */
  async sweepOrphans(): Promise<SweepResult> {
    const rows = await this.#db.selectFrom('versions').select('sha256').distinct().execute();
    const referenced = new Set(rows.map((row) => row.sha256));
    // Blob rows with no version (none should exist: they go in the version's transaction).
    await this.#db
      .deleteFrom('blobs')
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('versions').select('versions.id').whereRef('versions.sha256', '=', 'blobs.sha256')),
        ),
      )
      .execute();
    return this.#blobs.sweepOrphans(referenced);
  }

  // ---- helpers ----

  #now(): string {
    return this.#clock.now().toISOString();
  }

  /** The caller's model by name. Another tenant's model is reported exactly like a missing one. */
  async #findModel(
    db: RegistryDb | Transaction<RegistryTables>,
    caller: Caller,
    name: string,
    lock = false,
  ): Promise<ModelsTable> {
    const row = await db
      .selectFrom('models')
      .selectAll()
      .where('tenant', '=', caller.tenant)
      .where('name', '=', name)
      .$if(lock && this.#dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`model "${name}" not found`);
    return row;
  }

  async #findVersion(
    db: RegistryDb | Transaction<RegistryTables>,
    model: ModelsTable,
    version: number,
  ): Promise<VersionsTable> {
    checkVersionNumber(version);
    const row = await db
      .selectFrom('versions')
      .selectAll()
      .where('model_id', '=', model.id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`version ${version} of model "${model.name}" not found`);
    return row;
  }

  async #findVersionByJob(model: ModelsTable, jobId: string): Promise<VersionRecord | undefined> {
    const row = await this.#db
      .selectFrom('versions')
      .selectAll()
      .where('model_id', '=', model.id)
      .where('job_id', '=', jobId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.#toVersionRecord(this.#db, model, row);
  }

  async #isBlobReferenced(sha256: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('versions')
      .select('id')
      .where('sha256', '=', sha256)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async #aliasesByVersion(
    db: RegistryDb | Transaction<RegistryTables>,
    modelId: string,
  ): Promise<Map<number, string[]>> {
    const rows = await db
      .selectFrom('aliases')
      .select(['alias', 'version'])
      .where('model_id', '=', modelId)
      .orderBy('alias')
      .execute();
    const byVersion = new Map<number, string[]>();
    for (const row of rows) byVersion.set(row.version, [...(byVersion.get(row.version) ?? []), row.alias]);
    return byVersion;
  }

  async #toVersionRecord(
    db: RegistryDb | Transaction<RegistryTables>,
    model: ModelsTable,
    row: VersionsTable,
  ): Promise<VersionRecord> {
    const aliases = await this.#aliasesByVersion(db, model.id);
    return toVersionRecord(model.name, row, aliases.get(row.version) ?? []);
  }

  #audit(
    trx: Transaction<RegistryTables>,
    caller: Caller,
    action: string,
    target: string,
    details: Record<string, JsonValue>,
  ): Promise<void> {
    return writeAudit(trx, caller, { action, target, details, at: this.#now() });
  }
}

/** Reads the staged artifact and checks that it is an ONNX model the registry can keep. */
async function inspectStaged(staged: StagedBlob): Promise<ModelSignature> {
  // Read from the file, skipping the weights: memory stays flat whatever the artifact's size.
  let signature: ModelSignature;
  try {
    signature = await inspectModelFile(staged.tempPath);
  } catch (err) {
    if (err instanceof Error && err.name === 'OnnxFormatError') {
      throw new InvalidArgumentError(`artifact rejected: ${err.message}`);
    }
    throw err;
  }
  for (const location of signature.externalDataLocations) {
    const reason = unsafeExternalLocation(location);
    if (reason !== undefined) {
      throw new InvalidArgumentError(
        `artifact rejected: external data location ${JSON.stringify(location)} ${reason}; expected a relative path inside the model's folder`,
      );
    }
  }
  return signature;
}

function descendants(root: number, edges: { version: number; parent_version: number | null }[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const edge of edges) {
    if (edge.parent_version === null) continue;
    children.set(edge.parent_version, [...(children.get(edge.parent_version) ?? []), edge.version]);
  }
  const found = new Set<number>();
  const queue = [...(children.get(root) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (found.has(next) || next === root) continue;
    found.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

function toModelRecord(row: ModelsTable): ModelRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags) as Record<string, string>,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toVersionRecord(model: string, row: VersionsTable, aliases: string[]): VersionRecord {
  return {
    id: row.id,
    model,
    version: row.version,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    signature: JSON.parse(row.signature) as ModelSignature,
    tags: JSON.parse(row.tags) as Record<string, string>,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    lineage: {
      parentVersion: row.parent_version,
      jobId: row.job_id,
      passes: JSON.parse(row.passes) as VersionPass[],
      metrics: JSON.parse(row.metrics) as Record<string, JsonValue>,
    },
    aliases,
    createdAt: new Date(row.created_at),
    createdBy: row.created_by,
  };
}

function checkCaller(caller: Caller): void {
  if (
    typeof caller?.tenant !== 'string' ||
    caller.tenant === '' ||
    typeof caller.principal !== 'string' ||
    caller.principal === ''
  ) {
    throw new InvalidArgumentError('caller: expected a non-empty tenant and principal');
  }
}

function checkJobId(jobId: unknown): string {
  if (typeof jobId !== 'string' || jobId.length > 256) {
    throw new InvalidArgumentError(`job id: expected a string of at most 256 characters`);
  }
  return jobId;
}

function checkPasses(passes: unknown): VersionPass[] {
  if (!Array.isArray(passes)) throw new InvalidArgumentError('passes: expected an array of { name, settings }');
  return passes.map((pass: unknown, i) => {
    const candidate = pass as { name?: unknown; settings?: unknown } | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.name !== 'string' ||
      candidate.name === ''
    ) {
      throw new InvalidArgumentError(`passes[${i}]: expected { name: string, settings?: object }`);
    }
    const settings = candidate.settings ?? {};
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      throw new InvalidArgumentError(`passes[${i}].settings: expected an object`);
    }
    return {
      name: candidate.name,
      settings: settings as Record<string, JsonValue>,
    };
  });
}

/** A unique or primary-key violation, on either dialect. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Checks an alias's canary against its version; version 0 (none) leaves percent 0. */
function checkCanary(canary: AliasCanary, version: number): AliasCanary {
  const { version: canaryVersion, percent } = canary;
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new InvalidArgumentError(`canary_percent: expected an integer from 0 to 100, got ${percent}`);
  }
  if (canaryVersion === 0) {
    if (percent !== 0) {
      throw new InvalidArgumentError(
        `canary_percent ${percent} without a canary_version: set canary_version to the version that takes that share`,
      );
    }
    return { version: 0, percent: 0 };
  }
  checkVersionNumber(canaryVersion, 'canary_version');
  if (canaryVersion === version) {
    throw new InvalidArgumentError(
      `canary_version ${canaryVersion} is the alias's version: a canary must be another version`,
    );
  }
  return { version: canaryVersion, percent };
}
