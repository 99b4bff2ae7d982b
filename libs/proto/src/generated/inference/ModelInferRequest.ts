// Original file: protos/inference.proto

import type { InferParameter as _inference_InferParameter, InferParameter__Output as _inference_InferParameter__Output } from '../inference/InferParameter';
import type { InferTensorContents as _inference_InferTensorContents, InferTensorContents__Output as _inference_InferTensorContents__Output } from '../inference/InferTensorContents';
import type { Long } from '@grpc/proto-loader';

/**
 * An input tensor for an inference request.
 */
export interface _inference_ModelInferRequest_InferInputTensor {
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
   * Optional inference input tensor parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The tensor contents using a data-type format. Must not be specified
   * if tensor contents are given in ModelInferRequest.raw_input_contents.
   */
  'contents'?: (_inference_InferTensorContents | null);
}

/**
 * An input tensor for an inference request.
 */
export interface _inference_ModelInferRequest_InferInputTensor__Output {
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
   * Optional inference input tensor parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The tensor contents using a data-type format. Must not be specified
   * if tensor contents are given in ModelInferRequest.raw_input_contents.
   */
  'contents': (_inference_InferTensorContents__Output | null);
}

/**
 * An output tensor requested for an inference request.
 */
export interface _inference_ModelInferRequest_InferRequestedOutputTensor {
  /**
   * The tensor name.
   */
  'name'?: (string);
  /**
   * Optional requested output tensor parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
}

/**
 * An output tensor requested for an inference request.
 */
export interface _inference_ModelInferRequest_InferRequestedOutputTensor__Output {
  /**
   * The tensor name.
   */
  'name': (string);
  /**
   * Optional requested output tensor parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
}

/**
 * Request message for ModelInfer.
 */
export interface ModelInferRequest {
  /**
   * The name of the model to use for inferencing.
   */
  'model_name'?: (string);
  /**
   * The version of the model to use for inference. If not given the
   * latest/most-recent version of the model is used.
   */
  'model_version'?: (string);
  /**
   * Optional identifier for the request. If specified will be returned in
   * the response.
   */
  'id'?: (string);
  /**
   * Optional inference parameters.
   */
  'parameters'?: ({[key: string]: _inference_InferParameter});
  /**
   * The input tensors for the inference.
   */
  'inputs'?: (_inference_ModelInferRequest_InferInputTensor)[];
  /**
   * The requested output tensors for the inference. Optional, if not
   * specified all outputs specified in the model config will be returned.
   */
  'outputs'?: (_inference_ModelInferRequest_InferRequestedOutputTensor)[];
  /**
   * Input tensor data in "raw" bytes form, one entry per tensor in the same
   * order as 'inputs': the flattened, row-major elements without stride or
   * padding. Faster than the typed lists in InferTensorContents; FP16 and
   * BF16 can only be sent this way. If this field is specified then
   * InferInputTensor::contents must not be specified for any input tensor.
   */
  'raw_input_contents'?: (Buffer | Uint8Array | string)[];
}

/**
 * Request message for ModelInfer.
 */
export interface ModelInferRequest__Output {
  /**
   * The name of the model to use for inferencing.
   */
  'model_name': (string);
  /**
   * The version of the model to use for inference. If not given the
   * latest/most-recent version of the model is used.
   */
  'model_version': (string);
  /**
   * Optional identifier for the request. If specified will be returned in
   * the response.
   */
  'id': (string);
  /**
   * Optional inference parameters.
   */
  'parameters': ({[key: string]: _inference_InferParameter__Output});
  /**
   * The input tensors for the inference.
   */
  'inputs': (_inference_ModelInferRequest_InferInputTensor__Output)[];
  /**
   * The requested output tensors for the inference. Optional, if not
   * specified all outputs specified in the model config will be returned.
   */
  'outputs': (_inference_ModelInferRequest_InferRequestedOutputTensor__Output)[];
  /**
   * Input tensor data in "raw" bytes form, one entry per tensor in the same
   * order as 'inputs': the flattened, row-major elements without stride or
   * padding. Faster than the typed lists in InferTensorContents; FP16 and
   * BF16 can only be sent this way. If this field is specified then
   * InferInputTensor::contents must not be specified for any input tensor.
   */
  'raw_input_contents': (Buffer)[];
}
