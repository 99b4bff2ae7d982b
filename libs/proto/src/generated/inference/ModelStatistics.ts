// Original file: protos/inference.proto

import type { InferStatistics as _inference_InferStatistics, InferStatistics__Output as _inference_InferStatistics__Output } from '../inference/InferStatistics';
import type { InferBatchStatistics as _inference_InferBatchStatistics, InferBatchStatistics__Output as _inference_InferBatchStatistics__Output } from '../inference/InferBatchStatistics';
import type { MemoryUsage as _inference_MemoryUsage, MemoryUsage__Output as _inference_MemoryUsage__Output } from '../inference/MemoryUsage';
import type { InferResponseStatistics as _inference_InferResponseStatistics, InferResponseStatistics__Output as _inference_InferResponseStatistics__Output } from '../inference/InferResponseStatistics';
import type { Long } from '@grpc/proto-loader';

/**
 * Statistics for a specific model and version.
 */
export interface ModelStatistics {
  /**
   * The name of the model.
   */
  'name'?: (string);
  /**
   * The version of the model.
   */
  'version'?: (string);
  /**
   * The timestamp of the last inference request made for this model, as
   * milliseconds since the epoch.
   */
  'last_inference'?: (number | string | Long);
  /**
   * The cumulative count of successful inference requests made for this
   * model, counting each inference in a batched request individually.
   * Does not include cache hits.
   */
  'inference_count'?: (number | string | Long);
  /**
   * The cumulative count of successful inference executions performed for
   * the model; a dynamically batched execution counts once. Does not
   * include cache hits.
   */
  'execution_count'?: (number | string | Long);
  /**
   * The aggregate statistics for the model/version.
   */
  'inference_stats'?: (_inference_InferStatistics | null);
  /**
   * The aggregate statistics for each different batch size that is
   * executed in the model.
   */
  'batch_stats'?: (_inference_InferBatchStatistics)[];
  /**
   * The memory usage detected during model loading.
   */
  'memory_usage'?: (_inference_MemoryUsage)[];
  /**
   * Response statistics keyed by a string identifying a set of responses
   * aggregated together (the index of the response sent).
   */
  'response_stats'?: ({[key: string]: _inference_InferResponseStatistics});
}

/**
 * Statistics for a specific model and version.
 */
export interface ModelStatistics__Output {
  /**
   * The name of the model.
   */
  'name': (string);
  /**
   * The version of the model.
   */
  'version': (string);
  /**
   * The timestamp of the last inference request made for this model, as
   * milliseconds since the epoch.
   */
  'last_inference': (string);
  /**
   * The cumulative count of successful inference requests made for this
   * model, counting each inference in a batched request individually.
   * Does not include cache hits.
   */
  'inference_count': (string);
  /**
   * The cumulative count of successful inference executions performed for
   * the model; a dynamically batched execution counts once. Does not
   * include cache hits.
   */
  'execution_count': (string);
  /**
   * The aggregate statistics for the model/version.
   */
  'inference_stats': (_inference_InferStatistics__Output | null);
  /**
   * The aggregate statistics for each different batch size that is
   * executed in the model.
   */
  'batch_stats': (_inference_InferBatchStatistics__Output)[];
  /**
   * The memory usage detected during model loading.
   */
  'memory_usage': (_inference_MemoryUsage__Output)[];
  /**
   * Response statistics keyed by a string identifying a set of responses
   * aggregated together (the index of the response sent).
   */
  'response_stats': ({[key: string]: _inference_InferResponseStatistics__Output});
}
