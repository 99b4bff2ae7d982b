import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { InvalidArgumentError, NotFoundError, UnauthenticatedError } from '@aiaas/common';
import { toIso } from './auth-database';
import type { AuthApiKeysTable, AuthClientsTable, AuthDb } from './auth-database';
import { SYSTEM_CLOCK } from './clock';
import type { Clock } from './clock';
import { parseScopes } from './scopes';
import type { Principal, Scope } from './scopes';

/*
 * Why SHA-256 and not bcrypt/scrypt/argon2: those slow hashes exist to make guessing a
 * low-entropy human password expensive. Our secrets are 32 random bytes (256 bits) made by the
 * server, so a stolen table cannot be brute-forced whatever the hash, while a slow hash would cost
 * tens of milliseconds of CPU on every request that misses the authenticator's cache — an easy
 * denial of service. One SHA-256 is enough to keep the table useless to a reader; the comparison is
 * constant-time so response timing reveals nothing about the stored hash.
 */

/** Prefix of every API key: tells keys from JWTs at a glance and lets secret scanners find leaks. */
export const API_KEY_PREFIX = 'aiaas_';

/** `aiaas_<id>_<secret>`: id is 8–32 lower-case letters or digits, secret 32 bytes in base64url. */
const API_KEY_PATTERN = /^aiaas_([a-z0-9]{8,32})_([A-Za-z0-9_-]{43})$/;
const CLIENT_ID_PATTERN = /^client_[a-z0-9]{8,32}$/;
const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SECRET_BYTES = 32;
/** last_used_at is written at most this often per key: a write per request would cost more than the check. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What is known about an API key; never its secret nor its hash. */
export interface ApiKeyRecord {
  id: string;
  tenant: string;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  expiresAt?: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
}

/** What is known about an OAuth2 client; never its secret nor its hash. */
export interface ClientRecord {
  clientId: string;
  tenant: string;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  revokedAt?: Date;
}

export interface CreateKeyRequest {
  tenant: string;
  name: string;
  /** A list, or one space- or comma-separated string. */
  scopes: string | readonly string[];
  /** When the key stops working; must be in the future. @default never */
  expiresAt?: Date;
}

export interface CreateClientRequest {
  tenant: string;
  name: string;
  scopes: string | readonly string[];
}

/** Options of {@link KeyStore.ensureBootstrapAdminKey}. */
export interface BootstrapOptions {
  /** `AIAAS_BOOTSTRAP_ADMIN_KEY`: a key in the `aiaas_<id>_<secret>` format to store instead of a new one. */
  envKey?: string;
  /** @default 'admin' */
  tenant?: string;
  /** @default 'bootstrap admin' */
  name?: string;
}

/** What {@link KeyStore.ensureBootstrapAdminKey} did: `key` is only there when it was generated here. */
export type BootstrapResult =
  | { created: false }
  | { created: true; source: 'generated'; key: string; record: ApiKeyRecord }
  | { created: true; source: 'env'; record: ApiKeyRecord };

/** Options of {@link KeyStore}. */
export interface KeyStoreOptions {
  /** @default the system clock */
  clock?: Clock;
}

/** Message for every key that fails for a reason the caller must not learn (unknown, revoked, wrong secret). */
const INVALID_KEY = 'invalid API key';
const INVALID_CLIENT = 'invalid client credentials';

/**
 * API keys and OAuth2 clients, stored only as hashes. The caller migrates the database first
 * ({@link migrateAuth}).
 */
export class KeyStore {
  readonly #db: AuthDb;
  readonly #clock: Clock;
  readonly #revokeListeners = new Set<(keyId: string) => void>();

  constructor(db: AuthDb, options: KeyStoreOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  /**
   * Creates an API key. The returned `key` is the only time the secret exists outside the caller's
   * hands: show it once.
   *
   * @throws InvalidArgumentError for a bad tenant, name, scope or an expiry not in the future
   */
  async createKey(request: CreateKeyRequest): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = randomBytes(9).toString('hex');
    const secret = randomBytes(SECRET_BYTES).toString('base64url');
    const record = await this.#insertKey(id, secret, request);
    return { key: formatApiKey(id, secret), record };
  }

