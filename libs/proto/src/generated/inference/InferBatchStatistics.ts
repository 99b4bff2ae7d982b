// Original file: protos/inference.proto

import type { StatisticDuration as _inference_StatisticDuration, StatisticDuration__Output as _inference_StatisticDuration__Output } from '../inference/StatisticDuration';
import type { Long } from '@grpc/proto-loader';

/**
 * Inference batch statistics.
 */
export interface InferBatchStatistics {
  /**
   * The size of the batch.
   */
  'batch_size'?: (number | string | Long);
  /**
   * The count and cumulative duration to prepare input tensor data for a
   * batch of this size.
   */
  'compute_input'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration to execute the model with a batch of
   * this size.
   */
  'compute_infer'?: (_inference_StatisticDuration | null);
  /**
   * The count and cumulative duration to extract output tensor data for a
   * batch of this size.
   */
  'compute_output'?: (_inference_StatisticDuration | null);
}

/**
 * Inference batch statistics.
 */
export interface InferBatchStatistics__Output {
  /**
   * The size of the batch.
   */
  'batch_size': (string);
  /**
   * The count and cumulative duration to prepare input tensor data for a
   * batch of this size.
   */
  'compute_input': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration to execute the model with a batch of
   * this size.
   */
  'compute_infer': (_inference_StatisticDuration__Output | null);
  /**
   * The count and cumulative duration to extract output tensor data for a
   * batch of this size.
   */
  'compute_output': (_inference_StatisticDuration__Output | null);
}
