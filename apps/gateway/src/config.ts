import { z } from 'zod';
import { parseWithSchema } from '@aiaas/common';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/**
 * Settings of the gateway; each comes from a CLI flag or an environment variable
 * (`AIAAS_GATEWAY_*`, plus `DATABASE_URL`, `AIAAS_INTERNAL_TOKEN`, `AIAAS_REGISTRY_ADDRESS`,
 * `AIAAS_BOOTSTRAP_ADMIN_KEY` and `REDIS_URL`, shared with other services).
 */
export const GATEWAY_CONFIG_SCHEMA = z.object({
  /** host:port of the registry whose routes the gateway follows. */
  registry: z.string().regex(/^[^\s:]+:\d+$/, 'expected HOST:PORT (the registry, e.g. 127.0.0.1:50051)'),
  /** Address to listen on. Loopback by default like every service; 0.0.0.0 to take outside traffic. @default '127.0.0.1' */
  host: z.string().min(1).default('127.0.0.1'),
  /** KServe V2 REST, OAuth2 token endpoint, JWKS, key admin. @default 8080 */
  restPort: port.default(8080),
  /** `inference.GRPCInferenceService` front door. @default 8081 */
  grpcPort: port.default(8081),
  /** GET /metrics and GET /healthz. @default 9100 */
  metricsPort: port.default(9100),
  /** Holds the SQLite auth store (`gateway.db`) when no databaseUrl. @default './.aiaas' */
  dataDir: z.string().min(1).default('./.aiaas'),
  /** `postgres://…` for the auth store in PostgreSQL (may be the registry's database: tables are prefixed `auth_`). */
  databaseUrl: optionalText,
  /** Sent to the registry and nodes in `x-aiaas-internal-token` (docs/decisions/internal-metadata.md). */
  internalToken: optionalText,
  /** A key in the `aiaas_<id>_<secret>` format stored as the admin key on first start, instead of a generated one. */
  bootstrapAdminKey: optionalText,
  /** The `iss` of issued JWTs; give every gateway of one deployment the same. @default `http://HOST:REST_PORT` */
  issuer: optionalText,
  /** Access token lifetime in seconds. @default 900 */
  tokenTtlSeconds: z.coerce.number().int().min(1).default(900),
  /** How long a verified API key is trusted without reading its row (revocation on another gateway lags this much). @default 30000 */
  keyCacheTtlMs: z.coerce.number().int().min(0).default(30_000),
  /** Largest REST inference body; bigger ones answer 413. @default 64 MiB */
  maxInferBodyBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Largest artifact `POST /v1/models/{m}/versions` streams through (ONNX's protobuf limit); bigger → 413. @default 2 GiB */
  maxUploadBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024 * 1024),
  /** Requests per second each credential (API key or OAuth2 client) may make; 0 = no per-credential limit. @default 0 */
  rateLimitKeyPerSecond: z.coerce.number().min(0).default(0),
  /** Requests a credential may make at once above its rate (bucket size); 0 = the rate rounded up. @default 0 */
  rateLimitKeyBurst: z.coerce.number().int().min(0).default(0),
  /** Requests per second all credentials of one tenant may make together; 0 = no per-tenant limit. @default 0 */
  rateLimitTenantPerSecond: z.coerce.number().min(0).default(0),
  /** Bucket size of the per-tenant limit; 0 = the rate rounded up. @default 0 */
  rateLimitTenantBurst: z.coerce.number().int().min(0).default(0),
  /** `redis://…`: rate-limit buckets live there, shared by every gateway using it; unset = in this process. */
  redisUrl: optionalText,
  /** Prefix of the rate-limit keys in Redis. @default 'aiaas:ratelimit:' */
  rateLimitRedisPrefix: z.string().min(1).default('aiaas:ratelimit:'),
  /** Largest gRPC message taken from callers and exchanged with nodes. @default 64 MiB */
  maxMessageBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Deadline of a REST call that sets none (REST has no deadline header). @default 60000 */
  restTimeoutMs: z.coerce.number().int().min(1).default(60_000),
  /** How long start-up waits for the first route table before serving anyway (not ready). @default 5000 */
  routesWaitMs: z.coerce.number().int().min(0).default(5_000),
  /** How long shutdown waits for in-flight calls. @default 10000 */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),
});

export type GatewayConfig = z.infer<typeof GATEWAY_CONFIG_SCHEMA>;

/** Reads the gateway's settings from flags (preferred) and environment variables, validating all at once. */
export function loadGatewayConfig(flags: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): GatewayConfig {
  const fromEnv = {
    registry: env['AIAAS_REGISTRY_ADDRESS'],
    host: env['AIAAS_GATEWAY_HOST'],
    restPort: env['AIAAS_GATEWAY_REST_PORT'],
    grpcPort: env['AIAAS_GATEWAY_GRPC_PORT'],
    metricsPort: env['AIAAS_GATEWAY_METRICS_PORT'],
    dataDir: env['AIAAS_GATEWAY_DATA_DIR'],
    databaseUrl: env['DATABASE_URL'],
    internalToken: env['AIAAS_INTERNAL_TOKEN'],
    bootstrapAdminKey: env['AIAAS_BOOTSTRAP_ADMIN_KEY'],
    issuer: env['AIAAS_GATEWAY_ISSUER'],
    tokenTtlSeconds: env['AIAAS_GATEWAY_TOKEN_TTL_SECONDS'],
    keyCacheTtlMs: env['AIAAS_GATEWAY_KEY_CACHE_TTL_MS'],
    maxInferBodyBytes: env['AIAAS_GATEWAY_MAX_INFER_BODY_BYTES'],
    maxMessageBytes: env['AIAAS_GATEWAY_MAX_MESSAGE_BYTES'],
    maxUploadBytes: env['AIAAS_GATEWAY_MAX_UPLOAD_BYTES'],
    rateLimitKeyPerSecond: env['AIAAS_GATEWAY_RATE_LIMIT_KEY_PER_SECOND'],
    rateLimitKeyBurst: env['AIAAS_GATEWAY_RATE_LIMIT_KEY_BURST'],
    rateLimitTenantPerSecond: env['AIAAS_GATEWAY_RATE_LIMIT_TENANT_PER_SECOND'],
    rateLimitTenantBurst: env['AIAAS_GATEWAY_RATE_LIMIT_TENANT_BURST'],
    redisUrl: env['REDIS_URL'],
    rateLimitRedisPrefix: env['AIAAS_GATEWAY_RATE_LIMIT_REDIS_PREFIX'],
    restTimeoutMs: env['AIAAS_GATEWAY_REST_TIMEOUT_MS'],
    routesWaitMs: env['AIAAS_GATEWAY_ROUTES_WAIT_MS'],
    shutdownGraceMs: env['AIAAS_GATEWAY_SHUTDOWN_GRACE_MS'],
  };
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromEnv)) if (value !== undefined && value !== '') merged[key] = value;
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  return parseWithSchema(GATEWAY_CONFIG_SCHEMA, merged, 'gateway settings');
}
