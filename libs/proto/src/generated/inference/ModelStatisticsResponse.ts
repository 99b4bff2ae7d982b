// Original file: protos/inference.proto

import type { ModelStatistics as _inference_ModelStatistics, ModelStatistics__Output as _inference_ModelStatistics__Output } from '../inference/ModelStatistics';

/**
 * Response message for ModelStatistics.
 */
export interface ModelStatisticsResponse {
  /**
   * Statistics for each requested model.
   */
  'model_stats'?: (_inference_ModelStatistics)[];
}

/**
 * Response message for ModelStatistics.
 */
export interface ModelStatisticsResponse__Output {
  /**
   * Statistics for each requested model.
   */
  'model_stats': (_inference_ModelStatistics__Output)[];
}
