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
export { buildConvNet, convNetReference, CNN_BENCH } from './models/conv-net';
export type { ConvNetOptions, ConvNetModel, ConvNetLayer, ConvLayerSpec } from './models/conv-net';
export { buildMultiIoModel } from './models/multi-io-model';
export { buildStringModel } from './models/string-model';
export type { StringModelOptions } from './models/string-model';
export { buildIdentityModel, identityInputName, identityOutputName } from './models/identity-model';
export type { BuiltModel } from './models/built-model';
export { PassSettingsError } from './passes/pass';
export type { PassResult, PassReport } from './passes/pass';
export { quantizeInt8, QUANTIZABLE_OP_TYPES } from './passes/quantize-int8';
export type { QuantizeInt8Settings, QuantizableOpType } from './passes/quantize-int8';
export { quantizeInt8StaticConv } from './passes/quantize-int8-static-conv';
export type { QuantizeInt8StaticConvSettings } from './passes/quantize-int8-static-conv';
export { graphOptimize, GRAPH_OPTIMIZE_LEVELS } from './passes/graph-optimize';
export type { GraphOptimizeSettings, GraphOptimizeOptions } from './passes/graph-optimize';
export { convertFp16, DEFAULT_FP16_BLOCK_LIST } from './passes/fp16';
export type { Fp16Settings } from './passes/fp16';
export { convertFp16Weights, float32ToFloat16Bits, float16BitsToFloat32, FLOAT16_MAX } from './passes/fp16-weights';
export type { Fp16WeightsSettings } from './passes/fp16-weights';
export { prune } from './passes/prune';
export type { PruneSettings, PruneResult, TensorSparsity } from './passes/prune';
export { validateCandidate, generateInputs, GENERATED_INPUT_DEFAULTS } from './passes/validate';
export type {
  ValidateOptions,
  ValidationResult,
  ValidationThresholds,
  ValidationSample,
  ValidationTensor,
  OutputMetrics,
} from './passes/validate';
export {
  parseValidationDataset,
  encodeNpz,
  ValidationDatasetError,
  VALIDATION_DATASET_FORMATS,
} from './passes/validation-dataset';
export type { ParsedValidationDataset, ValidationDatasetFormat } from './passes/validation-dataset';
export { benchmarkModel } from './passes/benchmark';
export type { BenchmarkOptions, BenchmarkRow } from './passes/benchmark';
