// Original file: protos/inference.proto

import type { ModelConfig as _inference_ModelConfig, ModelConfig__Output as _inference_ModelConfig__Output } from '../inference/ModelConfig';

/**
 * Response message for ModelConfig.
 */
export interface ModelConfigResponse {
  /**
   * The model configuration.
   */
  'config'?: (_inference_ModelConfig | null);
}

/**
 * Response message for ModelConfig.
 */
export interface ModelConfigResponse__Output {
  /**
   * The model configuration.
   */
  'config': (_inference_ModelConfig__Output | null);
}
