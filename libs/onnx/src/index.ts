export { decodeModel, encodeModel } from './model-codec';
export { OnnxFormatError } from './onnx-format-error';
export { ONNX_PROTO } from './onnx-schema';
export { TENSOR_DATA_TYPE, ATTRIBUTE_TYPE, TENSOR_DATA_LOCATION } from './onnx-types';
export type {
  Int64,
  OnnxTypeName,
  ModelProto,
  GraphProto,
  NodeProto,
  AttributeProto,
  TensorProto,
  TensorSegment,
  SparseTensorProto,
  ValueInfoProto,
  TypeProto,
  TypeProtoTensor,
  TypeProtoSequence,
  TypeProtoMap,
  TypeProtoOptional,
  TensorShapeProto,
  TensorShapeDimension,
  OperatorSetIdProto,
  StringStringEntryProto,
  TensorAnnotation,
  TrainingInfoProto,
  FunctionProto,
} from './onnx-types';
export {
  DATATYPES,
  ORT_DATATYPES,
  isDatatype,
  onnxTypeName,
  onnxTypeCode,
  onnxTypeBits,
  onnxTypeToDatatype,
  datatypeToOnnxType,
  datatypeToOrtType,
  ortTypeToDatatype,
  datatypeByteSize,
} from './datatypes';
export type { Datatype, OrtTensorType } from './datatypes';
export { inspectModel, UNKNOWN_DIM } from './inspect-model';
export type { ModelSignature, TensorSignature, OpsetSignature, UnsupportedValue, Dim } from './inspect-model';
export { inspectModelFile } from './inspect-model-file';
export { writeLargeModelFile } from './large-model-file';
export type { LargeModelFile, LargeModelFileOptions } from './large-model-file';
export { GraphBuilder, GraphBuilderError, attr, createTensor } from './graph-builder';
export type { GraphBuilderOptions, NodeOptions, AttributeValue, TensorData, ShapeDim } from './graph-builder';
export { mulberry32, uniformFloat32 } from './prng';
export { buildMlp, buildFixedBatchModel, mlpReference, MLP_SMALL, MLP_LARGE } from './models/mlp';
export type { MlpOptions, MlpModel, MlpWeights, MlpLayer } from './models/mlp';
export { buildCnn } from './models/cnn';
export type { CnnOptions, CnnModel, CnnWeights, CnnLayerWeights } from './models/cnn';
export { buildMultiIoModel } from './models/multi-io-model';
export { buildStringModel } from './models/string-model';
export type { StringModelOptions } from './models/string-model';
export { buildIdentityModel, identityInputName, identityOutputName } from './models/identity-model';
export type { BuiltModel } from './models/built-model';
