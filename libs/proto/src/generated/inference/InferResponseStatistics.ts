// Original file: protos/inference.proto

import type { StatisticDuration as _inference_StatisticDuration, StatisticDuration__Output as _inference_StatisticDuration__Output } from '../inference/StatisticDuration';

/**
 * Statistics per response.
 */
export interface InferResponseStatistics {
  /**
   * The count and cumulative duration to compute a response.
   */
  'compute_infer'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration to extract the output tensors of a
   * response.
   */
  'compute_output'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration for successful responses.
   */
  'success'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration for failed responses.
   */
  'fail'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration for empty responses.
   */
  'empty_response'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration, for cleaning up resources held by a
   * cancelled request, for cancelled responses.
   */
  'cancel'?: (_inference_StatisticDuration | null);
}

/**
 * Statistics per response.
 */
export interface InferResponseStatistics__Output {
  /**
   * The count and cumulative duration to compute a response.
   */
  'compute_infer': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration to extract the output tensors of a
   * response.
   */
  'compute_output': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration for successful responses.
   */
  'success': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration for failed responses.
   */
  'fail': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration for empty responses.
   */
  'empty_response': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration, for cleaning up resources held by a
   * cancelled request, for cancelled responses.
   */
  'cancel': (_inference_StatisticDuration__Output | null);
}
