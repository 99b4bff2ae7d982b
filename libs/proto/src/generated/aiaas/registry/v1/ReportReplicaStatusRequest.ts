// Original file: protos/deployments.proto

import type { ReplicaStatus as _aiaas_registry_v1_ReplicaStatus, ReplicaStatus__Output as _aiaas_registry_v1_ReplicaStatus__Output } from '../../../aiaas/registry/v1/ReplicaStatus';

export interface ReportReplicaStatusRequest {
  'node_id'?: (string);
  'replicas'?: (_aiaas_registry_v1_ReplicaStatus)[];
}

export interface ReportReplicaStatusRequest__Output {
  'node_id': (string);
  'replicas': (_aiaas_registry_v1_ReplicaStatus__Output)[];
}