  /** Keys of one tenant, or of all tenants, oldest first; no secrets, no hashes. */
  async listKeys(tenant?: string): Promise<ApiKeyRecord[]> {
    let query = this.#db.selectFrom('auth_api_keys').selectAll().orderBy('created_at').orderBy('id');
    if (tenant !== undefined) query = query.where('tenant', '=', tenant);
    return (await query.execute()).map(toKeyRecord);
  }

  /**
   * Revokes a key at once for this process (listeners such as the authenticator's cache are told)
   * and for every process that next reads the row. Revoking a revoked key changes nothing.
   *
   * @param options.tenant when given, a key of another tenant reads as not found
   * @throws NotFoundError for an unknown key
   */
  async revokeKey(id: string, options: { tenant?: string } = {}): Promise<ApiKeyRecord> {
    const row = await this.#db.selectFrom('auth_api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined || (options.tenant !== undefined && row.tenant !== options.tenant)) {
      throw new NotFoundError(`API key "${id}" not found`);
    }
    if (row.revoked_at === null) {
      row.revoked_at = toIso(this.#clock.now());
      await this.#db
        .updateTable('auth_api_keys')
        .set({ revoked_at: row.revoked_at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
    }
    for (const listener of this.#revokeListeners) listener(id);
    return toKeyRecord(row);
  }

  /** Calls `listener` with the id of every key revoked through this store; returns the unsubscribe. */
  onRevoke(listener: (keyId: string) => void): () => void {
    this.#revokeListeners.add(listener);
    return () => this.#revokeListeners.delete(listener);
  }

  /**
   * Checks a presented API key.
   *
   * @throws UnauthenticatedError "invalid API key" for a malformed, unknown, revoked or wrong key —
   *   the same words for each, so a caller cannot probe which ids exist — and "API key expired"
   *   for an expired one (telling the holder to get a new key leaks nothing useful)
   */
  async verifyKey(presented: string): Promise<Principal> {
    const parsed = parseApiKey(presented);
    if (parsed === undefined) throw new UnauthenticatedError(INVALID_KEY);
    const row = await this.#db.selectFrom('auth_api_keys').selectAll().where('id', '=', parsed.id).executeTakeFirst();
    // Hash even when the row is missing, so unknown ids take as long as wrong secrets.
    const ok = secretMatches(parsed.secret, row?.secret_hash);
    if (row === undefined || !ok || row.revoked_at !== null) throw new UnauthenticatedError(INVALID_KEY);
    const now = this.#clock.now();
    const expiresAt = row.expires_at === null ? undefined : Date.parse(row.expires_at);
    if (expiresAt !== undefined && expiresAt <= now) {
      throw new UnauthenticatedError(`API key expired at ${row.expires_at}: create a new key`);
    }
    if (row.last_used_at === null || Date.parse(row.last_used_at) + LAST_USED_RESOLUTION_MS <= now) {
      await this.#db
        .updateTable('auth_api_keys')
        .set({ last_used_at: toIso(now) })
        .where('id', '=', row.id)
        .execute();
    }
    return {
      tenant: row.tenant,
      principalId: row.id,
      scopes: parseScopes(row.scopes),
      kind: 'api-key',
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
  }

  /**
   * Creates an OAuth2 client for the client-credentials grant. `clientSecret` is shown once.
   *
   * @throws InvalidArgumentError for a bad tenant, name or scope
   */
  async createClient(
    request: CreateClientRequest,
  ): Promise<{ clientId: string; clientSecret: string; record: ClientRecord }> {
    const { tenant, name, scopes } = validateOwner(request);
    const clientId = `client_${randomBytes(9).toString('hex')}`;
    const clientSecret = randomBytes(SECRET_BYTES).toString('base64url');
    const row: AuthClientsTable = {
      id: clientId,
      tenant,
      name,
      scopes: scopes.join(' '),
      secret_hash: hashSecret(clientSecret),
      created_at: toIso(this.#clock.now()),
      revoked_at: null,
    };
    await this.#db.insertInto('auth_clients').values(row).execute();
    return { clientId, clientSecret, record: toClientRecord(row) };
  }

  /** Clients of one tenant, or of all, oldest first; no secrets, no hashes. */
  async listClients(tenant?: string): Promise<ClientRecord[]> {
    let query = this.#db.selectFrom('auth_clients').selectAll().orderBy('created_at').orderBy('id');
    if (tenant !== undefined) query = query.where('tenant', '=', tenant);
    return (await query.execute()).map(toClientRecord);
  }

  /**
   * Checks client credentials (the token endpoint's job).
   *
   * @throws UnauthenticatedError "invalid client credentials" for an unknown, revoked or wrong client
   */
  async verifyClient(clientId: string, clientSecret: string): Promise<Principal> {
    const row = CLIENT_ID_PATTERN.test(clientId)
      ? await this.#db.selectFrom('auth_clients').selectAll().where('id', '=', clientId).executeTakeFirst()
      : undefined;
    const ok = secretMatches(clientSecret, row?.secret_hash);
    if (row === undefined || !ok || row.revoked_at !== null) throw new UnauthenticatedError(INVALID_CLIENT);
    return { tenant: row.tenant, principalId: row.id, scopes: parseScopes(row.scopes), kind: 'oauth-client' };
  }

  /**
   * Revokes a client: it gets no new tokens. Tokens already issued stay valid until they expire
   * (15 minutes by default): they are checked by signature alone.
   *
   * @throws NotFoundError for an unknown client (or another tenant's, when `tenant` is given)
   */
  async revokeClient(clientId: string, options: { tenant?: string } = {}): Promise<ClientRecord> {
    const row = await this.#db.selectFrom('auth_clients').selectAll().where('id', '=', clientId).executeTakeFirst();
    if (row === undefined || (options.tenant !== undefined && row.tenant !== options.tenant)) {
      throw new NotFoundError(`OAuth2 client "${clientId}" not found`);
    }
    if (row.revoked_at === null) {
      row.revoked_at = toIso(this.#clock.now());
      await this.#db
        .updateTable('auth_clients')
        .set({ revoked_at: row.revoked_at })
        .where('id', '=', clientId)
        .execute();
    }
    return toClientRecord(row);
  }

  /**
   * On a store with no API keys at all (revoked ones count: an operator who revoked every key did
   * so on purpose), creates an admin key and returns it so the caller can print it once; or
   * stores `envKey` (`AIAAS_BOOTSTRAP_ADMIN_KEY`) instead, whose secret the operator already has.
   * Gateways starting together on one database create one key between them: a marker row with a
   * fixed primary key decides which.
   *
   * @throws InvalidArgumentError when `envKey` is not in the `aiaas_<id>_<secret>` format
   */
  async ensureBootstrapAdminKey(options: BootstrapOptions = {}): Promise<BootstrapResult> {
    const tenant = options.tenant ?? 'admin';
    const name = options.name ?? 'bootstrap admin';
    let provided: { id: string; secret: string } | undefined;
    if (options.envKey !== undefined && options.envKey !== '') {
      provided = parseApiKey(options.envKey);
      if (provided === undefined) {
        throw new InvalidArgumentError(
          'AIAAS_BOOTSTRAP_ADMIN_KEY: expected aiaas_<id>_<secret> (id: 8–32 lower-case letters or digits; ' +
            'secret: 32 random bytes as 43 base64url characters), got a value of another shape',
        );
      }
    }
    const id = provided?.id ?? randomBytes(9).toString('hex');
    const secret = provided?.secret ?? randomBytes(SECRET_BYTES).toString('base64url');
    try {
      const record = await this.#db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('auth_api_keys').select('id').limit(1).executeTakeFirst();
        if (existing !== undefined) return undefined;
        await trx
          .insertInto('auth_bootstrap')
          .values({ name: 'admin-key', key_id: id, created_at: toIso(this.#clock.now()) })
          .execute();
        return new KeyStore(trx, { clock: this.#clock }).#insertKey(id, secret, { tenant, name, scopes: ['admin'] });
      });
      if (record === undefined) return { created: false };
      return provided === undefined
        ? { created: true, source: 'generated', key: formatApiKey(id, secret), record }
        : { created: true, source: 'env', record };
    } catch (err) {
      // Another gateway won the race for the marker row: it made the key.
      const marker = await this.#db.selectFrom('auth_bootstrap').select('key_id').executeTakeFirst();
      if (marker !== undefined) return { created: false };
      throw err;
    }
  }

  async #insertKey(id: string, secret: string, request: CreateKeyRequest): Promise<ApiKeyRecord> {
    const { tenant, name, scopes } = validateOwner(request);
    const now = this.#clock.now();
    if (request.expiresAt !== undefined) {
      const at = request.expiresAt.getTime();
      if (!Number.isFinite(at) || at <= now) {
        throw new InvalidArgumentError(
          `expiresAt: expected a time in the future, got ${Number.isFinite(at) ? request.expiresAt.toISOString() : 'an invalid date'}`,
        );
      }
    }
    const row: AuthApiKeysTable = {
      id,
      tenant,
      name,
      scopes: scopes.join(' '),
      secret_hash: hashSecret(secret),
      created_at: toIso(now),
      expires_at: request.expiresAt === undefined ? null : request.expiresAt.toISOString(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.#db.insertInto('auth_api_keys').values(row).execute();
    return toKeyRecord(row);
  }
}

/** Splits `aiaas_<id>_<secret>`; undefined for anything else. */
export function parseApiKey(presented: string): { id: string; secret: string } | undefined {
  const match = API_KEY_PATTERN.exec(presented);
  if (match === null) return undefined;
  return { id: match[1] ?? '', secret: match[2] ?? '' };
}

function formatApiKey(id: string, secret: string): string {
  return `${API_KEY_PREFIX}${id}_${secret}`;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret's hash with the stored one. */
function secretMatches(secret: string, storedHash: string | undefined): boolean {
  const presented = createHash('sha256').update(secret, 'utf8').digest();
  const stored = storedHash === undefined ? undefined : Buffer.from(storedHash, 'hex');
  // A missing row is compared against zeros, so it costs the same time as a wrong secret.
  const against = stored !== undefined && stored.length === presented.length ? stored : Buffer.alloc(presented.length);
  return timingSafeEqual(presented, against) && against === stored;
}

function validateOwner(request: { tenant: string; name: string; scopes: string | readonly string[] }): {
  tenant: string;
  name: string;
  scopes: Scope[];
} {
  if (!TENANT_PATTERN.test(request.tenant)) {
    throw new InvalidArgumentError(
      `tenant: expected lower-case letters, digits and '-' (at most 63, starting with a letter or digit), got "${request.tenant}"`,
    );
  }
  const name = request.name.trim();
  if (name === '' || name.length > 200) {
    throw new InvalidArgumentError(`name: expected 1 to 200 characters, got ${name.length}`);
  }
  return { tenant: request.tenant, name, scopes: parseScopes(request.scopes) };
}

function toKeyRecord(row: AuthApiKeysTable): ApiKeyRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: new Date(row.created_at),
    ...(row.expires_at === null ? {} : { expiresAt: new Date(row.expires_at) }),
    ...(row.revoked_at === null ? {} : { revokedAt: new Date(row.revoked_at) }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: new Date(row.last_used_at) }),
  };
}

function toClientRecord(row: AuthClientsTable): ClientRecord {
  return {
    clientId: row.id,
    tenant: row.tenant,
    name: row.name,
    scopes: parseScopes(row.scopes),
    createdAt: new Date(row.created_at),
    ...(row.revoked_at === null ? {} : { revokedAt: new Date(row.revoked_at) }),
  };
}
