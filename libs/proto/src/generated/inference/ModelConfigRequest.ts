// Original file: protos/inference.proto


/**
 * Request message for ModelConfig.
 */
export interface ModelConfigRequest {
  /**
   * The name of the model.
   */
  'name'?: (string);
  /**
   * The version of the model. If not given the model version is selected
   * automatically based on the version policy.
   */
  'version'?: (string);
}

/**
 * Request message for ModelConfig.
 */
export interface ModelConfigRequest__Output {
  /**
   * The name of the model.
   */
  'name': (string);
  /**
   * The version of the model. If not given the model version is selected
   * automatically based on the version policy.
   */
  'version': (string);
}
