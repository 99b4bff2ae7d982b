import { Metadata } from '@grpc/grpc-js';
import { InvalidArgumentError, UnauthenticatedError } from './errors';

/** The tenant and principal a call acts for, as the gateway verified them. */
export interface Caller {
  tenant: string;
  /** Who: an API key id or an OAuth2 client id (audit records name it). */
  principal: string;
}

/** gRPC metadata keys internal services trust, set by the gateway (docs/decisions/internal-metadata.md). */
export const TENANT_METADATA_KEY = 'x-aiaas-tenant';
export const PRINCIPAL_METADATA_KEY = 'x-aiaas-principal';
export const INTERNAL_TOKEN_METADATA_KEY = 'x-aiaas-internal-token';

const TENANT_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

function single(metadata: Metadata, key: string): string | undefined {
  const values = metadata.get(key);
  const value = values[0];
  return typeof value === 'string' ? value : value?.toString('utf8');
}

/**
 * Checks the internal token (when one is configured) and nothing else: for node and gateway
 * calls that act for no tenant. A wrong or missing token is UNAUTHENTICATED.
 */
export function checkInternalToken(metadata: Metadata, internalToken: string | undefined): void {
  if (internalToken === undefined) return;
  if (single(metadata, INTERNAL_TOKEN_METADATA_KEY) !== internalToken) {
    throw new UnauthenticatedError(`internal call without a valid ${INTERNAL_TOKEN_METADATA_KEY}: only the gateway and nodes may call this service`);
  }
}

/** Reads the caller from trusted metadata after checking the internal token. */
export function readCaller(metadata: Metadata, internalToken: string | undefined): Caller {
  checkInternalToken(metadata, internalToken);
  const tenant = single(metadata, TENANT_METADATA_KEY);
  if (!tenant) throw new UnauthenticatedError(`no ${TENANT_METADATA_KEY} metadata: every call must act for a tenant`);
  if (!TENANT_PATTERN.test(tenant)) {
    throw new InvalidArgumentError(`tenant "${tenant}" is not valid: expected lower-case letters, digits and '-', at most 63`);
  }
  return { tenant, principal: single(metadata, PRINCIPAL_METADATA_KEY) ?? 'unknown' };
}

/** The metadata a trusted caller (gateway, node, CLI in local mode) sends. */
export function callerMetadata(caller: Caller | undefined, internalToken: string | undefined): Metadata {
  const metadata = new Metadata();
  if (caller) {
    metadata.set(TENANT_METADATA_KEY, caller.tenant);
    metadata.set(PRINCIPAL_METADATA_KEY, caller.principal);
  }
  if (internalToken !== undefined) metadata.set(INTERNAL_TOKEN_METADATA_KEY, internalToken);
  return metadata;
}
