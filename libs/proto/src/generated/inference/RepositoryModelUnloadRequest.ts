// Original file: protos/inference.proto

import type { ModelRepositoryParameter as _inference_ModelRepositoryParameter, ModelRepositoryParameter__Output as _inference_ModelRepositoryParameter__Output } from '../inference/ModelRepositoryParameter';

/**
 * Request message for RepositoryModelUnload.
 */
export interface RepositoryModelUnloadRequest {
  /**
   * The name of the repository from which the model was originally loaded.
   * If empty the repository is not considered.
   */
  'repository_name'?: (string);
  /**
   * The name of the model to unload.
   */
  'model_name'?: (string);
  /**
   * Optional model repository request parameters.
   */
  'parameters'?: ({[key: string]: _inference_ModelRepositoryParameter});
}

/**
 * Request message for RepositoryModelUnload.
 */
export interface RepositoryModelUnloadRequest__Output {
  /**
   * The name of the repository from which the model was originally loaded.
   * If empty the repository is not considered.
   */
  'repository_name': (string);
  /**
   * The name of the model to unload.
   */
  'model_name': (string);
  /**
   * Optional model repository request parameters.
   */
  'parameters': ({[key: string]: _inference_ModelRepositoryParameter__Output});
}
