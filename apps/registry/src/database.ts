import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, SqliteDriver } from 'kysely';
import type { ColumnType, DatabaseConnection, Driver, Generated, SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import { InvalidArgumentError, UnavailableError } from '@aiaas/common';
import { registryMigrations } from './migrations';

/** A model: a named, tenant-owned series of versions. JSON columns hold text in both dialects. */
export interface ModelsTable {
  id: string;
  tenant: string;
  name: string;
  description: string;
  /** JSON object of string → string. */
  tags: string;
  /** JSON object of string → string. */
  metadata: string;
  /** ISO 8601 UTC with milliseconds: sorts as text, reads the same on both dialects. */
  created_at: string;
  updated_at: string;
}

/** One immutable version of a model: a content-addressed artifact plus what was learnt from it. */
export interface VersionsTable {
  id: string;
  model_id: string;
  version: number;
  sha256: string;
  size_bytes: number;
  /** JSON of the `ModelSignature` that `inspectModel` read from the artifact. */
  signature: string;
  tags: string;
  metadata: string;
  parent_version: number | null;
  job_id: string | null;
  /** JSON array of `{ name, settings }`. */
  passes: string;
  /** JSON object. */
  metrics: string;
  created_at: string;
  created_by: string;
}

export interface AliasesTable {
  model_id: string;
  alias: string;
  version: number;
  updated_at: string;
  updated_by: string;
  /** 0 = no canary. */
  canary_version: ColumnType<number, number | undefined, number>;
  /** 0..100: the share of `model@alias` traffic canary_version takes. */
  canary_percent: ColumnType<number, number | undefined, number>;
}

export interface AuditTable {
  id: Generated<number>;
  tenant: string;
  principal: string;
  action: string;
  target: string;
  /** JSON object. */
  details: string;
  at: string;
}

/** Blobs that committed versions reference; the row goes when the last such version does. */
export interface BlobsTable {
  sha256: string;
  size_bytes: number;
  created_at: string;
}

/** The registry's tables, as Kysely sees them. */
export interface RegistryTables {
  models: ModelsTable;
  versions: VersionsTable;
  aliases: AliasesTable;
  audit: AuditTable;
  blobs: BlobsTable;
}

/** The registry's typed query layer. */
export type RegistryDb = Kysely<RegistryTables>;

export type DialectName = 'sqlite' | 'postgres';

/** Options of {@link createDatabase}. */
export interface DatabaseOptions {
  /**
   * PostgreSQL only: the schema that holds the registry's tables, created when missing and put
   * first on every connection's `search_path`. Tests use one schema each to stay apart.
   * @default 'public'
   */
  schema?: string;
  /** PostgreSQL only: the most connections the pool opens. @default 10 */
  poolSize?: number;
  /** SQLite only: how long a writer waits for another one's lock before failing. @default 5000 */
  busyTimeoutMs?: number;
}

/** The file name of the SQLite database inside the data dir. */
export const SQLITE_FILE_NAME = 'registry.db';

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens the registry database and brings its schema up to date.
 *
 * @param url `postgres://…` or `postgresql://…` for PostgreSQL; undefined or empty for the SQLite
 *   file `<dataDir>/registry.db` (WAL, foreign keys on, a busy timeout).
 * @param dataDir the registry's data dir; created when missing (SQLite only).
 * @throws UnavailableError when PostgreSQL cannot be reached, naming the server (never its password)
 * @throws InvalidArgumentError for a URL of another kind or a bad schema name
 */
export async function createDatabase(
  url: string | undefined,
  dataDir: string,
  options: DatabaseOptions = {},
): Promise<RegistryDb> {
  const db = isPostgresUrl(url) ? await openPostgres(url, options) : openSqlite(url, dataDir, options);
  try {
    await migrateToLatest(db, isPostgresUrl(url) ? (options.schema ?? 'public') : undefined);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/** Which SQL dialect a database speaks: some statements (row locks, JSON operators) differ. */
export function dialectOf(db: Kysely<unknown> | RegistryDb): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Runs every migration not yet applied; throws the first failure. */
export async function migrateToLatest(db: RegistryDb, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => registryMigrations(dialectOf(db)) },
    // Kysely looks for its bookkeeping tables in every schema unless told which one: without
    // this, a second test schema would find the first one's tables and skip creating its own.
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`registry database migration "${failed}" failed: ${describe(error)}`, { cause: error });
  }
}

function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

function openSqlite(url: string | undefined, dataDir: string, options: DatabaseOptions): RegistryDb {
  if (url !== undefined && url !== '') {
    throw new InvalidArgumentError(
      `database URL: expected postgres://… or postgresql://… (or none for SQLite under the data dir), got "${redact(url)}"`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const database = new BetterSqlite3(path.join(dataDir, SQLITE_FILE_NAME));
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  // FULL: a committed version row survives a power cut, like the fsynced blob it points to.
  database.pragma('synchronous = FULL');
  return new Kysely<RegistryTables>({
    dialect: new ImmediateSqliteDialect({ database }),
  });
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<RegistryDb> {
  const schema = options.schema ?? 'public';
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new InvalidArgumentError(
      `database schema: expected lower-case letters, digits and '_' (at most 63, not starting with a digit), got "${schema}"`,
    );
  }
  // Checked here, with one plain connection, so that a missing server reads as what it is.
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    await probe.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (err) {
    throw new UnavailableError(
      `PostgreSQL at ${redact(url)} is not reachable or refused the schema "${schema}": ${describe(err)}`,
    );
  } finally {
    await probe.end().catch(() => undefined);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema}`,
    // int8 (counts, sizes, audit ids) as numbers: exact up to 2^53, far beyond any size or count here.
    types: { getTypeParser: int8AsNumber },
  });
  return new Kysely<RegistryTables>({ dialect: new PostgresDialect({ pool }) });
}

const INT8_OID: number = pg.types.builtins.INT8;
const parseNumber = (value: string): number => Number(value);

function int8AsNumber(oid: number, format?: 'text' | 'binary'): unknown {
  if (oid === INT8_OID) return parseNumber;
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

/**
 * Every SQLite transaction starts with BEGIN IMMEDIATE: it takes the write lock at once (waiting
 * up to busy_timeout), so a transaction that reads and then writes — the next version number —
 * never fails half-way with SQLITE_BUSY when another writer got in between.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(describe).join('; ');
  return err instanceof Error ? err.message || err.name : String(err);
}
