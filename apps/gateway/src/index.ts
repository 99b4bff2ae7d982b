// The gateway's public surface: the authentication and authorization core, and the serving gateway.
export { AUTH_MIGRATION_TABLE, AUTH_MIGRATION_LOCK_TABLE, authMigrations, migrateAuth } from './auth/auth-database';
export type {
  AuthDb,
  AuthTables,
  AuthApiKeysTable,
  AuthClientsTable,
  AuthSigningKeysTable,
  AuthBootstrapTable,
} from './auth/auth-database';
export { SYSTEM_CLOCK } from './auth/clock';
export type { Clock } from './auth/clock';
export { SCOPES, isScope, parseScopes, formatScopes, hasScope, requireScope, scopesAllowed } from './auth/scopes';
export type { Scope, Principal } from './auth/scopes';
export { API_KEY_PREFIX, KeyStore, parseApiKey } from './auth/key-store';
export type {
  ApiKeyRecord,
  ClientRecord,
  CreateKeyRequest,
  CreateClientRequest,
  BootstrapOptions,
  BootstrapResult,
  KeyStoreOptions,
} from './auth/key-store';
export { SIGNING_ALG, SigningKeyRing } from './auth/signing-key-ring';
export type { PublicJwk, SigningKeyRingOptions } from './auth/signing-key-ring';
export { ACCESS_TOKEN_TYPE, TokenIssuer } from './auth/token-issuer';
export type { TokenIssuerOptions, TokenResponse } from './auth/token-issuer';
export { Authenticator } from './auth/authenticator';
export type { AuthenticatorOptions } from './auth/authenticator';
export { parseTokenRequest, handleTokenRequest, oauthError } from './auth/client-credentials';
export type {
  OAuthErrorCode,
  OAuthErrorBody,
  TokenHttpRequest,
  TokenHttpResponse,
  ClientCredentialsGrant,
} from './auth/client-credentials';

// The serving gateway: config, core, front doors, routing.
export { GATEWAY_CONFIG_SCHEMA, loadGatewayConfig } from './config';
export type { GatewayConfig } from './config';
export { Gateway, GATEWAY_SERVER_METADATA } from './gateway';
export type { GatewayDeps, RouteCallOptions } from './gateway';
export { GATEWAY_SQLITE_FILE_NAME, openGatewayDatabase } from './gateway-database';
export { GatewayMetrics, MAX_TENANT_LABELS, NO_TENANT, OTHER_TENANT } from './gateway-metrics';
export { createFrontDoorHandlers } from './grpc-front-door';
export { ReplicaPool } from './replica-pool';
export type { ReplicaCall, ReplicaPoolOptions } from './replica-pool';
export { registerJobRoutes, jobJson, jobEventJson } from './jobs-routes';
export type { JobRoutesDeps } from './jobs-routes';
export { registerManagementRoutes } from './management-routes';
export type { ManagementRoutesDeps } from './management-routes';
export { registerOpenApi, OPENAPI_PATH, DOCS_PATH } from './openapi';
export { MemoryBucketStore, RateLimiter, RedisBucketStore, createBucketStore, rateLimited } from './rate-limiter';
export type { BucketSettings, BucketStore, RateLimitSettings, RedisBucketStoreOptions } from './rate-limiter';
export { REGISTRY_CHANNEL_OPTIONS, RegistryClients } from './registry-clients';
export { PROXIED_METHOD_SCOPES, createRegistryProxy } from './registry-proxy';
export { createRestApp } from './rest-app';
export type { RestAppDeps } from './rest-app';
export { RouteTable, modelNotFound, parseModelRef } from './route-table';
export type { ModelRef, ResolvedRoute, RouteEndpoint, RouteTableOptions } from './route-table';
export { startGateway } from './server';
export type { RunningGateway } from './server';
