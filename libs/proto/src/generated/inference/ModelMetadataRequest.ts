// Original file: protos/inference.proto


/**
 * Request message for ModelMetadata.
 */
export interface ModelMetadataRequest {
  /**
   * The name of the model.
   */
  'name'?: (string);
  /**
   * The version of the model. If not given the server will choose a
   * version based on the model and internal policy.
   */
  'version'?: (string);
}

/**
 * Request message for ModelMetadata.
 */
export interface ModelMetadataRequest__Output {
  /**
   * The name of the model.
   */
  'name': (string);
  /**
   * The version of the model. If not given the server will choose a
   * version based on the model and internal policy.
   */
  'version': (string);
}
