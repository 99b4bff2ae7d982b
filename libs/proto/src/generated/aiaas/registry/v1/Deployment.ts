// Original file: protos/deployments.proto

import type { BatchingSettings as _aiaas_registry_v1_BatchingSettings, BatchingSettings__Output as _aiaas_registry_v1_BatchingSettings__Output } from '../../../aiaas/registry/v1/BatchingSettings';
import type { Replica as _aiaas_registry_v1_Replica, Replica__Output as _aiaas_registry_v1_Replica__Output } from '../../../aiaas/registry/v1/Replica';
import type { Long } from '@grpc/proto-loader';

export interface Deployment {
  /**
   * Unique per tenant; defaults to the model name.
   */
  'name'?: (string);
  'model'?: (string);
  /**
   * Exactly one of alias and version: a deployment on an alias follows it.
   */
  'alias'?: (string);
  'version'?: (number | string | Long);
  'replicas'?: (number);
  'batching'?: (_aiaas_registry_v1_BatchingSettings | null);
  /**
   * Model instances (sessions) per replica; 0 = 1.
   */
  'instance_count'?: (number);
  /**
   * "cpu" (default) or "gpu".
   */
  'device'?: (string);
  /**
   * Memory a replica needs on a node; 0 = estimated from the artifact size.
   */
  'memory_estimate_bytes'?: (number | string | Long);
  /**
   * The version the deployment currently targets (the alias resolved).
   */
  'target_version'?: (number | string | Long);
  'replica_status'?: (_aiaas_registry_v1_Replica)[];
  'created_at'?: (string);
  'updated_at'?: (string);
}

export interface Deployment__Output {
  /**
   * Unique per tenant; defaults to the model name.
   */
  'name': (string);
  'model': (string);
  /**
   * Exactly one of alias and version: a deployment on an alias follows it.
   */
  'alias': (string);
  'version': (string);
  'replicas': (number);
  'batching': (_aiaas_registry_v1_BatchingSettings__Output | null);
  /**
   * Model instances (sessions) per replica; 0 = 1.
   */
  'instance_count': (number);
  /**
   * "cpu" (default) or "gpu".
   */
  'device': (string);
  /**
   * Memory a replica needs on a node; 0 = estimated from the artifact size.
   */
  'memory_estimate_bytes': (string);
  /**
   * The version the deployment currently targets (the alias resolved).
   */
  'target_version': (string);
  'replica_status': (_aiaas_registry_v1_Replica__Output)[];
  'created_at': (string);
  'updated_at': (string);
}
