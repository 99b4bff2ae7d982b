// Original file: protos/inference.proto


/**
 * Index entry for a model.
 */
export interface _inference_RepositoryIndexResponse_ModelIndex {
  /**
   * The name of the model.
   */
  'name'?: (string);
  /**
   * The version of the model.
   */
  'version'?: (string);
  /**
   * The state of the model.
   */
  'state'?: (string);
  /**
   * The reason, if any, that the model is in the given state.
   */
  'reason'?: (string);
}

/**
 * Index entry for a model.
 */
export interface _inference_RepositoryIndexResponse_ModelIndex__Output {
  /**
   * The name of the model.
   */
  'name': (string);
  /**
   * The version of the model.
   */
  'version': (string);
  /**
   * The state of the model.
   */
  'state': (string);
  /**
   * The reason, if any, that the model is in the given state.
   */
  'reason': (string);
}

/**
 * Response message for RepositoryIndex.
 */
export interface RepositoryIndexResponse {
  /**
   * An index entry for each model.
   */
  'models'?: (_inference_RepositoryIndexResponse_ModelIndex)[];
}

/**
 * Response message for RepositoryIndex.
 */
export interface RepositoryIndexResponse__Output {
  /**
   * An index entry for each model.
   */
  'models': (_inference_RepositoryIndexResponse_ModelIndex__Output)[];
}
