import { z } from 'zod';
import { parseWithSchema } from '@aiaas/common';
import { DEFAULT_MAX_ARTIFACT_BYTES } from './model-store';

const port = z.coerce.number().int().min(0).max(65535);

/**
 * Settings of the registry; each comes from a CLI flag or an environment variable
 * (`AIAAS_REGISTRY_*`, plus `DATABASE_URL` and `AIAAS_INTERNAL_TOKEN`, shared with other services).
 */
export const REGISTRY_CONFIG_SCHEMA = z.object({
  /** Holds the SQLite database (when no databaseUrl) and the artifact blobs. @default './.aiaas' */
  dataDir: z.string().min(1).default('./.aiaas'),
  /** Address to listen on: the registry is internal, loopback or a private network only. @default '127.0.0.1' */
  host: z.string().min(1).default('127.0.0.1'),
  /** @default 50051 */
  grpcPort: port.default(50051),
  /** Serves GET /metrics and GET /healthz. @default 9101 */
  metricsPort: port.default(9101),
  /** The largest artifact UploadVersion accepts, in bytes. @default 2 GiB (protobuf's own cap on a ModelProto) */
  maxArtifactBytes: z.coerce.number().int().min(1).default(DEFAULT_MAX_ARTIFACT_BYTES),
  /** `postgres://…` for PostgreSQL; unset for SQLite at `<dataDir>/registry.db`. */
  databaseUrl: z
    .string()
    .optional()
    .transform((url) => (url === '' ? undefined : url)),
  /** PostgreSQL only: the schema holding the registry's tables. @default 'public' */
  databaseSchema: z.string().min(1).optional(),
  /** When set, every call must carry it in `x-aiaas-internal-token` (docs/decisions/internal-metadata.md). */
  internalToken: z
    .string()
    .optional()
    .transform((token) => (token === '' ? undefined : token)),
  /** How long shutdown waits for in-flight calls (uploads included) before cancelling them. @default 10000 */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),
  /** How often nodes heartbeat. @default 1000 */
  heartbeatIntervalMs: z.coerce.number().int().min(10).default(1_000),
  /** A node silent this long is marked down and its replicas placed elsewhere. @default 5000 */
  heartbeatTimeoutMs: z.coerce.number().int().min(20).default(5_000),
  /** How long a replica replaced in a roll stays on its node after it left the routes. @default 2000 */
  drainGraceMs: z.coerce.number().int().min(0).default(2_000),
  /** Redis for the optimization job queue (`redis://host:6379`); unset = Jobs answers UNAVAILABLE, all else serves. */
  redisUrl: z
    .string()
    .optional()
    .transform((url) => (url === '' ? undefined : url)),
  /** BullMQ's Redis key prefix (tests use their own). @default 'bull' */
  jobQueuePrefix: z.string().min(1).default('bull'),
  /** The BullMQ queue name. @default 'optimize' */
  jobQueueName: z.string().min(1).default('optimize'),
  /** Tries per job, the first included, for transient faults. @default 3 */
  jobAttempts: z.coerce.number().int().min(1).default(3),
  /** First retry delay in ms, doubled each time. @default 1000 */
  jobBackoffMs: z.coerce.number().int().min(0).default(1_000),
  /** Accept the optimizer's test-only passes; only tests set this. @default false */
  allowTestPasses: z.coerce.boolean().default(false),
});

export type RegistryConfig = z.infer<typeof REGISTRY_CONFIG_SCHEMA>;

/** Reads the registry's settings from flags (preferred) and environment variables, validating all at once. */
export function loadRegistryConfig(flags: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): RegistryConfig {
  const fromEnv = {
    dataDir: env['AIAAS_REGISTRY_DATA_DIR'],
    host: env['AIAAS_REGISTRY_HOST'],
    grpcPort: env['AIAAS_REGISTRY_GRPC_PORT'],
    metricsPort: env['AIAAS_REGISTRY_METRICS_PORT'],
    maxArtifactBytes: env['AIAAS_REGISTRY_MAX_ARTIFACT_BYTES'],
    databaseUrl: env['DATABASE_URL'],
    databaseSchema: env['AIAAS_REGISTRY_DATABASE_SCHEMA'],
    internalToken: env['AIAAS_INTERNAL_TOKEN'],
    shutdownGraceMs: env['AIAAS_REGISTRY_SHUTDOWN_GRACE_MS'],
    heartbeatIntervalMs: env['AIAAS_REGISTRY_HEARTBEAT_INTERVAL_MS'],
    heartbeatTimeoutMs: env['AIAAS_REGISTRY_HEARTBEAT_TIMEOUT_MS'],
    drainGraceMs: env['AIAAS_REGISTRY_DRAIN_GRACE_MS'],
    redisUrl: env['REDIS_URL'],
    jobQueuePrefix: env['AIAAS_JOB_QUEUE_PREFIX'],
    jobQueueName: env['AIAAS_JOB_QUEUE_NAME'],
    allowTestPasses: env['AIAAS_OPTIMIZER_TEST_PASSES'] === '1' ? true : undefined,
  };
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromEnv)) if (value !== undefined && value !== '') merged[key] = value;
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  return parseWithSchema(REGISTRY_CONFIG_SCHEMA, merged, 'registry settings');
}
