// Original file: protos/deployments.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterNodeResponse {
  'node_id'?: (string);
  'heartbeat_interval_ms'?: (number | string | Long);
  /**
   * A node silent for this long is marked down and its replicas placed elsewhere.
   */
  'heartbeat_timeout_ms'?: (number | string | Long);
}

export interface RegisterNodeResponse__Output {
  'node_id': (string);
  'heartbeat_interval_ms': (string);
  /**
   * A node silent for this long is marked down and its replicas placed elsewhere.
   */
  'heartbeat_timeout_ms': (string);
}
