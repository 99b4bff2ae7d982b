import { InvalidArgumentError } from '@aiaas/common';

/** The page size when none is asked for. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page size; larger requests get this many. */
export const MAX_PAGE_SIZE = 1000;

/**
 * Page tokens are opaque to callers: base64url of `{ k: listing, a: last key seen }`. Keyset
 * pagination (rows after the last key, in key order) keeps pages stable while rows are added or
 * removed, unlike offsets. The listing kind is in the token so that one listing's token is not
 * taken by another.
 */
export function encodePageToken(kind: string, after: string | number): string {
  return Buffer.from(JSON.stringify({ k: kind, a: after }), 'utf8').toString('base64url');
}

/** The last key of the previous page, or undefined for the first page (no or empty token). */
export function decodePageToken<T extends string | number>(
  kind: string,
  token: string | undefined,
  type: T extends string ? 'string' : 'number',
): T | undefined {
  if (token === undefined || token === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const body = parsed as { k?: unknown; a?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || body.k !== kind || typeof body.a !== type) {
    throw new InvalidArgumentError(
      `page token: expected a token returned by the previous ${kind} page, got "${token.slice(0, 80)}"`,
    );
  }
  return body.a as T;
}

/** Checks a requested page size: undefined or 0 means the default; larger than the maximum is capped. */
export function checkPageSize(pageSize: number | undefined): number {
  if (pageSize === undefined || pageSize === 0) return DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(pageSize) || pageSize < 0) {
    throw new InvalidArgumentError(
      `page size: expected a non-negative integer (0 for the default ${DEFAULT_PAGE_SIZE}), got ${pageSize}`,
    );
  }
  return Math.min(pageSize, MAX_PAGE_SIZE);
}
