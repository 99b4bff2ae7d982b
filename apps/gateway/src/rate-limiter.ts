import Redis from 'ioredis';
import { ResourceExhaustedError } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import type { Principal } from './auth/scopes';

/** One token bucket: `ratePerSecond` tokens flow in, at most `burst` are kept. 0 = no limit. */
export interface BucketSettings {
  ratePerSecond: number;
  burst: number;
}

/** Limits of {@link RateLimiter}: one bucket per credential and one per tenant. */
export interface RateLimitSettings {
  perKey: BucketSettings;
  perTenant: BucketSettings;
}

/** Where buckets live: this process, or Redis shared by every gateway. */
export interface BucketStore {
  /**
   * Takes one token from every bucket in `buckets`, or from none when any is empty (a request
   * refused by its tenant's bucket does not also spend its key's token).
   *
   * @returns 0 when taken, else the milliseconds until every bucket holds a token again
   */
  take(buckets: readonly { key: string; settings: BucketSettings }[]): Promise<number>;
  close(): Promise<void>;
}

/** Over the limit: 429 with `Retry-After` over REST, RESOURCE_EXHAUSTED over gRPC. */
export function rateLimited(retryAfterMs: number, limits: string): ResourceExhaustedError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ResourceExhaustedError(`rate limit exceeded (${limits}): retry after ${seconds} s`, {
    retry_after_seconds: seconds,
  });
}

const enabled = (settings: BucketSettings): boolean => settings.ratePerSecond > 0 && settings.burst > 0;

/**
 * Token buckets per credential (API key id or OAuth2 client id) and per tenant. Both must hold a
 * token; the request then spends one of each. Limits of 0 switch a bucket off.
 */
export class RateLimiter {
  readonly #settings: RateLimitSettings;
  readonly #store: BucketStore;

  constructor(settings: RateLimitSettings, store: BucketStore) {
    this.#settings = settings;
    this.#store = store;
  }

