// Original file: protos/model_config.proto

import type { DataType as _inference_DataType, DataType__Output as _inference_DataType__Output } from '../inference/DataType';
import type { Long } from '@grpc/proto-loader';

/**
 * Meta data associated with an input.
 */
export interface _inference_ModelWarmup_Input {
  /**
   * The data-type of the input.
   */
  'data_type'?: (_inference_DataType);
  /**
   * The shape of the input tensor, not including the batch dimension.
   */
  'dims'?: (number | string | Long)[];
  /**
   * Use zeros as input data (the value itself is not checked).
   */
  'zero_data'?: (boolean);
  /**
   * Use random data as input data (the value itself is not checked).
   */
  'random_data'?: (boolean);
  /**
   * A file in the model's 'warmup' directory whose content is used as
   * raw, row-major input data.
   */
  'input_data_file'?: (string);
  /**
   * How the input data is generated. For STRING inputs 'random_data'
   * falls back to 'zero_data'.
   */
  'input_data_type'?: "zero_data"|"random_data"|"input_data_file";
}

/**
 * Meta data associated with an input.
 */
export interface _inference_ModelWarmup_Input__Output {
  /**
   * The data-type of the input.
   */
  'data_type': (_inference_DataType__Output);
  /**
   * The shape of the input tensor, not including the batch dimension.
   */
  'dims': (string)[];
  /**
   * Use zeros as input data (the value itself is not checked).
   */
  'zero_data'?: (boolean);
  /**
   * Use random data as input data (the value itself is not checked).
   */
  'random_data'?: (boolean);
  /**
   * A file in the model's 'warmup' directory whose content is used as
   * raw, row-major input data.
   */
  'input_data_file'?: (string);
  /**
   * How the input data is generated. For STRING inputs 'random_data'
   * falls back to 'zero_data'.
   */
  'input_data_type'?: "zero_data"|"random_data"|"input_data_file";
}

/**
 * Settings used to construct the request sample for model warmup.
 */
export interface ModelWarmup {
  /**
   * The name of the request sample.
   */
  'name'?: (string);
  /**
   * The batch size of the inference request; must be >= 1, and 1 for
   * models that don't support batching.
   */
  'batch_size'?: (number);
  /**
   * The warmup meta data associated with every model input.
   */
  'inputs'?: ({[key: string]: _inference_ModelWarmup_Input});
  /**
   * The number of iterations that this warmup sample will be executed.
   * 0 means once.
   */
  'count'?: (number);
}

/**
 * Settings used to construct the request sample for model warmup.
 */
export interface ModelWarmup__Output {
  /**
   * The name of the request sample.
   */
  'name': (string);
  /**
   * The batch size of the inference request; must be >= 1, and 1 for
   * models that don't support batching.
   */
  'batch_size': (number);
  /**
   * The warmup meta data associated with every model input.
   */
  'inputs': ({[key: string]: _inference_ModelWarmup_Input__Output});
  /**
   * The number of iterations that this warmup sample will be executed.
   * 0 means once.
   */
  'count': (number);
}
