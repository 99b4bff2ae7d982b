import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { InvalidArgumentError, UnauthenticatedError, isAppError } from '@aiaas/common';
import type { AuthDb } from './auth-database';
import { SYSTEM_CLOCK } from './clock';
import type { Clock } from './clock';
import { formatScopes, parseScopes } from './scopes';
import type { Principal, Scope } from './scopes';
import { SIGNING_ALG, SigningKeyRing } from './signing-key-ring';
import type { PublicJwk } from './signing-key-ring';

/** The JWT `typ` of access tokens (RFC 9068): stops an ID token or other JWT passing as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Options of {@link TokenIssuer}. */
export interface TokenIssuerOptions {
  /** The `iss` claim: the gateway's public URL, e.g. `https://api.example.com`. */
  issuer: string;
  /** The `aud` claim every token carries and every verification demands. @default 'aiaas' */
  audience?: string;
  /** Token lifetime. Short, because tokens are checked by signature alone. @default 900 (15 minutes) */
  ttlSeconds?: number;
  /** Allowed skew between the clocks of gateways. @default 5 */
  clockToleranceSeconds?: number;
  /** How often a gateway re-reads the signing keys (another one may have rotated). @default 60000 */
  keyRefreshMs?: number;
  /** @default the system clock */
  clock?: Clock;
}

/** The body of a successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * Issues and verifies the short-lived ES256 JWTs of the OAuth2 client-credentials grant, with the
 * keys of a {@link SigningKeyRing} in the same database.
 */
export class TokenIssuer {
  /** The signing keys; `rotate()` here or through {@link TokenIssuer.rotate}. */
  readonly keyRing: SigningKeyRing;
  readonly #issuer: string;
  readonly #audience: string;
  readonly #ttlSeconds: number;
  readonly #toleranceSeconds: number;
  readonly #clock: Clock;

  constructor(db: AuthDb, options: TokenIssuerOptions) {
    this.#issuer = options.issuer;
    this.#audience = options.audience ?? 'aiaas';
    this.#ttlSeconds = options.ttlSeconds ?? 900;
    this.#toleranceSeconds = options.clockToleranceSeconds ?? 5;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    if (!Number.isInteger(this.#ttlSeconds) || this.#ttlSeconds <= 0) {
      throw new InvalidArgumentError(`token ttlSeconds: expected a positive integer, got ${this.#ttlSeconds}`);
    }
    const refreshMs = options.keyRefreshMs ?? 60_000;
    this.keyRing = new SigningKeyRing(db, {
      clock: this.#clock,
      refreshMs,
      // A retired key may still sign on another gateway for up to refreshMs, and its last token
      // lives ttl more (plus skew): keep its public half that long.
      retainMs: (this.#ttlSeconds + this.#toleranceSeconds) * 1000 + refreshMs,
    });
  }

  /** The lifetime of issued tokens, in seconds. */
  get ttlSeconds(): number {
    return this.#ttlSeconds;
  }

  /**
   * Signs an access token for a verified OAuth2 client.
   *
   * @param scopes what the token grants, already checked against the client's scopes
   *   (client-credentials.ts does); @default the client's scopes
   */
  async issueToken(client: Principal, scopes: readonly Scope[] = client.scopes): Promise<TokenResponse> {
    const { kid, privateKey } = await this.keyRing.current();
    const now = Math.floor(this.#clock.now() / 1000);
    const scope = formatScopes(scopes);
    const accessToken = await new SignJWT({ tenant: client.tenant, scope, client_id: client.principalId })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.#issuer)
      .setAudience(this.#audience)
      .setSubject(client.principalId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + this.#ttlSeconds)
      .sign(privateKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.#ttlSeconds, scope };
  }

  /**
   * Verifies an access token: signature by a published key, `typ`, issuer, audience and expiry.
   *
   * @throws UnauthenticatedError saying what was wrong (expired, bad signature, wrong issuer or
   *   audience, unknown key, malformed) — none of which helps forge a token
   */
  async verifyToken(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          const kid = header.kid;
          if (kid === undefined) throw new UnauthenticatedError('invalid token: no "kid" in its header');
          const key = await this.keyRing.verificationKey(kid);
          if (key === undefined) {
            throw new UnauthenticatedError(
              `invalid token: signed by unknown key "${kid}" (rotated out long ago, or not issued here)`,
            );
          }
          return key;
        },
        {
          issuer: this.#issuer,
          audience: this.#audience,
          algorithms: [SIGNING_ALG],
          typ: ACCESS_TOKEN_TYPE,
          currentDate: new Date(this.#clock.now()),
          clockTolerance: this.#toleranceSeconds,
          requiredClaims: ['exp', 'sub'],
        },
      ));
    } catch (err) {
      throw toUnauthenticated(err, this.#issuer, this.#audience);
    }
    const { tenant, scope, sub, exp } = payload;
    if (typeof tenant !== 'string' || typeof scope !== 'string' || sub === undefined || exp === undefined) {
      throw new UnauthenticatedError('invalid token: missing tenant, scope or subject claims');
    }
    let scopes: Scope[];
    try {
      scopes = parseScopes(scope);
    } catch {
      throw new UnauthenticatedError('invalid token: unknown scope in its "scope" claim');
    }
    return { tenant, principalId: sub, scopes, kind: 'oauth-client', expiresAt: exp * 1000 };
  }

  /** `GET /.well-known/jwks.json`: the current public key and retired ones whose tokens may still be live. */
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.keyRing.publicKeys() };
  }

  /** Starts signing with a new key; tokens signed by the old one stay valid until they expire. */
  async rotate(): Promise<string> {
    return this.keyRing.rotate();
  }
}

function toUnauthenticated(err: unknown, issuer: string, audience: string): Error {
  if (isAppError(err)) return err;
  if (err instanceof joseErrors.JWTExpired) return new UnauthenticatedError('token expired: request a new one');
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return new UnauthenticatedError(`invalid token: issuer is not "${issuer}"`);
    if (err.claim === 'aud') return new UnauthenticatedError(`invalid token: audience is not "${audience}"`);
    if (err.claim === 'typ') return new UnauthenticatedError(`invalid token: type is not "${ACCESS_TOKEN_TYPE}"`);
    return new UnauthenticatedError(
      `invalid token: claim "${err.claim}" ${err.reason === 'missing' ? 'is missing' : 'is invalid'}`,
    );
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new UnauthenticatedError('invalid token: signature verification failed');
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return new UnauthenticatedError(`invalid token: algorithm not allowed, expected ${SIGNING_ALG}`);
  }
  return new UnauthenticatedError('invalid token: not a well-formed JWT');
}
