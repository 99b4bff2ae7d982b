// Original file: protos/jobs.proto


/**
 * Thresholds the candidate must meet against the source; 0 = that check is off.
 */
export interface ValidationThresholds {
  'max_abs_error'?: (number | string);
  'max_mean_relative_error'?: (number | string);
  'min_cosine'?: (number | string);
  'min_top1_agreement'?: (number | string);
}

/**
 * Thresholds the candidate must meet against the source; 0 = that check is off.
 */
export interface ValidationThresholds__Output {
  'max_abs_error': (number);
  'max_mean_relative_error': (number);
  'min_cosine': (number);
  'min_top1_agreement': (number);
}
