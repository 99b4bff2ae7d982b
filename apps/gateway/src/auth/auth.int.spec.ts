import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { InvalidArgumentError, NotFoundError, PermissionDeniedError, UnauthenticatedError } from '@aiaas/common';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { migrateAuth } from './auth-database';
import type { AuthDb } from './auth-database';
import { Authenticator } from './authenticator';
import { handleTokenRequest } from './client-credentials';
import { KeyStore } from './key-store';
import { requireScope } from './scopes';
import { TokenIssuer } from './token-issuer';

// The same suite runs on SQLite and on a real PostgreSQL (CI starts one on 127.0.0.1:5432). A
// missing server fails the PostgreSQL half loudly: skipping would let it rot unnoticed.
const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

type Backend = 'sqlite' | 'postgres';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const ISSUER = 'https://gateway.test';

/** A clock the test moves by hand. */
class FakeClock {
  t = T0;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection, but the call succeeded');
}

const secretOf = (key: string): string => key.split('_').slice(2).join('_');
const FORM = 'application/x-www-form-urlencoded';

describe.each<Backend>(['sqlite', 'postgres'])('gateway auth on %s', (backend) => {
  const dataDir = makeTempDir('gateway-auth');
  const opened: { db: AuthDb; schema?: string }[] = [];
  let db: AuthDb;

  /** A fresh, migrated database: its own SQLite file or its own PostgreSQL schema. */
  async function openDb(): Promise<AuthDb> {
    const suffix = randomBytes(6).toString('hex');
    let fresh: AuthDb;
    if (backend === 'sqlite') {
      fresh = new Kysely({
        dialect: new SqliteDialect({ database: new BetterSqlite3(path.join(dataDir, `${suffix}.db`)) }),
      });
      opened.push({ db: fresh });
    } else {
      const schema = `test_auth_${suffix}`;
      const probe = new pg.Client({ connectionString: PG_URL });
      try {
        await probe.connect();
        await probe.query(`create schema "${schema}"`);
      } catch (err) {
        throw new Error(
          `the PostgreSQL half of the gateway auth suite needs a server at ${PG_URL} (set DATABASE_URL): ${String(err)}`,
        );
      } finally {
        await probe.end().catch(() => undefined);
      }
      const pool = new pg.Pool({ connectionString: PG_URL, max: 4, options: `-c search_path=${schema}` });
      fresh = new Kysely({ dialect: new PostgresDialect({ pool }) });
      opened.push({ db: fresh, schema });
    }
    await migrateAuth(fresh);
    return fresh;
  }

  beforeAll(async () => {
    db = await openDb();
  });

  afterAll(async () => {
    for (const { db: each, schema } of opened) {
      if (schema !== undefined) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(each);
      await each.destroy();
    }
    removeDir(dataDir);
  });

  const tenant = (): string => `t-${randomBytes(4).toString('hex')}`;

  it('migrates into its own auth_* tables with its own bookkeeping table, and again as a no-op', async () => {
    await migrateAuth(db);
    const names =
      backend === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map(
            (r) => r.name,
          )
        : (
            await sql<{
              name: string;
            }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
              db,
            )
          ).rows.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'auth_api_keys',
        'auth_clients',
        'auth_signing_keys',
        'auth_bootstrap',
        'auth_migrations',
      ]),
    );
    // The registry's bookkeeping table name stays free for the registry.
    expect(names).not.toContain('kysely_migration');
  });

  describe('API keys', () => {
    it('create → verify → list without secrets → revoke → verify fails', async () => {
      const clock = new FakeClock();
      const store = new KeyStore(db, { clock });
      const t = tenant();
      const { key, record } = await store.createKey({ tenant: t, name: 'ci', scopes: 'infer models:read' });
      expect(key).toMatch(/^aiaas_[0-9a-f]{18}_[A-Za-z0-9_-]{43}$/);
      expect(record).toEqual({
        id: key.split('_')[1],
        tenant: t,
        name: 'ci',
        scopes: ['infer', 'models:read'],
        createdAt: new Date(T0),
      });

      const principal = await store.verifyKey(key);
      expect(principal).toEqual({
        tenant: t,
        principalId: record.id,
        scopes: ['infer', 'models:read'],
        kind: 'api-key',
      });

      const listed = await store.listKeys(t);
      expect(listed).toHaveLength(1);
      expect(listed[0]?.lastUsedAt).toEqual(new Date(T0));
      const text = JSON.stringify(listed);
      expect(text).not.toContain(secretOf(key));
      expect(text).not.toContain(createHash('sha256').update(secretOf(key)).digest('hex'));
      expect(Object.keys(listed[0] ?? {}).sort()).toEqual([
        'createdAt',
        'id',
        'lastUsedAt',
        'name',
        'scopes',
        'tenant',
      ]);
      expect((await store.listKeys()).some((k) => k.id === record.id)).toBe(true);
      expect(await store.listKeys(tenant())).toEqual([]);

      const revoked = await store.revokeKey(record.id);
      expect(revoked.revokedAt).toEqual(new Date(T0));
      const err = await rejection(store.verifyKey(key));
      expect(err).toBeInstanceOf(UnauthenticatedError);
      expect(err.message).toBe('invalid API key');
      expect((await store.listKeys(t))[0]?.revokedAt).toEqual(new Date(T0));
    });

    it('stores only a SHA-256 of the secret', async () => {
      const store = new KeyStore(db);
      const { key, record } = await store.createKey({ tenant: tenant(), name: 'hash', scopes: ['infer'] });
      const row = await db
        .selectFrom('auth_api_keys')
        .selectAll()
        .where('id', '=', record.id)
        .executeTakeFirstOrThrow();
      expect(row.secret_hash).toBe(createHash('sha256').update(secretOf(key)).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(secretOf(key));
      expect(JSON.stringify(row)).not.toContain(key);
    });

    it('answers unknown, wrong-secret and malformed keys alike, and says "expired" for expired ones', async () => {
      const clock = new FakeClock();
      const store = new KeyStore(db, { clock });
      const { key, record } = await store.createKey({
        tenant: tenant(),
        name: 'short',
        scopes: ['jobs:read'],
        expiresAt: new Date(T0 + 3_600_000),
      });
      expect(record.expiresAt).toEqual(new Date(T0 + 3_600_000));
      expect((await store.verifyKey(key)).expiresAt).toBe(T0 + 3_600_000);

      const wrongSecret = `aiaas_${record.id}_${randomBytes(32).toString('base64url')}`;
      const unknownId = `aiaas_${'0'.repeat(18)}_${secretOf(key)}`;
      for (const presented of [wrongSecret, unknownId, 'aiaas_short', `${key}x`, 'nope', '', `aiaas_${record.id}_`]) {
        const err = await rejection(store.verifyKey(presented));
        expect(err).toBeInstanceOf(UnauthenticatedError);
        expect(err.message).toBe('invalid API key');
      }

      clock.advance(3_600_000);
      const expired = await rejection(store.verifyKey(key));
      expect(expired).toBeInstanceOf(UnauthenticatedError);
      expect(expired.message).toBe('API key expired at 2030-01-01T01:00:00.000Z: create a new key');
    });

    it('validates what a key is created with', async () => {
      const store = new KeyStore(db, { clock: new FakeClock() });
      const cases: [Parameters<KeyStore['createKey']>[0], string][] = [
        [{ tenant: 'Acme!', name: 'x', scopes: 'infer' }, 'tenant: expected'],
        [{ tenant: 'acme', name: ' ', scopes: 'infer' }, 'name: expected 1 to 200 characters'],
        [{ tenant: 'acme', name: 'x', scopes: 'infer sudo' }, 'unknown "sudo"'],
        [
          { tenant: 'acme', name: 'x', scopes: 'infer', expiresAt: new Date(T0 - 1) },
          'expiresAt: expected a time in the future',
        ],
      ];
      for (const [request, message] of cases) {
        const err = await rejection(store.createKey(request));
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect(err.message).toContain(message);
      }
    });

    it('scope checks: a key holds its scopes, admin holds all', async () => {
      const store = new KeyStore(db);
      const reader = await store.verifyKey(
        (await store.createKey({ tenant: tenant(), name: 'r', scopes: 'models:read' })).key,
      );
      expect(() => requireScope(reader, 'models:read')).not.toThrow();
      expect(() => requireScope(reader, 'deploy')).toThrow(PermissionDeniedError);
      expect(() => requireScope(reader, 'admin')).toThrow('missing scope "admin"');
      const admin = await store.verifyKey(
        (await store.createKey({ tenant: tenant(), name: 'a', scopes: 'admin' })).key,
      );
      expect(() => requireScope(admin, 'deploy')).not.toThrow();
      expect(() => requireScope(admin, 'jobs:write')).not.toThrow();
    });

    it("revokes with a tenant only that tenant's keys; unknown keys are not found", async () => {
      const store = new KeyStore(db);
      const { record } = await store.createKey({ tenant: tenant(), name: 'mine', scopes: 'infer' });
      expect(await rejection(store.revokeKey(record.id, { tenant: tenant() }))).toBeInstanceOf(NotFoundError);
      expect(await rejection(store.revokeKey('ffffffffffffffffff'))).toBeInstanceOf(NotFoundError);
      expect((await store.listKeys(record.tenant))[0]?.revokedAt).toBeUndefined();
    });
  });

  describe('bootstrap admin key', () => {
    it('creates one admin key on an empty store and none on the next start', async () => {
      const fresh = await openDb();
      const store = new KeyStore(fresh);
      const first = await store.ensureBootstrapAdminKey();
      expect(first.created).toBe(true);
      if (!first.created || first.source !== 'generated') throw new Error('expected a generated key');
      expect(first.record).toMatchObject({ tenant: 'admin', scopes: ['admin'], name: 'bootstrap admin' });
      expect(await store.verifyKey(first.key)).toMatchObject({ tenant: 'admin', scopes: ['admin'] });

      expect(await new KeyStore(fresh).ensureBootstrapAdminKey()).toEqual({ created: false });
      expect(await store.listKeys()).toHaveLength(1);
    });

    it('creates exactly one key when two gateways start together', async () => {
      const fresh = await openDb();
      const results = await Promise.all([
        new KeyStore(fresh).ensureBootstrapAdminKey({ tenant: 'ops' }),
        new KeyStore(fresh).ensureBootstrapAdminKey({ tenant: 'ops' }),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await new KeyStore(fresh).listKeys()).toHaveLength(1);
    });

    it('stores AIAAS_BOOTSTRAP_ADMIN_KEY instead when given, and rejects a malformed one', async () => {
      const fresh = await openDb();
      const store = new KeyStore(fresh);
      const bad = await rejection(store.ensureBootstrapAdminKey({ envKey: 'letmein' }));
      expect(bad).toBeInstanceOf(InvalidArgumentError);
      expect(bad.message).toContain('AIAAS_BOOTSTRAP_ADMIN_KEY: expected aiaas_<id>_<secret>');
      expect(bad.message).not.toContain('letmein');
      expect(await store.listKeys()).toEqual([]);

      const envKey = `aiaas_opsadmin01_${randomBytes(32).toString('base64url')}`;
      const result = await store.ensureBootstrapAdminKey({ envKey, tenant: 'ops' });
      expect(result).toMatchObject({ created: true, source: 'env', record: { id: 'opsadmin01', tenant: 'ops' } });
      expect(result).not.toHaveProperty('key');
      expect(await store.verifyKey(envKey)).toMatchObject({
        principalId: 'opsadmin01',
        tenant: 'ops',
        scopes: ['admin'],
      });
      expect(await store.ensureBootstrapAdminKey({ envKey })).toEqual({ created: false });
    });
  });

  describe('OAuth2 clients and tokens', () => {
    it('verifies and revokes clients', async () => {
      const store = new KeyStore(db);
      const t = tenant();
      const { clientId, clientSecret, record } = await store.createClient({
        tenant: t,
        name: 'svc',
        scopes: 'infer jobs:read',
      });
      expect(clientId).toMatch(/^client_[0-9a-f]{18}$/);
      expect(record).toMatchObject({ clientId, tenant: t, scopes: ['infer', 'jobs:read'] });
      const row = await db.selectFrom('auth_clients').selectAll().where('id', '=', clientId).executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(clientSecret);
      expect(await store.verifyClient(clientId, clientSecret)).toEqual({
        tenant: t,
        principalId: clientId,
        scopes: ['infer', 'jobs:read'],
        kind: 'oauth-client',
      });
      expect((await rejection(store.verifyClient(clientId, `${clientSecret}x`))).message).toBe(
        'invalid client credentials',
      );
      expect((await rejection(store.verifyClient('client_unknown0000', clientSecret))).message).toBe(
        'invalid client credentials',
      );
      await store.revokeClient(clientId);
      expect(await rejection(store.verifyClient(clientId, clientSecret))).toBeInstanceOf(UnauthenticatedError);
      expect((await store.listClients(t))[0]?.revokedAt).toBeInstanceOf(Date);
    });

    it('issues tokens for client credentials in the body (form or JSON) or in Basic auth', async () => {
      const clock = new FakeClock();
      const keys = new KeyStore(db, { clock });
      const tokens = new TokenIssuer(db, { issuer: ISSUER, clock });
      const t = tenant();
      const { clientId, clientSecret } = await keys.createClient({
        tenant: t,
        name: 'svc',
        scopes: 'infer models:read',
      });

      const form = await handleTokenRequest(
        {
          contentType: FORM,
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
          }).toString(),
        },
        { keys, tokens },
      );
      expect(form.status).toBe(200);
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'infer models:read' });
      const accessToken = (form.body as { access_token: string }).access_token;
      expect(await tokens.verifyToken(accessToken)).toEqual({
        tenant: t,
        principalId: clientId,
        scopes: ['infer', 'models:read'],
        kind: 'oauth-client',
        expiresAt: T0 + 900_000,
      });

      const json = await handleTokenRequest(
        {
          contentType: 'application/json',
          body: JSON.stringify({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
            scope: 'infer',
          }),
        },
        { keys, tokens },
      );
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ scope: 'infer' });

      const viaBasic = await handleTokenRequest(
        {
          contentType: FORM,
          body: 'grant_type=client_credentials',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        { keys, tokens },
      );
      expect(viaBasic.status).toBe(200);

      const wrong = await handleTokenRequest(
        { contentType: FORM, body: `grant_type=client_credentials&client_id=${clientId}&client_secret=nope` },
        { keys, tokens },
      );
      expect(wrong).toMatchObject({
        status: 401,
        body: { error: 'invalid_client', error_description: 'client authentication failed' },
      });
      expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);

      const tooMuch = await handleTokenRequest(
        {
          body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'deploy' },
        },
        { keys, tokens },
      );
      expect(tooMuch).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    });

    it('rejects expired, tampered, wrong-issuer, wrong-audience and unknown-kid tokens, saying which', async () => {
      const clock = new FakeClock();
      const tokens = new TokenIssuer(db, { issuer: ISSUER, clock, ttlSeconds: 60 });
      const client = {
        tenant: tenant(),
        principalId: 'client_abc12345',
        scopes: ['infer'] as const,
        kind: 'oauth-client' as const,
      };
      const { access_token: token } = await tokens.issueToken({ ...client, scopes: [...client.scopes] });
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });

      const [header, payload, signature] = token.split('.') as [string, string, string];
      const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
      expect((await rejection(tokens.verifyToken(`${header}.${payload}.${flipped}`))).message).toBe(
        'invalid token: signature verification failed',
      );
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, tenant: 'victim' })).toString('base64url');
      expect((await rejection(tokens.verifyToken(`${header}.${forged}.${signature}`))).message).toBe(
        'invalid token: signature verification failed',
      );

      const otherAudience = new TokenIssuer(db, { issuer: ISSUER, audience: 'someone-else', clock });
      const audienceErr = await rejection(otherAudience.verifyToken(token));
      expect(audienceErr).toBeInstanceOf(UnauthenticatedError);
      expect(audienceErr.message).toBe('invalid token: audience is not "someone-else"');
      const otherIssuer = new TokenIssuer(db, { issuer: 'https://elsewhere.test', clock });
      expect((await rejection(otherIssuer.verifyToken(token))).message).toBe(
        'invalid token: issuer is not "https://elsewhere.test"',
      );

      const { privateKey } = await generateKeyPair('ES256');
      const stranger = await new SignJWT({ tenant: client.tenant, scope: 'admin' })
        .setProtectedHeader({ alg: 'ES256', kid: 'not-ours', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience('aiaas')
        .setSubject('client_x')
        .setIssuedAt(Math.floor(T0 / 1000))
        .setExpirationTime(Math.floor(T0 / 1000) + 60)
        .sign(privateKey);
      const unknownKid = await rejection(tokens.verifyToken(stranger));
      expect(unknownKid).toBeInstanceOf(UnauthenticatedError);
      expect(unknownKid.message).toContain('signed by unknown key "not-ours"');
      expect((await rejection(tokens.verifyToken('a.b.c'))).message).toBe('invalid token: not a well-formed JWT');

      clock.advance(59_000);
      expect((await tokens.verifyToken(token)).tenant).toBe(client.tenant);
      clock.advance(7_000); // past 60 s plus the 5 s of allowed skew
      const expired = await rejection(tokens.verifyToken(token));
      expect(expired).toBeInstanceOf(UnauthenticatedError);
      expect(expired.message).toBe('token expired: request a new one');
    });

    it('rotation keeps old tokens valid and published until they expire, then drops the old key', async () => {
      const fresh = await openDb();
      const clock = new FakeClock();
      const gatewayA = new TokenIssuer(fresh, { issuer: ISSUER, clock, ttlSeconds: 60, keyRefreshMs: 10_000 });
      // A second gateway on the same database that has not seen the rotation.
      const gatewayB = new TokenIssuer(fresh, { issuer: ISSUER, clock, ttlSeconds: 60, keyRefreshMs: 10_000 });
      const client = {
        tenant: 'acme',
        principalId: 'client_rot12345',
        scopes: ['infer' as const],
        kind: 'oauth-client' as const,
      };

      const before = (await gatewayA.issueToken(client)).access_token;
      const oldKid = decodeProtectedHeader(before).kid;
      expect((await gatewayA.jwks()).keys.map((k) => k.kid)).toEqual([oldKid]);
      expect(await gatewayB.verifyToken(before)).toMatchObject({ tenant: 'acme' });

      clock.advance(1_000);
      const newKid = await gatewayA.rotate();
      expect(newKid).not.toBe(oldKid);
      const after = (await gatewayA.issueToken(client)).access_token;
      expect(decodeProtectedHeader(after).kid).toBe(newKid);

      const published = (await gatewayA.jwks()).keys;
      expect(published.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
      for (const jwk of published) {
        expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
        expect(jwk).not.toHaveProperty('d');
      }
      expect(await gatewayA.verifyToken(before)).toMatchObject({ principalId: 'client_rot12345' });
      // B learns the new key on first sight of its kid.
      expect(await gatewayB.verifyToken(after)).toMatchObject({ principalId: 'client_rot12345' });

      // Retention: 60 s ttl + 5 s skew + 10 s refresh after retirement.
      clock.advance(74_000);
      expect((await gatewayA.jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
      clock.advance(2_000);
      expect((await gatewayA.jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
      // The row itself goes at the next read of the ring (every keyRefreshMs).
      clock.advance(10_000);
      await gatewayA.jwks();
      const rows = await fresh.selectFrom('auth_signing_keys').select('kid').execute();
      expect(rows.map((r) => r.kid)).toEqual([newKid]);
      expect(await rejection(gatewayA.verifyToken(before))).toBeInstanceOf(UnauthenticatedError);
    });
  });

  describe('Authenticator', () => {
    it('takes Bearer API keys and Bearer JWTs, and says what is missing or malformed', async () => {
      const clock = new FakeClock();
      const keys = new KeyStore(db, { clock });
      const tokens = new TokenIssuer(db, { issuer: ISSUER, clock });
      const auth = new Authenticator(keys, tokens, { clock });
      const t = tenant();
      const { key, record } = await keys.createKey({ tenant: t, name: 'k', scopes: 'infer' });
      expect(await auth.authenticate(`Bearer ${key}`)).toMatchObject({
        kind: 'api-key',
        principalId: record.id,
        tenant: t,
      });
      expect(await auth.authenticate(`bearer   ${key} `)).toMatchObject({ kind: 'api-key' });

      const { access_token: jwt } = await tokens.issueToken({
        tenant: t,
        principalId: 'client_j1234567',
        scopes: ['deploy'],
        kind: 'oauth-client',
      });
      expect(await auth.authenticate(`Bearer ${jwt}`)).toMatchObject({
        kind: 'oauth-client',
        scopes: ['deploy'],
        tenant: t,
      });

      for (const missing of [undefined, '', '   ']) {
        const err = await rejection(auth.authenticate(missing));
        expect(err).toBeInstanceOf(UnauthenticatedError);
        expect(err.message).toBe('missing credentials: send Authorization: Bearer <key or token>');
      }
      expect((await rejection(auth.authenticate(`Basic ${key}`))).message).toBe(
        'unsupported authorization "Basic": send Authorization: Bearer <key or token>',
      );
      expect((await rejection(auth.authenticate('Bearer hello'))).message).toBe(
        'malformed credentials: expected an API key (aiaas_…) or a JWT',
      );
      expect((await rejection(auth.authenticate('Bearer aiaas_bogus'))).message).toBe('invalid API key');
    });

    it('caches verified keys: revocation here is immediate, on another gateway it waits for the cache ttl', async () => {
      const clock = new FakeClock();
      const keys = new KeyStore(db, { clock });
      const auth = new Authenticator(keys, new TokenIssuer(db, { issuer: ISSUER, clock }), {
        clock,
        cacheTtlMs: 30_000,
      });
      const elsewhere = new KeyStore(db, { clock }); // another gateway's store

      const first = await keys.createKey({ tenant: tenant(), name: 'a', scopes: 'infer' });
      await auth.authenticate(`Bearer ${first.key}`);
      await elsewhere.revokeKey(first.record.id);
      // Still cached: the row is not read again within the ttl.
      expect(await auth.authenticate(`Bearer ${first.key}`)).toMatchObject({ principalId: first.record.id });
      clock.advance(30_000);
      expect(await rejection(auth.authenticate(`Bearer ${first.key}`))).toBeInstanceOf(UnauthenticatedError);

      const second = await keys.createKey({ tenant: tenant(), name: 'b', scopes: 'infer' });
      await auth.authenticate(`Bearer ${second.key}`);
      await keys.revokeKey(second.record.id);
      expect((await rejection(auth.authenticate(`Bearer ${second.key}`))).message).toBe('invalid API key');
    });

    it('never serves a cached key past its own expiry', async () => {
      const clock = new FakeClock();
      const keys = new KeyStore(db, { clock });
      const auth = new Authenticator(keys, new TokenIssuer(db, { issuer: ISSUER, clock }), { clock });
      const { key } = await keys.createKey({
        tenant: tenant(),
        name: 'e',
        scopes: 'infer',
        expiresAt: new Date(T0 + 5_000),
      });
      await auth.authenticate(`Bearer ${key}`);
      clock.advance(5_000);
      expect((await rejection(auth.authenticate(`Bearer ${key}`))).message).toContain('API key expired');
    });
  });
});
