import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { InvalidArgumentError } from '@aiaas/common';
import { migrateAuth } from './auth/auth-database';
import type { AuthDb } from './auth/auth-database';

/** The SQLite file of the auth store inside the data dir. */
export const GATEWAY_SQLITE_FILE_NAME = 'gateway.db';

/**
 * Opens and migrates the auth store: PostgreSQL at `url` (`postgres://…`), else the SQLite file
 * `<dataDir>/gateway.db`. Not the registry's `createDatabase`: that one also creates the
 * registry's tables, which have no business in the gateway's own file.
 */
export async function openGatewayDatabase(url: string | undefined, dataDir: string): Promise<AuthDb> {
  let db: AuthDb;
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new InvalidArgumentError(
        'database URL: expected postgres://… or postgresql://… (or none for SQLite under the data dir)',
      );
    }
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }) });
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
    const database = new BetterSqlite3(path.join(dataDir, GATEWAY_SQLITE_FILE_NAME));
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    db = new Kysely({ dialect: new SqliteDialect({ database }) });
  }
  try {
    await migrateAuth(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}
