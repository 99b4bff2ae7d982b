// Original file: protos/model_config.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Reshape specification for input and output tensors.
 */
export interface ModelTensorReshape {
  /**
   * The shape to use for reshaping.
   */
  'shape'?: (number | string | Long)[];
}

/**
 * Reshape specification for input and output tensors.
 */
export interface ModelTensorReshape__Output {
  /**
   * The shape to use for reshaping.
   */
  'shape': (string)[];
}
