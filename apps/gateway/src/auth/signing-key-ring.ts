import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JWK, KeyLike } from 'jose';
import { toIso } from './auth-database';
import type { AuthDb, AuthSigningKeysTable } from './auth-database';
import { SYSTEM_CLOCK } from './clock';
import type { Clock } from './clock';

/** The JWS algorithm of every signing key: ECDSA P-256, small keys and signatures, in every JWT library. */
export const SIGNING_ALG = 'ES256';

/** A public key as `GET /.well-known/jwks.json` publishes it. */
export interface PublicJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

/** Options of {@link SigningKeyRing}. */
export interface SigningKeyRingOptions {
  /**
   * How long a retired key's public half stays published and accepted: at least the longest token
   * lifetime, plus {@link refreshMs} (another gateway may sign with it until it re-reads the ring)
   * and the allowed clock skew.
   */
  retainMs: number;
  /** How old this process's copy of the ring may get before it is read again. @default 60000 */
  refreshMs?: number;
  /** @default the system clock */
  clock?: Clock;
}

interface LoadedKey {
  kid: string;
  createdAt: number;
  retiredAt: number | undefined;
  publicJwk: PublicJwk;
  privateJwk: JWK;
  publicKey?: KeyLike | Uint8Array;
  privateKey?: KeyLike | Uint8Array;
}

/** Unknown kids re-read the ring at most this often, so forged kids cannot flood the database. */
const MISS_REFRESH_MS = 1_000;

/**
 * The JWT signing keys, persisted in `auth_signing_keys` so that every gateway on one database signs
 * and verifies with the same keys. The newest unretired key signs; retired keys verify (and are
 * published) until every token they can have signed has expired, then they are deleted.
 */
export class SigningKeyRing {
  readonly #db: AuthDb;
  readonly #clock: Clock;
  readonly #retainMs: number;
  readonly #refreshMs: number;
  #keys: LoadedKey[] = [];
  #loadedAt = Number.NEGATIVE_INFINITY;

  constructor(db: AuthDb, options: SigningKeyRingOptions) {
    this.#db = db;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#retainMs = options.retainMs;
    this.#refreshMs = options.refreshMs ?? 60_000;
  }

  /** The key that signs now: created on first use when the ring is empty. */
  async current(): Promise<{ kid: string; privateKey: KeyLike | Uint8Array }> {
    await this.#refreshIfStale();
    let key = this.#newestActive();
    if (key === undefined) {
      await this.#insertKey();
      await this.#load();
      key = this.#newestActive();
      if (key === undefined) throw new Error('signing key ring: no active key after creating one');
    }
    key.privateKey ??= await importJWK(key.privateJwk, SIGNING_ALG);
    return { kid: key.kid, privateKey: key.privateKey };
  }

  /**
   * Makes a new key current and retires the others: they keep verifying (and stay in the JWKS)
   * for `retainMs`, so tokens they signed stay valid until they expire.
   * @returns the new key's kid
   */
  async rotate(): Promise<string> {
    const now = toIso(this.#clock.now());
    const kid = await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable('auth_signing_keys').set({ retired_at: now }).where('retired_at', 'is', null).execute();
      return insertKey(trx, now);
    });
    await this.#load();
    return kid;
  }

  /** The public keys that verify now: the current one and retired ones within their retention. */
  async publicKeys(): Promise<PublicJwk[]> {
    await this.#refreshIfStale();
    if (this.#newestActive() === undefined) await this.current();
    return this.#live().map((key) => key.publicJwk);
  }

  /** The public key with this kid, if it still verifies; re-reads the ring once for a kid not seen yet. */
  async verificationKey(kid: string): Promise<KeyLike | Uint8Array | undefined> {
    await this.#refreshIfStale();
    let key = this.#live().find((k) => k.kid === kid);
    if (key === undefined && this.#clock.now() - this.#loadedAt >= MISS_REFRESH_MS) {
      // Another gateway may have rotated since this one last read the ring.
      await this.#load();
      key = this.#live().find((k) => k.kid === kid);
    }
    if (key === undefined) return undefined;
    key.publicKey ??= await importJWK(key.publicJwk, SIGNING_ALG);
    return key.publicKey;
  }

  #live(): LoadedKey[] {
    const now = this.#clock.now();
    return this.#keys.filter((k) => k.retiredAt === undefined || k.retiredAt + this.#retainMs > now);
  }

  #newestActive(): LoadedKey | undefined {
    // Rows are loaded newest first; racing first starts may leave two active keys: the newest signs.
    return this.#keys.find((k) => k.retiredAt === undefined);
  }

  async #refreshIfStale(): Promise<void> {
    if (this.#clock.now() - this.#loadedAt >= this.#refreshMs) await this.#load();
  }

  async #load(): Promise<void> {
    const now = this.#clock.now();
    // Keys past their retention verify nothing any more: drop them for good.
    await this.#db
      .deleteFrom('auth_signing_keys')
      .where('retired_at', 'is not', null)
      .where('retired_at', '<=', toIso(now - this.#retainMs))
      .execute();
    const rows = await this.#db
      .selectFrom('auth_signing_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .execute();
    const previous = new Map(this.#keys.map((k) => [k.kid, k]));
    this.#keys = rows.map((row) => toLoaded(row, previous.get(row.kid)));
    this.#loadedAt = now;
  }

  async #insertKey(): Promise<void> {
    await insertKey(this.#db, toIso(this.#clock.now()));
  }
}

async function insertKey(db: AuthDb, createdAt: string): Promise<string> {
  const kid = randomBytes(12).toString('base64url');
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk: PublicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG };
  await db
    .insertInto('auth_signing_keys')
    .values({
      kid,
      alg: SIGNING_ALG,
      public_jwk: JSON.stringify(publicJwk),
      private_jwk: JSON.stringify(privateJwk),
      created_at: createdAt,
      retired_at: null,
    })
    .execute();
  return kid;
}

function toLoaded(row: AuthSigningKeysTable, previous: LoadedKey | undefined): LoadedKey {
  return {
    kid: row.kid,
    createdAt: Date.parse(row.created_at),
    retiredAt: row.retired_at === null ? undefined : Date.parse(row.retired_at),
    publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
    privateJwk: JSON.parse(row.private_jwk) as JWK,
    // Imported keys are reused across reloads: importing costs more than the query.
    ...(previous?.publicKey === undefined ? {} : { publicKey: previous.publicKey }),
    ...(previous?.privateKey === undefined ? {} : { privateKey: previous.privateKey }),
  };
}
