// Original file: protos/deployments.proto

import type { Long } from '@grpc/proto-loader';

export interface BatchingSettings {
  /**
   * 0 = the model's default (dynamic batching up to 32 when its first dimension is dynamic).
   */
  'max_batch_size'?: (number);
  'max_queue_delay_microseconds'?: (number | string | Long);
  'preferred_batch_size'?: (number)[];
  /**
   * 0 = the node's default (1024).
   */
  'max_queue_size'?: (number);
}

export interface BatchingSettings__Output {
  /**
   * 0 = the model's default (dynamic batching up to 32 when its first dimension is dynamic).
   */
  'max_batch_size': (number);
  'max_queue_delay_microseconds': (string);
  'preferred_batch_size': (number)[];
  /**
   * 0 = the node's default (1024).
   */
  'max_queue_size': (number);
}
