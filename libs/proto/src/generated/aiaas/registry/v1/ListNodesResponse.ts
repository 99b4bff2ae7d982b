// Original file: protos/deployments.proto

import type { Node as _aiaas_registry_v1_Node, Node__Output as _aiaas_registry_v1_Node__Output } from '../../../aiaas/registry/v1/Node';

export interface ListNodesResponse {
  'nodes'?: (_aiaas_registry_v1_Node)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_aiaas_registry_v1_Node__Output)[];
}
