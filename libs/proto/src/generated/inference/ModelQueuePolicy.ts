// Original file: protos/model_config.proto

import type { Long } from '@grpc/proto-loader';

// Original file: protos/model_config.proto

/**
 * The action applied to timed-out requests.
 */
export const _inference_ModelQueuePolicy_TimeoutAction = {
  /**
   * Reject the request and return an error.
   */
  REJECT: 'REJECT',
  /**
   * Delay the request until all other requests at the same (or higher)
   * priority levels that have not reached their timeouts are processed.
   */
  DELAY: 'DELAY',
} as const;

/**
 * The action applied to timed-out requests.
 */
export type _inference_ModelQueuePolicy_TimeoutAction =
  /**
   * Reject the request and return an error.
   */
  | 'REJECT'
  | 0
  /**
   * Delay the request until all other requests at the same (or higher)
   * priority levels that have not reached their timeouts are processed.
   */
  | 'DELAY'
  | 1

/**
 * The action applied to timed-out requests.
 */
export type _inference_ModelQueuePolicy_TimeoutAction__Output = typeof _inference_ModelQueuePolicy_TimeoutAction[keyof typeof _inference_ModelQueuePolicy_TimeoutAction]

/**
 * Queue policy for inference requests.
 */
export interface ModelQueuePolicy {
  /**
   * The action applied to timed-out requests. Default is REJECT.
   */
  'timeout_action'?: (_inference_ModelQueuePolicy_TimeoutAction);
  /**
   * The default timeout for every request, in microseconds. 0 means no
   * timeout.
   */
  'default_timeout_microseconds'?: (number | string | Long);
  /**
   * Whether individual requests can set a timeout shorter than the default.
   */
  'allow_timeout_override'?: (boolean);
  /**
   * The maximum queue size for holding requests; a request is rejected
   * immediately if the queue is full. 0 means unbounded.
   */
  'max_queue_size'?: (number);
}

/**
 * Queue policy for inference requests.
 */
export interface ModelQueuePolicy__Output {
  /**
   * The action applied to timed-out requests. Default is REJECT.
   */
  'timeout_action': (_inference_ModelQueuePolicy_TimeoutAction__Output);
  /**
   * The default timeout for every request, in microseconds. 0 means no
   * timeout.
   */
  'default_timeout_microseconds': (string);
  /**
   * Whether individual requests can set a timeout shorter than the default.
   */
  'allow_timeout_override': (boolean);
  /**
   * The maximum queue size for holding requests; a request is rejected
   * immediately if the queue is full. 0 means unbounded.
   */
  'max_queue_size': (number);
}
