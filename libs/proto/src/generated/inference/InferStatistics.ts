// Original file: protos/inference.proto

import type { StatisticDuration as _inference_StatisticDuration, StatisticDuration__Output as _inference_StatisticDuration__Output } from '../inference/StatisticDuration';

/**
 * Inference statistics.
 */
export interface InferStatistics {
  /**
   * Cumulative count and duration for successful inference requests,
   * including cache hits.
   */
  'success'?: (_inference_StatisticDuration | null);
  /**
   * Cumulative count and duration for failed inference requests.
   */
  'fail'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration that inference requests wait in
   * scheduling or other queues, including cache hits.
   */
  'queue'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration to prepare input tensor data as
   * required by the model framework / backend (excluding cache hits).
   */
  'compute_input'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration to execute the model (excluding
   * cache hits).
   */
  'compute_infer'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration to extract output tensor data
   * produced by the model framework / backend (excluding cache hits).
   */
  'compute_output'?: (_inference_StatisticDuration | null);
  /**
   * The count of response cache hits and cumulative duration to look up
   * and extract output tensor data from the response cache.
   */
  'cache_hit'?: (_inference_StatisticDuration | null);
  /**
   * The count of response cache misses and cumulative duration to look up
   * and insert output tensor data into the response cache.
   */
  'cache_miss'?: (_inference_StatisticDuration | null);
}

/**
 * Inference statistics.
 */
export interface InferStatistics__Output {
  /**
   * Cumulative count and duration for successful inference requests,
   * including cache hits.
   */
  'success': (_inference_StatisticDuration__Output | null);
  /**
   * Cumulative count and duration for failed inference requests.
   */
  'fail': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration that inference requests wait in
   * scheduling or other queues, including cache hits.
   */
  'queue': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration to prepare input tensor data as
   * required by the model framework / backend (excluding cache hits).
   */
  'compute_input': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration to execute the model (excluding
   * cache hits).
   */
  'compute_infer': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration to extract output tensor data
   * produced by the model framework / backend (excluding cache hits).
   */
  'compute_output': (_inference_StatisticDuration__Output | null);
  /**
   * The count of response cache hits and cumulative duration to look up
   * and extract output tensor data from the response cache.
   */
  'cache_hit': (_inference_StatisticDuration__Output | null);
  /**
   * The count of response cache misses and cumulative duration to look up
   * and insert output tensor data into the response cache.
   */
  'cache_miss': (_inference_StatisticDuration__Output | null);
}
