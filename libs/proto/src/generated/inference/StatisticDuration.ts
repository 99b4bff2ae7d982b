// Original file: protos/inference.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Statistic recording a cumulative duration metric.
 */
export interface StatisticDuration {
  /**
   * Cumulative number of times this metric occurred.
   */
  'count'?: (number | string | Long);
  /**
   * Total collected duration of this metric in nanoseconds.
   */
  'ns'?: (number | string | Long);
}

/**
 * Statistic recording a cumulative duration metric.
 */
export interface StatisticDuration__Output {
  /**
   * Cumulative number of times this metric occurred.
   */
  'count': (string);
  /**
   * Total collected duration of this metric in nanoseconds.
   */
  'ns': (string);
}
