// Original file: protos/registry.proto


/**
 * One input or output of a model as the ONNX file declares it.
 */
export interface TensorSignature {
  'name'?: (string);
  /**
   * Open Inference Protocol datatype: FP32, INT64, BYTES, ...
   */
  'datatype'?: (string);
  /**
   * Each dimension: a number ("64") or a symbolic name ("batch"); "?" when unknown.
   */
  'shape'?: (string)[];
}

/**
 * One input or output of a model as the ONNX file declares it.
 */
export interface TensorSignature__Output {
  'name': (string);
  /**
   * Open Inference Protocol datatype: FP32, INT64, BYTES, ...
   */
  'datatype': (string);
  /**
   * Each dimension: a number ("64") or a symbolic name ("batch"); "?" when unknown.
   */
  'shape': (string)[];
}
