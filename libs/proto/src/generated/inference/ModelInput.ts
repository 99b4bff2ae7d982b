// Original file: protos/model_config.proto

import type { DataType as _inference_DataType, DataType__Output as _inference_DataType__Output } from '../inference/DataType';
import type { ModelTensorReshape as _inference_ModelTensorReshape, ModelTensorReshape__Output as _inference_ModelTensorReshape__Output } from '../inference/ModelTensorReshape';
import type { Long } from '@grpc/proto-loader';

// Original file: protos/model_config.proto

/**
 * The format for the input.
 */
export const _inference_ModelInput_Format = {
  /**
   * The input has no specific format. This is the default.
   */
  FORMAT_NONE: 'FORMAT_NONE',
  /**
   * HWC image format; 'dims' gives the 3 non-batch dimensions.
   */
  FORMAT_NHWC: 'FORMAT_NHWC',
  /**
   * CHW image format; 'dims' gives the 3 non-batch dimensions.
   */
  FORMAT_NCHW: 'FORMAT_NCHW',
} as const;

/**
 * The format for the input.
 */
export type _inference_ModelInput_Format =
  /**
   * The input has no specific format. This is the default.
   */
  | 'FORMAT_NONE'
  | 0
  /**
   * HWC image format; 'dims' gives the 3 non-batch dimensions.
   */
  | 'FORMAT_NHWC'
  | 1
  /**
   * CHW image format; 'dims' gives the 3 non-batch dimensions.
   */
  | 'FORMAT_NCHW'
  | 2

/**
 * The format for the input.
 */
export type _inference_ModelInput_Format__Output = typeof _inference_ModelInput_Format[keyof typeof _inference_ModelInput_Format]

/**
 * An input required by the model.
 */
export interface ModelInput {
  /**
   * The name of the input.
   */
  'name'?: (string);
  /**
   * The data-type of the input.
   */
  'data_type'?: (_inference_DataType);
  /**
   * The format of the input. Optional.
   */
  'format'?: (_inference_ModelInput_Format);
  /**
   * The dimensions/shape of the input tensor that must be provided when
   * invoking the inference API for this model (without the batch
   * dimension when max_batch_size > 0). -1 is a variable-size dimension.
   */
  'dims'?: (number | string | Long)[];
  /**
   * The shape expected for this input by the backend; the input is
   * reshaped to this before being presented to the backend. Optional.
   */
  'reshape'?: (_inference_ModelTensorReshape | null);
  /**
   * Whether the input may have a different shape in each request of a
   * dynamically created batch. Default is false.
   */
  'allow_ragged_batch'?: (boolean);
  /**
   * Whether the input is optional for the model execution. Default false.
   */
  'optional'?: (boolean);
}

/**
 * An input required by the model.
 */
export interface ModelInput__Output {
  /**
   * The name of the input.
   */
  'name': (string);
  /**
   * The data-type of the input.
   */
  'data_type': (_inference_DataType__Output);
  /**
   * The format of the input. Optional.
   */
  'format': (_inference_ModelInput_Format__Output);
  /**
   * The dimensions/shape of the input tensor that must be provided when
   * invoking the inference API for this model (without the batch
   * dimension when max_batch_size > 0). -1 is a variable-size dimension.
   */
  'dims': (string)[];
  /**
   * The shape expected for this input by the backend; the input is
   * reshaped to this before being presented to the backend. Optional.
   */
  'reshape': (_inference_ModelTensorReshape__Output | null);
  /**
   * Whether the input may have a different shape in each request of a
   * dynamically created batch. Default is false.
   */
  'allow_ragged_batch': (boolean);
  /**
   * Whether the input is optional for the model execution. Default false.
   */
  'optional': (boolean);
}
