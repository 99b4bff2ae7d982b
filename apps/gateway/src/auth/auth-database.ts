import { Migrator, PostgresAdapter, sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/**
 * API keys. Only a SHA-256 of the secret part is stored (see key-store.ts for why SHA-256).
 * Times are ISO 8601 UTC text with milliseconds, as in the registry: they sort as text and read
 * the same on SQLite and PostgreSQL.
 */
export interface AuthApiKeysTable {
  id: string;
  tenant: string;
  name: string;
  /** Space-separated scopes. */
  scopes: string;
  /** Hex SHA-256 of the key's secret part. */
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** OAuth2 clients (client-credentials grant); the secret is stored as a SHA-256 too. */
export interface AuthClientsTable {
  id: string;
  tenant: string;
  name: string;
  scopes: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/**
 * JWT signing keys. The private key is stored as a JWK in plain text: whoever can read this table
 * can mint tokens, so at scale the private half belongs in a KMS (see the README).
 */
export interface AuthSigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: string;
  /** When a newer key took over signing; the public half stays published a while longer. */
  retired_at: string | null;
}

/** One row that makes the bootstrap admin key a once-only event across racing gateways. */
export interface AuthBootstrapTable {
  name: string;
  key_id: string;
  created_at: string;
}

/** The gateway's auth tables, as Kysely sees them. All are prefixed `auth_` to share a database. */
export interface AuthTables {
  auth_api_keys: AuthApiKeysTable;
  auth_clients: AuthClientsTable;
  auth_signing_keys: AuthSigningKeysTable;
  auth_bootstrap: AuthBootstrapTable;
}

/**
 * The auth query layer. A Kysely opened for other tables (the registry's) is handed over as
 * `db as unknown as AuthDb`: Kysely's types are invariant in the table map, and the auth tables
 * share no name with anyone else's.
 */
export type AuthDb = Kysely<AuthTables>;

/** Kysely's bookkeeping tables for the auth migrations: not the registry's, so both can share one database. */
export const AUTH_MIGRATION_TABLE = 'auth_migrations';
export const AUTH_MIGRATION_LOCK_TABLE = 'auth_migrations_lock';

/**
 * The auth schema as migrations kept in code. Names sort in the order they apply; never edit one
 * that has shipped, add the next. Nothing here differs between SQLite and PostgreSQL.
 */
export function authMigrations(): Record<string, Migration> {
  return {
    '0001_auth_initial': {
      up: async (db: Kysely<unknown>) => {
        await db.schema
          .createTable('auth_api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('revoked_at', 'text')
          .addColumn('last_used_at', 'text')
          .execute();
        await db.schema.createIndex('auth_api_keys_tenant_index').on('auth_api_keys').column('tenant').execute();

        await db.schema
          .createTable('auth_clients')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('secret_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('revoked_at', 'text')
          .execute();

        await db.schema
          .createTable('auth_signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('alg', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('retired_at', 'text')
          .execute();

        await db.schema
          .createTable('auth_bootstrap')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}

/**
 * Brings the auth tables up to date, with Kysely's Migrator on its own bookkeeping tables
 * ({@link AUTH_MIGRATION_TABLE}) so that it never mistakes the registry's migrations for its own.
 * On PostgreSQL the bookkeeping lives in the connection's current schema: Kysely otherwise looks
 * in every schema and would find another (test) schema's tables.
 *
 * @throws Error naming the migration that failed
 */
export async function migrateAuth(db: Kysely<unknown> | AuthDb): Promise<void> {
  const anyDb = db as Kysely<unknown>;
  let migrationTableSchema: string | undefined;
  if (anyDb.getExecutor().adapter instanceof PostgresAdapter) {
    const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(anyDb);
    migrationTableSchema = result.rows[0]?.schema;
  }
  const migrator = new Migrator({
    db: anyDb,
    provider: { getMigrations: async () => authMigrations() },
    migrationTableName: AUTH_MIGRATION_TABLE,
    migrationLockTableName: AUTH_MIGRATION_LOCK_TABLE,
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`auth database migration "${failed}" failed: ${reason}`, { cause: error });
  }
}

/** ISO 8601 UTC with milliseconds, the one time format of the auth tables. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
