import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError } from '@aiaas/common';
import type { Caller } from '@aiaas/common';
import type { RegistryDb } from './database';
import { KeyedMutex } from './keyed-mutex';
import { checkPageSize, decodePageToken, encodePageToken } from './page-token';
import type { JobPass } from './job-passes';

/** Where a job is. `cancelling`: asked to stop while running; its worker stops between passes. */
export type JobStateName = 'queued' | 'running' | 'cancelling' | 'completed' | 'failed' | 'cancelled';
/** States a job never leaves. */
export const TERMINAL_JOB_STATES: readonly JobStateName[] = ['completed', 'failed', 'cancelled'];

export type JobEventKindName =
  'queued' | 'started' | 'pass_started' | 'pass_finished' | 'progress' | 'completed' | 'failed' | 'cancelled';

/** Thresholds of the validation that always runs last; absent = that check is off. */
export interface JobThresholds {
  maxAbsError?: number;
  meanRelError?: number;
  minCosine?: number;
  minTop1Agreement?: number;
}

export interface JobEventRecord {
  jobId: string;
  sequence: number;
  kind: JobEventKindName;
  at: string;
  pass: string;
  passIndex: number;
  percent: number;
  version: number;
  message: string;
  /** JSON object text, or ''. */
  details: string;
}

export interface JobRecord {
  id: string;
  tenant: string;
  principal: string;
  model: string;
  sourceVersion: number;
  passes: JobPass[];
  thresholds: JobThresholds;
  aliasOnSuccess: string;
  priority: number;
  state: JobStateName;
  resultVersion: number;
  /** JSON object text, or ''. */
  report: string;
  error: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  /** Seconds one attempt may run; 0 = the worker's default. */
  timeoutSeconds: number;
  /** The uploaded validation dataset ('' = none: inputs are generated). */
  datasetFormat: string;
  datasetSha256: string;
  /** The submitter's W3C trace context (`traceparent`, `tracestate`): a job re-queued after Redis lost it is added in it. */
  traceContext: Record<string, string>;
  /** Empty in listings. */
  events: JobEventRecord[];
}

export interface JobsTable {
  id: string;
  tenant: string;
  principal: string;
  model: string;
  source_version: number;
  passes: string;
  thresholds: string;
  alias_on_success: string;
  priority: number;
  state: string;
  result_version: number;
  report: string;
  error: string;
  attempts: number;
  created_at: string;
  updated_at: string;
  /** Migration 0005_job_options. */
  timeout_seconds: number;
  dataset_format: string;
  dataset_sha256: string;
  /** JSON object text, or ''. */
  trace_context: string;
}

export interface JobEventsTable {
  job_id: string;
  sequence: number;
  kind: string;
  at: string;
  pass: string;
  pass_index: number;
  percent: number;
  version: number;
  message: string;
  details: string;
}

/** The tables of migration 0003_jobs. */
export interface JobTables {
  jobs: JobsTable;
  job_events: JobEventsTable;
}

export interface CreateJobRequest {
  model: string;
  sourceVersion: number;
  passes: JobPass[];
  thresholds: JobThresholds;
  aliasOnSuccess: string;
  priority: number;
  /** @default 0 (the worker's default) */
  timeoutSeconds?: number;
  dataset?: { format: string; sha256: string };
  traceContext?: Record<string, string>;
}

/** An event to append, and the record changes that go with it (one transaction). */
export interface JobEventInput {
  kind: JobEventKindName;
  pass?: string;
  passIndex?: number;
  percent?: number;
  version?: number;
  message?: string;
  details?: string;
}

export interface JobChanges {
  state?: JobStateName;
  resultVersion?: number;
  report?: string;
  error?: string;
  attempts?: number;
}

/**
 * Optimization job records and their events, in the registry's database. Events are numbered per
 * job from 1 (WatchJob resumes after the last one it sent). Appends to one job are serialised by a
 * per-job lock (one registry process owns its database, as for versions).
 */
