import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseWithSchema } from '@aiaas/common';

const port = z.coerce.number().int().min(0).max(65535);

/** Settings of an inference node; every one can come from a CLI flag or an AIAAS_NODE_* variable. */
const NODE_CONFIG_OBJECT = z.object({
  /**
   * Folder laid out as DIR/<model>/<version>/model.onnx (+ optional DIR/<model>/config.json).
   * With --registry it is managed by the node: @default DATA_DIR/node/models, emptied at start.
   */
  modelRepository: z.string().min(1).optional(),
  /** host:port of the registry; set, the node registers and serves what the registry assigns it. */
  registry: z.string().regex(/^[^\s:]+:\d+$/, 'expected HOST:PORT').optional(),
  /** host:port gateways use to reach this node. @default HOST:GRPC_PORT */
  advertiseAddress: z.string().regex(/^[^\s:]+:\d+$/, 'expected HOST:PORT').optional(),
  /** Stable node id for the registry; @default one the registry assigns. */
  nodeId: z.string().min(1).optional(),
  /** Where a registry-managed node keeps its repository and artifact cache. @default ./.aiaas */
  dataDir: z.string().min(1).default('./.aiaas'),
  /** Shared secret for calls to the registry (docs/decisions/internal-metadata.md). */
  internalToken: z.string().min(1).optional(),
  /** Memory the registry may place replicas into. @default total system memory */
  memoryBytes: z.coerce.number().int().min(1).default(os.totalmem()),
  /** Devices offered to placement: "cpu", "gpu:0", ... @default ["cpu"] */
  devices: z.array(z.string().regex(/^(cpu|gpu:\d+)$/, 'expected "cpu" or "gpu:N"')).min(1).default(['cpu']),
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

export const NODE_CONFIG_SCHEMA = NODE_CONFIG_OBJECT.superRefine((config, ctx) => {
  if (!config.modelRepository && !config.registry) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['modelRepository'],
      message: 'a model repository folder is required (--model-repository DIR), or a registry to serve from (--registry HOST:PORT)',
    });
  }
});

export type NodeConfig = z.infer<typeof NODE_CONFIG_SCHEMA>;

/** The model repository the node serves: the configured one, or the registry-managed default. */
export function modelRepositoryOf(config: NodeConfig): string {
  return config.modelRepository ?? path.join(config.dataDir, 'node', 'models');
}

/** Reads the node's settings from flags (preferred) and environment variables, validating all at once. */
export function loadNodeConfig(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): NodeConfig {
  const fromEnv = {
    modelRepository: env['AIAAS_MODEL_REPOSITORY'],
    host: env['AIAAS_NODE_HOST'],
    grpcPort: env['AIAAS_NODE_GRPC_PORT'],
    metricsPort: env['AIAAS_NODE_METRICS_PORT'],
    maxMessageBytes: env['AIAAS_NODE_MAX_MESSAGE_BYTES'],
    shutdownGraceMs: env['AIAAS_NODE_SHUTDOWN_GRACE_MS'],
    registry: env['AIAAS_REGISTRY_ADDRESS'],
    advertiseAddress: env['AIAAS_NODE_ADVERTISE_ADDRESS'],
    nodeId: env['AIAAS_NODE_ID'],
    dataDir: env['AIAAS_DATA_DIR'],
    internalToken: env['AIAAS_INTERNAL_TOKEN'],
    memoryBytes: env['AIAAS_NODE_MEMORY_BYTES'],
  };
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromEnv)) if (value !== undefined && value !== '') merged[key] = value;
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) merged[key] = value;
  return parseWithSchema(NODE_CONFIG_SCHEMA, merged, 'inference node settings');
}