  /** True when at least one bucket is configured. */
  get active(): boolean {
    return enabled(this.#settings.perKey) || enabled(this.#settings.perTenant);
  }

  /**
   * Spends a token of the principal's buckets.
   *
   * @throws ResourceExhaustedError (429 / RESOURCE_EXHAUSTED) with `details.retry_after_seconds` when over the limit
   */
  async take(principal: Pick<Principal, 'tenant' | 'principalId'>): Promise<void> {
    const buckets: { key: string; settings: BucketSettings; what: string }[] = [];
    const { perKey, perTenant } = this.#settings;
    if (enabled(perKey))
      buckets.push({
        key: `key:${principal.principalId}`,
        settings: perKey,
        what: `${perKey.ratePerSecond}/s burst ${perKey.burst} per credential`,
      });
    if (enabled(perTenant))
      buckets.push({
        key: `tenant:${principal.tenant}`,
        settings: perTenant,
        what: `${perTenant.ratePerSecond}/s burst ${perTenant.burst} per tenant`,
      });
    if (buckets.length === 0) return;
    const waitMs = await this.#store.take(buckets);
    if (waitMs > 0) throw rateLimited(waitMs, buckets.map((b) => b.what).join(', '));
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}

interface BucketState {
  tokens: number;
  at: number;
}

/** Buckets in this process's memory (the default: one gateway, or limits per gateway). */
export class MemoryBucketStore implements BucketStore {
  readonly #buckets = new Map<string, BucketState>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async take(buckets: readonly { key: string; settings: BucketSettings }[]): Promise<number> {
    const now = this.#now();
    let waitMs = 0;
    const states = buckets.map(({ key, settings }) => {
      const state = this.#buckets.get(key) ?? { tokens: settings.burst, at: now };
      const tokens = Math.min(settings.burst, state.tokens + ((now - state.at) * settings.ratePerSecond) / 1000);
      if (tokens < 1) waitMs = Math.max(waitMs, ((1 - tokens) * 1000) / settings.ratePerSecond);
      return { key, tokens };
    });
    for (const { key, tokens } of states) this.#buckets.set(key, { tokens: waitMs > 0 ? tokens : tokens - 1, at: now });
    // Full buckets carry no information: drop them so idle keys do not pile up.
    if (this.#buckets.size > 10_000) this.#sweep(buckets, now);
    return Math.ceil(waitMs);
  }

  #sweep(live: readonly { key: string; settings: BucketSettings }[], now: number): void {
    const longest = Math.max(...live.map((b) => (b.settings.burst * 1000) / b.settings.ratePerSecond));
    for (const [key, state] of this.#buckets) if (now - state.at > longest) this.#buckets.delete(key);
  }

  async close(): Promise<void> {
    this.#buckets.clear();
  }
}

/**
 * Every bucket of KEYS is refilled and checked, then all spend one token or none: one script, so
 * concurrent gateways never both take the last token. The time is Redis's own (`TIME`), so
 * gateways with skewed clocks agree. ARGV: rate, burst per key in KEYS order. Answer: 0 or the
 * wait in ms.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
local tokens = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local have = tonumber(state[1])
  local at = tonumber(state[2])
  if have == nil or at == nil then have = burst; at = now end
  local refill = math.max(0, now - at) * rate / 1000
  have = math.min(burst, have + refill)
  if have < 1 then wait = math.max(wait, (1 - have) * 1000 / rate) end
  tokens[i] = have
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local left = tokens[i]
  if wait == 0 then left = left - 1 end
  redis.call('HSET', key, 'tokens', tostring(left), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
end
return math.ceil(wait)
`;

/** Options of {@link RedisBucketStore}. */
export interface RedisBucketStoreOptions {
  /** `redis://…` */
  url: string;
  /** Prefixed to every bucket key, so several deployments (or tests) share one Redis. @default 'aiaas:ratelimit:' */
  prefix?: string;
  logger: Logger;
  /** A Redis answer slower than this lets the request through. @default 250 */
  timeoutMs?: number;
}

type RedisWithTake = Redis & {
  aiaasTake(numKeys: number, ...args: (string | number)[]): Promise<number>;
};

/**
 * Buckets in Redis, shared by every gateway pointed at it. When Redis is down or slow the request
 * is let through (and logged at most every 10 s): serving needs no Redis (ARCHITECTURE.md), and a
 * rate limiter that takes inference down with it would do more harm than the traffic it holds back.
 */
export class RedisBucketStore implements BucketStore {
  readonly #redis: RedisWithTake;
  readonly #prefix: string;
  readonly #logger: Logger;
  #lastWarning = 0;

  constructor(options: RedisBucketStoreOptions) {
    this.#prefix = options.prefix ?? 'aiaas:ratelimit:';
    this.#logger = options.logger;
    const redis = new Redis(options.url, {
      // Fail fast instead of queueing commands while disconnected: the caller fails open.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.timeoutMs ?? 250,
      lazyConnect: false,
    });
    redis.on('error', (err: Error) => this.#warn(err));
    redis.defineCommand('aiaasTake', { lua: TAKE_SCRIPT });
    this.#redis = redis as RedisWithTake;
  }

  /** Resolves once connected (tests, and start-up logging); never rejects. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    if (this.#redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (ok: boolean): void => {
        clearTimeout(timer);
        this.#redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => finish(true);
      this.#redis.on('ready', onReady);
    });
  }

  async take(buckets: readonly { key: string; settings: BucketSettings }[]): Promise<number> {
    const args: (string | number)[] = [
      ...buckets.map((b) => this.#prefix + b.key),
      ...buckets.flatMap((b) => [b.settings.ratePerSecond, b.settings.burst]),
    ];
    try {
      return Number(await this.#redis.aiaasTake(buckets.length, ...args));
    } catch (err) {
      this.#warn(err as Error);
      return 0;
    }
  }

  #warn(err: Error): void {
    const now = Date.now();
    if (now - this.#lastWarning < 10_000) return;
    this.#lastWarning = now;
    this.#logger.warn({ err: err.message }, 'rate limiter: Redis unavailable, letting requests through');
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

/** The store the settings ask for: Redis when a URL is given, else memory. */
export function createBucketStore(options: {
  redisUrl: string | undefined;
  prefix?: string | undefined;
  logger: Logger;
}): BucketStore {
  if (options.redisUrl === undefined) return new MemoryBucketStore();
  return new RedisBucketStore({
    url: options.redisUrl,
    logger: options.logger,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
}