export class JobStore {
  readonly #db: Kysely<JobTables>;
  readonly #locks = new KeyedMutex();
  readonly #now: () => Date;

  constructor(db: RegistryDb, now: () => Date = () => new Date()) {
    // The jobs tables live beside the registry's (migration 0003_jobs); one connection pool serves both.
    this.#db = db as unknown as Kysely<JobTables>;
    this.#now = now;
  }

  /** Inserts a queued job with its `queued` event. */
  async create(caller: Caller, request: CreateJobRequest): Promise<JobRecord> {
    const id = randomUUID();
    const at = this.#now().toISOString();
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('jobs')
        .values({
          id,
          tenant: caller.tenant,
          principal: caller.principal,
          model: request.model,
          source_version: request.sourceVersion,
          passes: JSON.stringify(request.passes),
          thresholds: JSON.stringify(request.thresholds),
          alias_on_success: request.aliasOnSuccess,
          priority: request.priority,
          state: 'queued',
          result_version: 0,
          report: '',
          error: '',
          attempts: 0,
          created_at: at,
          updated_at: at,
          timeout_seconds: request.timeoutSeconds ?? 0,
          dataset_format: request.dataset?.format ?? '',
          dataset_sha256: request.dataset?.sha256 ?? '',
          trace_context: request.traceContext === undefined ? '' : JSON.stringify(request.traceContext),
        })
        .execute();
      await trx
        .insertInto('job_events')
        .values(eventRow(id, 1, at, { kind: 'queued' }))
        .execute();
    });
    return this.get(caller.tenant, id);
  }

  /**
   * A job with its events. `tenant` undefined = any tenant (workers' internal reports);
   * another tenant's job answers exactly like a missing one.
   */
  async get(tenant: string | undefined, id: string): Promise<JobRecord> {
    let query = this.#db.selectFrom('jobs').selectAll().where('id', '=', id);
    if (tenant !== undefined) query = query.where('tenant', '=', tenant);
    const row = await query.executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`job "${id}" not found`);
    return { ...toJobRecord(row), events: await this.events(id, 0) };
  }

  /** The job's events after `afterSequence`, in order. */
  async events(id: string, afterSequence: number): Promise<JobEventRecord[]> {
    const rows = await this.#db
      .selectFrom('job_events')
      .selectAll()
      .where('job_id', '=', id)
      .where('sequence', '>', afterSequence)
      .orderBy('sequence')
      .execute();
    return rows.map(toEventRecord);
  }

  /** The tenant's jobs, newest first, optionally of one model and/or in one state. */
  async list(
    tenant: string,
    request: { model?: string; state?: JobStateName; pageSize?: number; pageToken?: string },
  ): Promise<{ jobs: JobRecord[]; nextPageToken: string }> {
    const limit = checkPageSize(request.pageSize);
    const after = decodePageToken<string>('jobs', request.pageToken, 'string');
    let query = this.#db.selectFrom('jobs').selectAll().where('tenant', '=', tenant);
    if (request.model) query = query.where('model', '=', request.model);
    if (request.state) query = query.where('state', '=', request.state);
    if (after !== undefined) {
      // Keys are `created_at|id`: newest first, ties broken by id.
      const [createdAt = '', id = ''] = after.split('|');
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextPageToken =
      rows.length > limit && last !== undefined ? encodePageToken('jobs', `${last.created_at}|${last.id}`) : '';
    return { jobs: page.map((row) => ({ ...toJobRecord(row), events: [] })), nextPageToken };
  }

  /**
   * Every job still waiting or running (any tenant), oldest first: what the queue must hold. The
   * registry re-queues those BullMQ lost (Redis restarted empty).
   */
  async listUnfinished(): Promise<JobRecord[]> {
    const rows = await this.#db
      .selectFrom('jobs')
      .selectAll()
      .where('state', 'in', ['queued', 'running'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ ...toJobRecord(row), events: [] }));
  }

  /**
   * Appends an event and applies `changes` in one transaction, unless `allow(current)` says no
   * (then nothing is written). Returns the job as it is afterwards and whether it was written.
   */
  async append(
    id: string,
    event: JobEventInput,
    changes: JobChanges = {},
    allow: (current: JobRecord) => boolean = () => true,
  ): Promise<{ job: JobRecord; written: boolean }> {
    return this.#locks.run(id, async () => {
      const written = await this.#db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
        if (row === undefined) throw new NotFoundError(`job "${id}" not found`);
        if (!allow({ ...toJobRecord(row), events: [] })) return false;
        const last = await trx
          .selectFrom('job_events')
          .select((eb) => eb.fn.max('sequence').as('last'))
          .where('job_id', '=', id)
          .executeTakeFirst();
        const at = this.#now().toISOString();
        await trx
          .insertInto('job_events')
          .values(eventRow(id, Number(last?.last ?? 0) + 1, at, event))
          .execute();
        await trx
          .updateTable('jobs')
          .set({
            updated_at: at,
            ...(changes.state === undefined ? {} : { state: changes.state }),
            ...(changes.resultVersion === undefined ? {} : { result_version: changes.resultVersion }),
            ...(changes.report === undefined ? {} : { report: changes.report }),
            ...(changes.error === undefined ? {} : { error: changes.error }),
            ...(changes.attempts === undefined ? {} : { attempts: changes.attempts }),
          })
          .where('id', '=', id)
          .execute();
        return true;
      });
      return { job: await this.get(undefined, id), written };
    });
  }

  /** Changes the record without an event (cancelling). Returns the job afterwards. */
  async update(id: string, changes: JobChanges, allow: (current: JobRecord) => boolean): Promise<JobRecord> {
    return this.#locks.run(id, async () => {
      const row = await this.#db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) throw new NotFoundError(`job "${id}" not found`);
      if (allow({ ...toJobRecord(row), events: [] })) {
        await this.#db
          .updateTable('jobs')
          .set({ updated_at: this.#now().toISOString(), ...(changes.state ? { state: changes.state } : {}) })
          .where('id', '=', id)
          .execute();
      }
      return this.get(undefined, id);
    });
  }
}

