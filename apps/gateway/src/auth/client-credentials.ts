import { isAppError } from '@aiaas/common';
import type { KeyStore } from './key-store';
import { parseScopes, scopesAllowed } from './scopes';
import type { Scope } from './scopes';
import type { TokenIssuer, TokenResponse } from './token-issuer';

/** The error codes of RFC 6749 §5.2 that this endpoint answers. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/** An OAuth2 error body (RFC 6749 §5.2). */
export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

/** What `POST /oauth/token` received, as the HTTP layer hands it over. */
export interface TokenHttpRequest {
  /** The Content-Type header, parameters included. */
  contentType?: string;
  /** The raw body, or one a framework already parsed into an object. */
  body: string | Uint8Array | Record<string, unknown> | undefined;
  /** The Authorization header, for HTTP Basic client authentication. */
  authorization?: string;
}

/** What the HTTP layer sends back: status, headers and a JSON body. */
export interface TokenHttpResponse {
  status: 200 | 400 | 401;
  headers: Record<string, string>;
  body: TokenResponse | OAuthErrorBody;
}

/** A well-formed client-credentials request, not yet authenticated. */
export interface ClientCredentialsGrant {
  clientId: string;
  clientSecret: string;
  /** The `scope` parameter, when the client asked for less than all its scopes. */
  scopes?: Scope[];
  /** Whether the credentials came in an Authorization: Basic header. */
  viaBasic: boolean;
}

// Tokens and errors must never be cached by a proxy (RFC 6749 §5.1).
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const REALM = 'Basic realm="aiaas", charset="UTF-8"';

/**
 * Parses a token request: `grant_type=client_credentials` with `client_id`/`client_secret` in the
 * body (form-encoded or JSON) or in HTTP Basic auth — exactly one of the two (RFC 6749 §2.3).
 * Returns the grant, or the error response to send.
 */
export function parseTokenRequest(
  request: TokenHttpRequest,
): { ok: true; grant: ClientCredentialsGrant } | { ok: false; response: TokenHttpResponse } {
  const params = readParams(request);
  if (typeof params === 'string') return { ok: false, response: oauthError('invalid_request', params) };

  const grantType = params.get('grant_type');
  if (grantType === undefined) {
    return { ok: false, response: oauthError('invalid_request', 'missing grant_type: expected client_credentials') };
  }
  if (grantType !== 'client_credentials') {
    return {
      ok: false,
      response: oauthError(
        'unsupported_grant_type',
        `grant_type "${grantType}" is not supported: expected client_credentials`,
      ),
    };
  }

  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const authorization = request.authorization?.trim() ?? '';
  let clientId: string;
  let clientSecret: string;
  let viaBasic = false;
  if (authorization !== '') {
    const basic = parseBasic(authorization);
    if (typeof basic === 'string') return { ok: false, response: oauthError('invalid_client', basic) };
    if (bodySecret !== undefined) {
      return {
        ok: false,
        response: oauthError(
          'invalid_request',
          'client credentials sent both in Authorization and in the body: use one',
        ),
      };
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      return {
        ok: false,
        response: oauthError('invalid_request', 'client_id in the body differs from the one in Authorization'),
      };
    }
    ({ clientId, clientSecret } = basic);
    viaBasic = true;
  } else {
    if (bodyId === undefined || bodyId === '' || bodySecret === undefined || bodySecret === '') {
      return {
        ok: false,
        response: oauthError(
          'invalid_client',
          'missing client credentials: send client_id and client_secret in the body or in Authorization: Basic',
        ),
      };
    }
    clientId = bodyId;
    clientSecret = bodySecret;
  }

  const scope = params.get('scope');
  let scopes: Scope[] | undefined;
  if (scope !== undefined && scope.trim() !== '') {
    try {
      scopes = parseScopes(scope);
    } catch (err) {
      return { ok: false, response: oauthError('invalid_scope', err instanceof Error ? err.message : 'invalid scope') };
    }
  }
  return { ok: true, grant: { clientId, clientSecret, viaBasic, ...(scopes === undefined ? {} : { scopes }) } };
}

/**
 * The whole `POST /oauth/token`: parse, verify the client, check the requested scopes, issue.
 * Store failures other than bad credentials propagate, for the HTTP layer's error mapper.
 */
export async function handleTokenRequest(
  request: TokenHttpRequest,
  deps: { keys: KeyStore; tokens: TokenIssuer },
): Promise<TokenHttpResponse> {
  const parsed = parseTokenRequest(request);
  if (!parsed.ok) return parsed.response;
  const { grant } = parsed;
  let client;
  try {
    client = await deps.keys.verifyClient(grant.clientId, grant.clientSecret);
  } catch (err) {
    if (isAppError(err) && err.code === 'UNAUTHENTICATED') {
      return oauthError('invalid_client', 'client authentication failed');
    }
    throw err;
  }
  const scopes = grant.scopes ?? client.scopes;
  if (!scopesAllowed(client.scopes, scopes)) {
    return oauthError(
      'invalid_scope',
      `requested scope "${scopes.join(' ')}" exceeds the client's scopes "${client.scopes.join(' ')}"`,
    );
  }
  return { status: 200, headers: { ...NO_STORE }, body: await deps.tokens.issueToken(client, scopes) };
}

/** An RFC 6749 error response: 401 with a Basic challenge for invalid_client, else 400. */
export function oauthError(error: OAuthErrorCode, description: string): TokenHttpResponse {
  const status = error === 'invalid_client' ? 401 : 400;
  const headers: Record<string, string> = { ...NO_STORE };
  // RFC 6749 §5.2: a failed Basic authentication answers 401 with WWW-Authenticate. We send it on
  // every invalid_client, as most servers do, so clients learn that Basic is accepted.
  if (status === 401) headers['www-authenticate'] = REALM;
  return { status, headers, body: { error, error_description: description } };
}

/** The body's parameters, each at most once, or a description of what is wrong with it. */
function readParams(request: TokenHttpRequest): Map<string, string> | string {
  const { body } = request;
  const mediaType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const params = new Map<string, string>();
  if (body !== undefined && typeof body === 'object' && !(body instanceof Uint8Array)) {
    return fromObject(body, params);
  }
  const text = body === undefined ? '' : typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (mediaType === 'application/x-www-form-urlencoded') {
    for (const [name, value] of new URLSearchParams(text)) {
      if (params.has(name)) return `parameter "${name}" is repeated: each may appear once`;
      params.set(name, value);
    }
    return params;
  }
  if (mediaType === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return 'body is not valid JSON';
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'JSON body must be an object';
    return fromObject(parsed as Record<string, unknown>, params);
  }
  return `unsupported Content-Type "${mediaType}": expected application/x-www-form-urlencoded or application/json`;
}

function fromObject(body: Record<string, unknown>, params: Map<string, string>): Map<string, string> | string {
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `parameter "${name}" must be a string`;
    params.set(name, value);
  }
  return params;
}

/** Decodes `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function parseBasic(authorization: string): { clientId: string; clientSecret: string } | string {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (match === null) return 'Authorization on the token endpoint must be Basic <base64(client_id:client_secret)>';
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'Basic credentials must be client_id:client_secret';
  try {
    const clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    const clientSecret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    if (clientId === '' || clientSecret === '') return 'Basic credentials must be client_id:client_secret';
    return { clientId, clientSecret };
  } catch {
    return 'Basic credentials are not valid form-encoding';
  }
}
