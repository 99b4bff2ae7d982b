// Original file: protos/inference.proto


/**
 * Request message for ModelReady.
 */
export interface ModelReadyRequest {
  /**
   * The name of the model to check for readiness.
   */
  'name'?: (string);
  /**
   * The version of the model to check for readiness. If not given the
   * server will choose a version based on the model and internal policy.
   */
  'version'?: (string);
}

/**
 * Request message for ModelReady.
 */
export interface ModelReadyRequest__Output {
  /**
   * The name of the model to check for readiness.
   */
  'name': (string);
  /**
   * The version of the model to check for readiness. If not given the
   * server will choose a version based on the model and internal policy.
   */
  'version': (string);
}
