/**
 * What a node is told to serve: the served name and the Triton `config.json` built from a
 * deployment's settings. Pure functions, unit tested in `deployment-config.spec.ts`.
 */

/** A deployment's batching settings, as stored (JSON) and as on the wire. */
export interface BatchingSettings {
  /** 0: left out of config.json, so the node picks its default (32 when the model can batch). */
  maxBatchSize: number;
  /** 0: the node's default. */
  maxQueueDelayMicroseconds: number;
  preferredBatchSize: number[];
  /** 0: the node's default (1024). */
  maxQueueSize: number;
}

export const DEFAULT_BATCHING: Readonly<BatchingSettings> = Object.freeze({
  maxBatchSize: 0,
  maxQueueDelayMicroseconds: 0,
  preferredBatchSize: [],
  maxQueueSize: 0,
});

export type DeviceKind = 'cpu' | 'gpu';

/**
 * The model name a node serves a tenant's model under: `${tenant}.${model}`. Tenants are
 * `[a-z0-9-]` and model names `[A-Za-z0-9._-]`, so the result is a valid model-repository folder
 * name, and the first `.` separates the tenant (tenants have none), so names never collide
 * across tenants.
 */
export function servedName(tenant: string, model: string): string {
  return `${tenant}.${model}`;
}

export interface NodeModelConfigInput {
  batching: BatchingSettings;
  instanceCount: number;
  device: DeviceKind;
  /** Every version of this served name assigned to the node (two during a roll). */
  versions: readonly number[];
}

/**
 * The Triton model configuration (JSON form) a node serves a model with. `dynamic_batching` is
 * always present, so a model that can batch does (the node only batches when max_batch_size > 1);
 * fields left at 0 are omitted so the node's defaults apply. `version_policy` lists exactly the
 * versions assigned to the node, which is what lets a node hold v3 and v4 side by side during a
 * roll and drop v3 when it is no longer listed.
 */
export function buildNodeModelConfig(input: NodeModelConfigInput): Record<string, unknown> {
  const { batching } = input;
  const dynamicBatching: Record<string, unknown> = {};
  if (batching.maxQueueDelayMicroseconds > 0) {
    dynamicBatching['max_queue_delay_microseconds'] = batching.maxQueueDelayMicroseconds;
  }
  if (batching.preferredBatchSize.length > 0)
    dynamicBatching['preferred_batch_size'] = [...batching.preferredBatchSize];
  if (batching.maxQueueSize > 0) dynamicBatching['default_queue_policy'] = { max_queue_size: batching.maxQueueSize };
  return {
    ...(batching.maxBatchSize > 0 ? { max_batch_size: batching.maxBatchSize } : {}),
    dynamic_batching: dynamicBatching,
    instance_group: [
      { count: Math.max(1, input.instanceCount), kind: input.device === 'gpu' ? 'KIND_GPU' : 'KIND_CPU' },
    ],
    version_policy: { specific: { versions: [...new Set(input.versions)].sort((a, b) => a - b) } },
  };
}
