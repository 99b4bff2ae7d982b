// Original file: protos/model_config.proto

import type { ModelQueuePolicy as _inference_ModelQueuePolicy, ModelQueuePolicy__Output as _inference_ModelQueuePolicy__Output } from '../inference/ModelQueuePolicy';
import type { Long } from '@grpc/proto-loader';

/**
 * Dynamic batching configuration.
 */
export interface ModelDynamicBatching {
  /**
   * Preferred batch sizes for dynamic batching. If a batch of one of these
   * sizes can be formed it will be executed immediately.
   */
  'preferred_batch_size'?: (number)[];
  /**
   * The maximum time, in microseconds, a request will be delayed in the
   * scheduling queue to wait for additional requests for batching.
   * Default is 0.
   */
  'max_queue_delay_microseconds'?: (number | string | Long);
  /**
   * Whether responses are returned in the order requests were received by
   * the scheduler. Default is false.
   */
  'preserve_ordering'?: (boolean);
  /**
   * The number of priority levels to be enabled for the model; 1 is the
   * highest priority.
   */
  'priority_levels'?: (number | string | Long);
  /**
   * The priority level used for requests that don't specify their
   * priority. Must be in [1, priority_levels].
   */
  'default_priority_level'?: (number | string | Long);
  /**
   * The queue policy for requests without a priority, and for priority
   * levels without a policy of their own.
   */
  'default_queue_policy'?: (_inference_ModelQueuePolicy | null);
  /**
   * The queue policy for each priority level.
   */
  'priority_queue_policy'?: ({[key: number]: _inference_ModelQueuePolicy});
}

/**
 * Dynamic batching configuration.
 */
export interface ModelDynamicBatching__Output {
  /**
   * Preferred batch sizes for dynamic batching. If a batch of one of these
   * sizes can be formed it will be executed immediately.
   */
  'preferred_batch_size': (number)[];
  /**
   * The maximum time, in microseconds, a request will be delayed in the
   * scheduling queue to wait for additional requests for batching.
   * Default is 0.
   */
  'max_queue_delay_microseconds': (string);
  /**
   * Whether responses are returned in the order requests were received by
   * the scheduler. Default is false.
   */
  'preserve_ordering': (boolean);
  /**
   * The number of priority levels to be enabled for the model; 1 is the
   * highest priority.
   */
  'priority_levels': (string);
  /**
   * The priority level used for requests that don't specify their
   * priority. Must be in [1, priority_levels].
   */
  'default_priority_level': (string);
  /**
   * The queue policy for requests without a priority, and for priority
   * levels without a policy of their own.
   */
  'default_queue_policy': (_inference_ModelQueuePolicy__Output | null);
  /**
   * The queue policy for each priority level.
   */
  'priority_queue_policy': ({[key: number]: _inference_ModelQueuePolicy__Output});
}
