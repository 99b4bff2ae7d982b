// Original file: protos/deployments.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'node_id'?: (string);
  'memory_used_bytes'?: (number | string | Long);
}

export interface HeartbeatRequest__Output {
  'node_id': (string);
  'memory_used_bytes': (string);
}
