// Original file: protos/inference.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Metadata for a tensor.
 */
export interface _inference_ModelMetadataResponse_TensorMetadata {
  /**
   * The tensor name.
   */
  'name'?: (string);
  /**
   * The tensor data type.
   */
  'datatype'?: (string);
  /**
   * The tensor shape. A variable-size dimension is represented by -1.
   */
  'shape'?: (number | string | Long)[];
}

/**
 * Metadata for a tensor.
 */
export interface _inference_ModelMetadataResponse_TensorMetadata__Output {
  /**
   * The tensor name.
   */
  'name': (string);
  /**
   * The tensor data type.
   */
  'datatype': (string);
  /**
   * The tensor shape. A variable-size dimension is represented by -1.
   */
  'shape': (string)[];
}

/**
 * Response message for ModelMetadata.
 */
export interface ModelMetadataResponse {
  /**
   * The model name.
   */
  'name'?: (string);
  /**
   * The versions of the model.
   */
  'versions'?: (string)[];
  /**
   * The model's platform.
   */
  'platform'?: (string);
  /**
   * The model's inputs.
   */
  'inputs'?: (_inference_ModelMetadataResponse_TensorMetadata)[];
  /**
   * The model's outputs.
   */
  'outputs'?: (_inference_ModelMetadataResponse_TensorMetadata)[];
}

/**
 * Response message for ModelMetadata.
 */
export interface ModelMetadataResponse__Output {
  /**
   * The model name.
   */
  'name': (string);
  /**
   * The versions of the model.
   */
  'versions': (string)[];
  /**
   * The model's platform.
   */
  'platform': (string);
  /**
   * The model's inputs.
   */
  'inputs': (_inference_ModelMetadataResponse_TensorMetadata__Output)[];
  /**
   * The model's outputs.
   */
  'outputs': (_inference_ModelMetadataResponse_TensorMetadata__Output)[];
}
