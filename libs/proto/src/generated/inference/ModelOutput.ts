// Original file: protos/model_config.proto

import type { DataType as _inference_DataType, DataType__Output as _inference_DataType__Output } from '../inference/DataType';
import type { ModelTensorReshape as _inference_ModelTensorReshape, ModelTensorReshape__Output as _inference_ModelTensorReshape__Output } from '../inference/ModelTensorReshape';
import type { Long } from '@grpc/proto-loader';

/**
 * An output produced by the model.
 */
export interface ModelOutput {
  /**
   * The name of the output.
   */
  'name'?: (string);
  /**
   * The data-type of the output.
   */
  'data_type'?: (_inference_DataType);
  /**
   * The dimensions/shape of the output tensor.
   */
  'dims'?: (number | string | Long)[];
  /**
   * The label file associated with this output. Should be specified only
   * for outputs that represent classifications. Optional.
   */
  'label_filename'?: (string);
  /**
   * The shape produced for this output by the backend; the output is
   * reshaped from this to 'dims' before being returned. Optional.
   */
  'reshape'?: (_inference_ModelTensorReshape | null);
}

/**
 * An output produced by the model.
 */
export interface ModelOutput__Output {
  /**
   * The name of the output.
   */
  'name': (string);
  /**
   * The data-type of the output.
   */
  'data_type': (_inference_DataType__Output);
  /**
   * The dimensions/shape of the output tensor.
   */
  'dims': (string)[];
  /**
   * The label file associated with this output. Should be specified only
   * for outputs that represent classifications. Optional.
   */
  'label_filename': (string);
  /**
   * The shape produced for this output by the backend; the output is
   * reshaped from this to 'dims' before being returned. Optional.
   */
  'reshape': (_inference_ModelTensorReshape__Output | null);
}
