import { invalidArgument } from './errors';

/** The token endpoint's answer (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** What every call asks for its `authorization` header, and tells when the server refused it. */
export interface Credentials {
  /** The `authorization` header value to send now (`Bearer …`). */
  authorization(signal?: AbortSignal): Promise<string>;
  /**
   * The server answered UNAUTHENTICATED to `used`. Returns true when fresh credentials may be
   * worth one more try (an OAuth2 token that expired or was rotated), false for a fixed API key.
   */
  rejected(used: string): boolean;
}

/** An API key: sent as is. */
export class ApiKeyCredentials implements Credentials {
  private readonly header: string;

  constructor(apiKey: string) {
    if (apiKey.trim() === '') throw invalidArgument('apiKey: expected an API key (aiaas_…), got an empty string');
    this.header = `Bearer ${apiKey.trim()}`;
  }

  async authorization(): Promise<string> {
    return this.header;
  }

  rejected(): boolean {
    return false;
  }
}

/** Fraction of a token's lifetime after which a new one is fetched (before it expires). */
export const TOKEN_REFRESH_FRACTION = 0.8;

interface CachedToken {
  header: string;
  /** When to fetch the next one. */
  refreshAt: number;
  /** When the server stops taking it. */
  expiresAt: number;
}

/**
 * OAuth2 client credentials: fetches a JWT, caches it, and fetches the next one after 80% of its
 * lifetime, so calls never carry one about to expire. Concurrent callers share one token request.
 * Should a refresh fail while the cached token is still valid, calls go on with it (the refresh
 * is tried again on the next call); once it expired, the failure is the caller's.
 */
export class ClientCredentials implements Credentials {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  /** @param fetchToken - POSTs the grant to `/oauth/token` and returns the answer (errors as AiaasError). */
  constructor(
    private readonly fetchToken: () => Promise<TokenResponse>,
    private readonly now: () => number = Date.now,
  ) {}

  async authorization(): Promise<string> {
    const cached = this.cached;
    const now = this.now();
    if (cached !== undefined && now < cached.refreshAt) return cached.header;
    try {
      return (await this.refresh()).header;
    } catch (err) {
      if (cached !== undefined && this.now() < cached.expiresAt && this.cached === cached) return cached.header;
      throw err;
    }
  }

  rejected(used: string): boolean {
    if (this.cached?.header === used) this.cached = undefined;
    return true;
  }

  private refresh(): Promise<CachedToken> {
    this.pending ??= (async () => {
      try {
        const started = this.now();
        const token = await this.fetchToken();
        if (typeof token.access_token !== 'string' || token.access_token === '') {
          throw invalidArgument('POST /oauth/token answered without an access_token');
        }
        const lifetimeMs = Math.max(1, Number(token.expires_in) || 60) * 1000;
        // Measured from before the request: the server's clock started the lifetime no later.
        const next: CachedToken = {
          header: `Bearer ${token.access_token}`,
          refreshAt: started + lifetimeMs * TOKEN_REFRESH_FRACTION,
          expiresAt: started + lifetimeMs,
        };
        this.cached = next;
        return next;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
}
