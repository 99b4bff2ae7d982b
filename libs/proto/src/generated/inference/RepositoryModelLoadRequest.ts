// Original file: protos/inference.proto

import type { ModelRepositoryParameter as _inference_ModelRepositoryParameter, ModelRepositoryParameter__Output as _inference_ModelRepositoryParameter__Output } from '../inference/ModelRepositoryParameter';

/**
 * Request message for RepositoryModelLoad.
 */
export interface RepositoryModelLoadRequest {
  /**
   * The name of the repository to load from. If empty the model is loaded
   * from any repository.
   */
  'repository_name'?: (string);
  /**
   * The name of the model to load, or reload.
   */
  'model_name'?: (string);
  /**
   * Optional model repository request parameters.
   */
  'parameters'?: ({[key: string]: _inference_ModelRepositoryParameter});
}

/**
 * Request message for RepositoryModelLoad.
 */
export interface RepositoryModelLoadRequest__Output {
  /**
   * The name of the repository to load from. If empty the model is loaded
   * from any repository.
   */
  'repository_name': (string);
  /**
   * The name of the model to load, or reload.
   */
  'model_name': (string);
  /**
   * Optional model repository request parameters.
   */
  'parameters': ({[key: string]: _inference_ModelRepositoryParameter__Output});
}
