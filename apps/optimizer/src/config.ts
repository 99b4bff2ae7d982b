import { z } from 'zod';
import { parseWithSchema } from '@aiaas/common';

/** Settings of an optimizer worker (`aiaas worker`): CLI flags, else environment variables. */
export const OPTIMIZER_CONFIG_SCHEMA = z.object({
  /** The registry's gRPC address (HOST:PORT): jobs download from and register to it. */
  registry: z.string().regex(/^[^:\s]+:\d+$/, 'expected HOST:PORT'),
  /** Redis holding the queue. @default 'redis://127.0.0.1:6379' */
  redisUrl: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** Jobs this worker runs at once, each in its own sandboxed child process. @default 1 */
  concurrency: z.coerce.number().int().min(1).max(64).default(1),
  /** @default 'optimize' */
  queueName: z.string().min(1).default('optimize'),
  /** BullMQ's Redis key prefix; must match the registry's. @default 'bull' */
  prefix: z.string().min(1).default('bull'),
  /** Sent as `x-aiaas-internal-token` to the registry. */
  internalToken: z
    .string()
    .optional()
    .transform((token) => (token === '' ? undefined : token)),
  /** V8 heap cap of each sandboxed job process (`--max-old-space-size`), in MiB. @default 4096 */
  memoryLimitMb: z.coerce.number().int().min(64).default(4096),
  /** How often BullMQ looks for jobs whose worker died (kill -9), in ms. @default 30000 */
  stalledIntervalMs: z.coerce.number().int().min(100).default(30_000),
  /** How long a job's lock lives without renewal, in ms. @default 30000 */
  lockDurationMs: z.coerce.number().int().min(100).default(30_000),
  /** Lost locks tolerated before a job is failed as stalled. @default 2 */
  maxStalledCount: z.coerce.number().int().min(0).default(2),
  /**
   * Seconds one job attempt may run before its sandbox is killed and the job fails, not retried
   * ("timed out after N s"); a job's own `timeout_seconds` overrides it. @default 1800
   */
  jobTimeoutSeconds: z.coerce.number().int().min(1).max(86_400).default(1800),
  /** Interface of the `/metrics` endpoint. @default '0.0.0.0' */
  host: z.string().min(1).default('0.0.0.0'),
  /** Port of the `/metrics` endpoint (prom-client); 0 = any free port. @default 9102 */
  metricsPort: z.coerce.number().int().min(0).max(65_535).default(9102),
});

export type OptimizerConfig = z.infer<typeof OPTIMIZER_CONFIG_SCHEMA>;

/** Reads the worker's settings from flags (preferred) and the environment, listing every bad one at once. */
export function loadOptimizerConfig(flags: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): OptimizerConfig {
  const fromEnv = {
    registry: env['AIAAS_OPTIMIZER_REGISTRY'],
    redisUrl: env['REDIS_URL'],
    concurrency: env['AIAAS_OPTIMIZER_CONCURRENCY'],
    queueName: env['AIAAS_JOB_QUEUE_NAME'],
    prefix: env['AIAAS_JOB_QUEUE_PREFIX'],
    internalToken: env['AIAAS_INTERNAL_TOKEN'],
    memoryLimitMb: env['AIAAS_OPTIMIZER_MEMORY_LIMIT_MB'],
    stalledIntervalMs: env['AIAAS_OPTIMIZER_STALLED_INTERVAL_MS'],
    lockDurationMs: env['AIAAS_OPTIMIZER_LOCK_DURATION_MS'],
    maxStalledCount: env['AIAAS_OPTIMIZER_MAX_STALLED_COUNT'],
    jobTimeoutSeconds: env['AIAAS_JOB_TIMEOUT_SECONDS'],
    host: env['AIAAS_OPTIMIZER_HOST'],
    metricsPort: env['AIAAS_OPTIMIZER_METRICS_PORT'],
  };
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromEnv)) if (value !== undefined && value !== '') merged[key] = value;
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  return parseWithSchema(OPTIMIZER_CONFIG_SCHEMA, merged, 'optimizer settings');
}
