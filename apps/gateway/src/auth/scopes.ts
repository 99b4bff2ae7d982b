import { InvalidArgumentError, PermissionDeniedError } from '@aiaas/common';

/**
 * Every scope a key or client can hold. `admin` implies all the others (and managing keys,
 * clients and nodes, which no other scope allows).
 */
export const SCOPES = ['infer', 'models:read', 'models:write', 'deploy', 'jobs:write', 'jobs:read', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

const SCOPE_SET: ReadonlySet<string> = new Set(SCOPES);

/** Who a request acts for, once its credentials are verified. */
export interface Principal {
  /** The tenant every model and job of the request belongs to. */
  tenant: string;
  /** The API key id or OAuth2 client id: what audit records name. */
  principalId: string;
  /** What the principal may do; see {@link hasScope} for what `admin` implies. */
  scopes: readonly Scope[];
  kind: 'api-key' | 'oauth-client';
  /** When the credential stops being valid (ms since the epoch); absent when it never expires. */
  expiresAt?: number;
}

export function isScope(value: string): value is Scope {
  return SCOPE_SET.has(value);
}

/**
 * Parses scopes given as a list or as one space- or comma-separated string (the OAuth2 `scope`
 * parameter, a CLI flag), de-duplicated in the order of {@link SCOPES}.
 *
 * @throws InvalidArgumentError naming every unknown scope and the valid ones, or when none is given
 */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const parts = (typeof input === 'string' ? input.split(/[\s,]+/) : input.map((s) => s.trim())).filter(
    (s) => s !== '',
  );
  if (parts.length === 0) {
    throw new InvalidArgumentError(`scopes: expected at least one of ${SCOPES.join(', ')}, got none`);
  }
  const unknown = parts.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `scopes: unknown ${unknown.map((s) => `"${s}"`).join(', ')}; expected any of ${SCOPES.join(', ')}`,
    );
  }
  return SCOPES.filter((s) => parts.includes(s));
}

/** The OAuth2 form of a scope list: space-separated (RFC 6749 §3.3). */
export function formatScopes(scopes: readonly Scope[]): string {
  return scopes.join(' ');
}

/** True when the principal holds `scope`, or `admin`, which implies every scope. */
export function hasScope(principal: Pick<Principal, 'scopes'>, scope: Scope): boolean {
  return principal.scopes.includes(scope) || principal.scopes.includes('admin');
}

/**
 * Throws unless the principal holds `scope` (or `admin`).
 *
 * @throws PermissionDeniedError naming the missing scope and the ones the principal has
 */
export function requireScope(principal: Principal, scope: Scope): void {
  if (hasScope(principal, scope)) return;
  const held = principal.scopes.length > 0 ? principal.scopes.join(', ') : 'none';
  throw new PermissionDeniedError(`missing scope "${scope}": this credential has ${held}`, {
    required: scope,
    held: [...principal.scopes],
  });
}

/**
 * True when every scope in `requested` is allowed by `granted` (an admin may ask for any):
 * what a token request may narrow a client's scopes to.
 */
export function scopesAllowed(granted: readonly Scope[], requested: readonly Scope[]): boolean {
  return requested.every((s) => hasScope({ scopes: granted }, s));
}
