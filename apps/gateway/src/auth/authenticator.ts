import { createHash } from 'node:crypto';
import { UnauthenticatedError } from '@aiaas/common';
import { SYSTEM_CLOCK } from './clock';
import type { Clock } from './clock';
import { API_KEY_PREFIX } from './key-store';
import type { KeyStore } from './key-store';
import type { Principal } from './scopes';
import type { TokenIssuer } from './token-issuer';

/** Options of {@link Authenticator}. */
export interface AuthenticatorOptions {
  /**
   * How long a verified API key is trusted without reading its row again. This is also the longest
   * a key revoked on ANOTHER gateway keeps working here (revocation through this process's
   * KeyStore drops it at once). 0 turns the cache off.
   * @default 30000
   */
  cacheTtlMs?: number;
  /** The most keys cached; the oldest entry goes first. @default 10000 */
  cacheMaxEntries?: number;
  /** @default the system clock */
  clock?: Clock;
}

const MISSING = 'missing credentials: send Authorization: Bearer <key or token>';
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

interface CacheEntry {
  principal: Principal;
  until: number;
}

/**
 * Turns the `Authorization` header (REST) or `authorization` metadata value (gRPC) into a
 * {@link Principal}: `Bearer aiaas_…` is an API key, `Bearer <jwt>` an OAuth2 access token.
 */
export class Authenticator {
  readonly #keys: KeyStore;
  readonly #tokens: TokenIssuer;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  /** Keyed by SHA-256 of the presented key, so no secret sits in the heap longer than the request. */
  readonly #cache = new Map<string, CacheEntry>();

  constructor(keys: KeyStore, tokens: TokenIssuer, options: AuthenticatorOptions = {}) {
    this.#keys = keys;
    this.#tokens = tokens;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#ttlMs = options.cacheTtlMs ?? 30_000;
    this.#maxEntries = options.cacheMaxEntries ?? 10_000;
    keys.onRevoke((keyId) => this.forgetKey(keyId));
  }

  /**
   * @param value the whole header or metadata value, e.g. `Bearer aiaas_…`; undefined when absent
   * @throws UnauthenticatedError for missing, malformed or invalid credentials, saying which
   */
  async authenticate(value: string | undefined): Promise<Principal> {
    const trimmed = value?.trim() ?? '';
    if (trimmed === '') throw new UnauthenticatedError(MISSING);
    const match = /^(\S+)\s+(\S+)$/.exec(trimmed);
    if (match === null || match[1]?.toLowerCase() !== 'bearer') {
      const scheme = trimmed.split(/\s+/)[0] ?? '';
      throw new UnauthenticatedError(
        `unsupported authorization "${scheme.length > 20 ? `${scheme.slice(0, 20)}…` : scheme}": send Authorization: Bearer <key or token>`,
      );
    }
    const credential = match[2] ?? '';
    if (credential.startsWith(API_KEY_PREFIX)) return this.#apiKey(credential);
    if (JWT_SHAPE.test(credential)) return this.#tokens.verifyToken(credential);
    throw new UnauthenticatedError(`malformed credentials: expected an API key (${API_KEY_PREFIX}…) or a JWT`);
  }

  /** Drops a key from the cache (the KeyStore calls this on revoke in this process). */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.#cache) {
      if (entry.principal.principalId === keyId) this.#cache.delete(hash);
    }
  }

  async #apiKey(key: string): Promise<Principal> {
    if (this.#ttlMs <= 0) return this.#keys.verifyKey(key);
    const hash = createHash('sha256').update(key).digest('hex');
    const now = this.#clock.now();
    const hit = this.#cache.get(hash);
    if (hit !== undefined && hit.until > now) return hit.principal;
    if (hit !== undefined) this.#cache.delete(hash);
    // Failures are not cached: the store answers them the same way every time.
    const principal = await this.#keys.verifyKey(key);
    // Never past the key's own expiry: an expired key must fail on the dot, cache or not.
    const until = Math.min(now + this.#ttlMs, principal.expiresAt ?? Number.POSITIVE_INFINITY);
    this.#cache.set(hash, { principal, until });
    if (this.#cache.size > this.#maxEntries) {
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    return principal;
  }
}
