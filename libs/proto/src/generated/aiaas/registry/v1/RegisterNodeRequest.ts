// Original file: protos/deployments.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterNodeRequest {
  /**
   * Stable across restarts of the same node; empty = the registry assigns one.
   */
  'node_id'?: (string);
  /**
   * host:port of the node's inference gRPC service, as gateways reach it.
   */
  'address'?: (string);
  'memory_bytes'?: (number | string | Long);
  /**
   * "cpu", and "gpu:0", "gpu:1", ... for each GPU the node can use.
   */
  'devices'?: (string)[];
}

export interface RegisterNodeRequest__Output {
  /**
   * Stable across restarts of the same node; empty = the registry assigns one.
   */
  'node_id': (string);
  /**
   * host:port of the node's inference gRPC service, as gateways reach it.
   */
  'address': (string);
  'memory_bytes': (string);
  /**
   * "cpu", and "gpu:0", "gpu:1", ... for each GPU the node can use.
   */
  'devices': (string)[];
}
