/**
 * Plain TypeScript shapes of the ONNX protobuf messages in onnx.proto, as returned by
 * `decodeModel` and accepted by `encodeModel`. Field names are the proto names in camelCase
 * (`ir_version` → `irVersion`). Every field is optional because ONNX uses proto2: an absent field
 * is left out of the object, and an empty repeated field reads as absent.
 */

/**
 * A protobuf 64-bit integer. Decoding yields a `number` when the value is a safe integer and a
 * `bigint` otherwise, so sentinels such as INT64_MAX (common in Slice `ends`) survive a round trip.
 * Encoding accepts either.
 */
export type Int64 = number | bigint;

/** `TensorProto.DataType`: the element type codes used by `dataType` and `elemType` fields. */
export const TENSOR_DATA_TYPE = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
} as const;

/** An ONNX element type name other than UNDEFINED ('FLOAT', 'INT64', 'STRING', …). */
export type OnnxTypeName = Exclude<keyof typeof TENSOR_DATA_TYPE, 'UNDEFINED'>;

/** `AttributeProto.AttributeType`: which value field of an attribute is in use. */
export const ATTRIBUTE_TYPE = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

/** `TensorProto.DataLocation`: whether a tensor's bytes are inside the model or in another file. */
export const TENSOR_DATA_LOCATION = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** `StringStringEntryProto`: one entry of a string map (metadata, external data). */
export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

/** `OperatorSetIdProto`: an imported operator set; the empty domain means `ai.onnx`. */
export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

/** `TensorShapeProto.Dimension`: a fixed size (`dimValue`) or a symbolic name (`dimParam`), or neither. */
export interface TensorShapeDimension {
  dimValue?: Int64;
  dimParam?: string;
  denotation?: string;
}

/** `TensorShapeProto`: absent on a type means the rank is unknown. */
export interface TensorShapeProto {
  dim?: TensorShapeDimension[];
}

/** `TypeProto.Tensor` (and `TypeProto.SparseTensor`, which has the same fields). */
export interface TypeProtoTensor {
  elemType?: number;
  shape?: TensorShapeProto;
}

/** `TypeProto.Sequence`. */
export interface TypeProtoSequence {
  elemType?: TypeProto;
}

/** `TypeProto.Map`. */
export interface TypeProtoMap {
  keyType?: number;
  valueType?: TypeProto;
}

/** `TypeProto.Optional`. */
export interface TypeProtoOptional {
  elemType?: TypeProto;
}

/** `TypeProto`: exactly one of the `*Type` fields is set. */
export interface TypeProto {
  tensorType?: TypeProtoTensor;
  sequenceType?: TypeProtoSequence;
  mapType?: TypeProtoMap;
  optionalType?: TypeProtoOptional;
  sparseTensorType?: TypeProtoTensor;
  denotation?: string;
}

/** `ValueInfoProto`: the name and type of a graph input, output or intermediate value. */
export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  docString?: string;
  metadataProps?: StringStringEntryProto[];
}

/** `TensorProto.Segment`. */
export interface TensorSegment {
  begin?: Int64;
  end?: Int64;
}

/**
 * `TensorProto`: a constant tensor. Its elements are in `rawData` (little-endian) or in the one
 * typed `*Data` field matching `dataType`, or in an external file named by `externalData`.
 */
export interface TensorProto {
  dims?: Int64[];
  dataType?: number;
  segment?: TensorSegment;
  floatData?: number[];
  int32Data?: number[];
  stringData?: Uint8Array[];
  int64Data?: Int64[];
  name?: string;
  docString?: string;
  rawData?: Uint8Array;
  externalData?: StringStringEntryProto[];
  dataLocation?: number;
  doubleData?: number[];
  uint64Data?: Int64[];
  metadataProps?: StringStringEntryProto[];
}

/** `SparseTensorProto`. */
export interface SparseTensorProto {
  values?: TensorProto;
  indices?: TensorProto;
  dims?: Int64[];
}

/** `AttributeProto`: `type` (see {@link ATTRIBUTE_TYPE}) says which value field is set. */
export interface AttributeProto {
  name?: string;
  refAttrName?: string;
  docString?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  sparseTensor?: SparseTensorProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  sparseTensors?: SparseTensorProto[];
  typeProtos?: TypeProto[];
}

/** `NodeProto`: one operator call; an empty input name means an omitted optional input. */
export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  domain?: string;
  overload?: string;
  attribute?: AttributeProto[];
  docString?: string;
  metadataProps?: StringStringEntryProto[];
}

/** `TensorAnnotation`. */
export interface TensorAnnotation {
  tensorName?: string;
  quantParameterTensorNames?: StringStringEntryProto[];
}

/** `GraphProto`: nodes in topological order, constants (`initializer`), inputs and outputs. */
export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparseInitializer?: SparseTensorProto[];
  docString?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  valueInfo?: ValueInfoProto[];
  quantizationAnnotation?: TensorAnnotation[];
  metadataProps?: StringStringEntryProto[];
}

/** `TrainingInfoProto`. */
export interface TrainingInfoProto {
  initialization?: GraphProto;
  algorithm?: GraphProto;
  initializationBinding?: StringStringEntryProto[];
  updateBinding?: StringStringEntryProto[];
}

/** `FunctionProto`: a model-local function. */
export interface FunctionProto {
  name?: string;
  input?: string[];
  output?: string[];
  attribute?: string[];
  attributeProto?: AttributeProto[];
  node?: NodeProto[];
  docString?: string;
  opsetImport?: OperatorSetIdProto[];
  domain?: string;
  overload?: string;
  valueInfo?: ValueInfoProto[];
  metadataProps?: StringStringEntryProto[];
}

/** `ModelProto`: the top-level message of an `.onnx` file. */
export interface ModelProto {
  irVersion?: Int64;
  opsetImport?: OperatorSetIdProto[];
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: Int64;
  docString?: string;
  graph?: GraphProto;
  metadataProps?: StringStringEntryProto[];
  trainingInfo?: TrainingInfoProto[];
  functions?: FunctionProto[];
}
