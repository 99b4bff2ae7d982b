// Original file: protos/deployments.proto

import type { Deployment as _aiaas_registry_v1_Deployment, Deployment__Output as _aiaas_registry_v1_Deployment__Output } from '../../../aiaas/registry/v1/Deployment';

export interface UpdateDeploymentRequest {
  'deployment'?: (_aiaas_registry_v1_Deployment | null);
  /**
   * Fields to replace: "alias", "version", "replicas", "batching", "instance_count", "device", "memory_estimate_bytes".
   */
  'update_mask'?: (string)[];
}

export interface UpdateDeploymentRequest__Output {
  'deployment': (_aiaas_registry_v1_Deployment__Output | null);
  /**
   * Fields to replace: "alias", "version", "replicas", "batching", "instance_count", "device", "memory_estimate_bytes".
   */
  'update_mask': (string)[];
}
