// Original file: protos/deployments.proto

import type { ReplicaState as _aiaas_registry_v1_ReplicaState, ReplicaState__Output as _aiaas_registry_v1_ReplicaState__Output } from '../../../aiaas/registry/v1/ReplicaState';
import type { Long } from '@grpc/proto-loader';

export interface Replica {
  'node_id'?: (string);
  'address'?: (string);
  'version'?: (number | string | Long);
  'state'?: (_aiaas_registry_v1_ReplicaState);
  'reason'?: (string);
}

export interface Replica__Output {
  'node_id': (string);
  'address': (string);
  'version': (string);
  'state': (_aiaas_registry_v1_ReplicaState__Output);
  'reason': (string);
}
