// Original file: protos/inference.proto


/**
 * Request message for ModelStatistics.
 */
export interface ModelStatisticsRequest {
  /**
   * The name of the model. If not given returns statistics for all models.
   */
  'name'?: (string);
  /**
   * The version of the model. If not given returns statistics for all
   * model versions.
   */
  'version'?: (string);
}

/**
 * Request message for ModelStatistics.
 */
export interface ModelStatisticsRequest__Output {
  /**
   * The name of the model. If not given returns statistics for all models.
   */
  'name': (string);
  /**
   * The version of the model. If not given returns statistics for all
   * model versions.
   */
  'version': (string);
}
