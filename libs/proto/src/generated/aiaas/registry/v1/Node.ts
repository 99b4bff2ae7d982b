// Original file: protos/deployments.proto

import type { ReplicaStatus as _aiaas_registry_v1_ReplicaStatus, ReplicaStatus__Output as _aiaas_registry_v1_ReplicaStatus__Output } from '../../../aiaas/registry/v1/ReplicaStatus';
import type { Long } from '@grpc/proto-loader';

export interface Node {
  'node_id'?: (string);
  'address'?: (string);
  'memory_bytes'?: (number | string | Long);
  'devices'?: (string)[];
  /**
   * "UP" or "DOWN".
   */
  'state'?: (string);
  'last_heartbeat_at'?: (string);
  'replicas'?: (_aiaas_registry_v1_ReplicaStatus)[];
  'memory_reserved_bytes'?: (number | string | Long);
}

export interface Node__Output {
  'node_id': (string);
  'address': (string);
  'memory_bytes': (string);
  'devices': (string)[];
  /**
   * "UP" or "DOWN".
   */
  'state': (string);
  'last_heartbeat_at': (string);
  'replicas': (_aiaas_registry_v1_ReplicaStatus__Output)[];
  'memory_reserved_bytes': (string);
}