function eventRow(jobId: string, sequence: number, at: string, event: JobEventInput): JobEventsTable {
  return {
    job_id: jobId,
    sequence,
    kind: event.kind,
    at,
    pass: event.pass ?? '',
    pass_index: event.passIndex ?? 0,
    percent: event.percent ?? 0,
    version: event.version ?? 0,
    message: event.message ?? '',
    details: event.details ?? '',
  };
}

function toJobRecord(row: JobsTable): Omit<JobRecord, 'events'> & { events: JobEventRecord[] } {
  return {
    id: row.id,
    tenant: row.tenant,
    principal: row.principal,
    model: row.model,
    sourceVersion: Number(row.source_version),
    passes: JSON.parse(row.passes) as JobPass[],
    thresholds: JSON.parse(row.thresholds) as JobThresholds,
    aliasOnSuccess: row.alias_on_success,
    priority: Number(row.priority),
    state: row.state as JobStateName,
    resultVersion: Number(row.result_version),
    report: row.report,
    error: row.error,
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    timeoutSeconds: Number(row.timeout_seconds ?? 0),
    datasetFormat: row.dataset_format ?? '',
    datasetSha256: row.dataset_sha256 ?? '',
    traceContext: row.trace_context ? (JSON.parse(row.trace_context) as Record<string, string>) : {},
    events: [],
  };
}

function toEventRecord(row: JobEventsTable): JobEventRecord {
  return {
    jobId: row.job_id,
    sequence: Number(row.sequence),
    kind: row.kind as JobEventKindName,
    at: row.at,
    pass: row.pass,
    passIndex: Number(row.pass_index),
    percent: Number(row.percent),
    version: Number(row.version),
    message: row.message,
    details: row.details,
  };
}
