import { z } from 'zod';
import { parseWithSchema } from '@aiaas/common';

const port = z.coerce.number().int().min(0).max(65535);

/** Settings of an inference node; every one can come from a CLI flag or an AIAAS_NODE_* variable. */
export const NODE_CONFIG_SCHEMA = z.object({
  /** Folder laid out as DIR/<model>/<version>/model.onnx (+ optional DIR/<model>/config.json). */
  modelRepository: z
    .string({ required_error: 'a model repository folder is required (--model-repository DIR)' })
    .min(1, 'a model repository folder is required (--model-repository DIR)'),
  /** @default '127.0.0.1' */
  host: z.string().min(1).default('127.0.0.1'),
  /** @default 8001 (Triton's gRPC port) */
  grpcPort: port.default(8001),
  /** Serves GET /metrics and GET /healthz. @default 9103 */
  metricsPort: port.default(9103),
  /** Largest gRPC message accepted; bigger ones get RESOURCE_EXHAUSTED. @default 64 MiB */
  maxMessageBytes: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** How long shutdown waits for in-flight calls before cancelling them. @default 10000 */
  shutdownGraceMs: z.coerce.number().int().min(0).default(10_000),
});

export type NodeConfig = z.infer<typeof NODE_CONFIG_SCHEMA>;

/** Reads the node's settings from flags (preferred) and environment variables, validating all at once. */
export function loadNodeConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): NodeConfig {
  const fromEnv = {
    modelRepository: env['AIAAS_MODEL_REPOSITORY'],
    host: env['AIAAS_NODE_HOST'],
    grpcPort: env['AIAAS_NODE_GRPC_PORT'],
    metricsPort: env['AIAAS_NODE_METRICS_PORT'],
    maxMessageBytes: env['AIAAS_NODE_MAX_MESSAGE_BYTES'],
    shutdownGraceMs: env['AIAAS_NODE_SHUTDOWN_GRACE_MS'],
  };
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromEnv)) if (value !== undefined && value !== '') merged[key] = value;
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  return parseWithSchema(NODE_CONFIG_SCHEMA, merged, 'inference node settings');
}
