// Original file: protos/inference.proto

import type { ModelInferResponse as _inference_ModelInferResponse, ModelInferResponse__Output as _inference_ModelInferResponse__Output } from '../inference/ModelInferResponse';

/**
 * Response message for ModelStreamInfer.
 */
export interface ModelStreamInferResponse {
  /**
   * The message describing the error. The empty message indicates the
   * inference was successful without errors.
   */
  'error_message'?: (string);
  /**
   * Holds the results of the request.
   */
  'infer_response'?: (_inference_ModelInferResponse | null);
}

/**
 * Response message for ModelStreamInfer.
 */
export interface ModelStreamInferResponse__Output {
  /**
   * The message describing the error. The empty message indicates the
   * inference was successful without errors.
   */
  'error_message': (string);
  /**
   * Holds the results of the request.
   */
  'infer_response': (_inference_ModelInferResponse__Output | null);
}
