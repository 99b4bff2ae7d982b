// Original file: protos/inference.proto

import type { InferParameter as _inference_InferParameter, InferParameter__Output as _inference_InferParameter__Output } from '../inference/InferParameter';
import type { InferTensorContents as _inference_InferTensorContents, InferTensorContents__Output as _inference_InferTensorContents__Output } from '../inference/InferTensorContents';
import type { Long } from '@grpc/proto-loader';

/**
 * An output tensor returned for an inference request.
 */
export interface _inference_ModelInferResponse_InferOutputTensor {
  /**
   * The tensor name.
   */
  'name'?: (string);
  /**
   * The tensor data type.
   */
  'datatype'?: (string);
  /**
   * The tensor shape.
   */
  'shape'?: (number | string | Long)[];
  /**
   * Optional output tensor parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The tensor contents using a data-type format. Must not be specified
   * if tensor contents are given in ModelInferResponse.raw_output_contents.
   */
  'contents'?: (_inference_InferTensorContents | null);
}

/**
 * An output tensor returned for an inference request.
 */
export interface _inference_ModelInferResponse_InferOutputTensor__Output {
  /**
   * The tensor name.
   */
  'name': (string);
  /**
   * The tensor data type.
   */
  'datatype': (string);
  /**
   * The tensor shape.
   */
  'shape': (string)[];
  /**
   * Optional output tensor parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The tensor contents using a data-type format. Must not be specified
   * if tensor contents are given in ModelInferResponse.raw_output_contents.
   */
  'contents': (_inference_InferTensorContents__Output | null);
}

/**
 * Response message for ModelInfer.
 */
export interface ModelInferResponse {
  /**
   * The name of the model used for inference.
   */
  'model_name'?: (string);
  /**
   * The version of the model used for inference.
   */
  'model_version'?: (string);
  /**
   * The id of the inference request if one was specified.
   */
  'id'?: (string);
  /**
   * Optional inference response parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The output tensors holding inference results.
   */
  'outputs'?: (_inference_ModelInferResponse_InferOutputTensor)[];
  /**
   * Output tensor data in "raw" bytes form, one entry per tensor in the same
   * order as 'outputs': the flattened, row-major elements without stride or
   * padding. If this field is specified then InferOutputTensor::contents
   * must not be specified for any output tensor.
   */
  'raw_output_contents'?: (Buffer | Uint8Array | string)[];
}

/**
 * Response message for ModelInfer.
 */
export interface ModelInferResponse__Output {
  /**
   * The name of the model used for inference.
   */
  'model_name': (string);
  /**
   * The version of the model used for inference.
   */
  'model_version': (string);
  /**
   * The id of the inference request if one was specified.
   */
  'id': (string);
  /**
   * Optional inference response parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The output tensors holding inference results.
   */
  'outputs': (_inference_ModelInferResponse_InferOutputTensor__Output)[];
  /**
   * Output tensor data in "raw" bytes form, one entry per tensor in the same
   * order as 'outputs': the flattened, row-major elements without stride or
   * padding. If this field is specified then InferOutputTensor::contents
   * must not be specified for any output tensor.
   */
  'raw_output_contents': (Buffer)[];
}
