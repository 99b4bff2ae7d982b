import { TENSOR_DATA_TYPE } from './onnx-types';
import type { OnnxTypeName } from './onnx-types';

import { DATATYPES } from '@aiaas/common';
import type { Datatype } from '@aiaas/common';

// The protocol's datatype names live in @aiaas/common (the SDK needs them without onnxruntime).
export { DATATYPES };
export type { Datatype };

/**
 * The datatypes onnxruntime-node can serve: all but BF16, which it cannot feed and whose
 * models it refuses to load ("Unsupported data type: 16").
 */
export const ORT_DATATYPES: readonly Exclude<Datatype, 'BF16'>[] = Object.freeze(
  DATATYPES.filter((datatype): datatype is Exclude<Datatype, 'BF16'> => datatype !== 'BF16'),
);

/** A tensor type string of onnxruntime's JavaScript API (`new ort.Tensor(type, data, dims)`). */
export type OrtTensorType =
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'string';

const DATATYPE_TO_ONNX: Readonly<Record<Datatype, OnnxTypeName>> = {
  BOOL: 'BOOL',
  UINT8: 'UINT8',
  UINT16: 'UINT16',
  UINT32: 'UINT32',
  UINT64: 'UINT64',
  INT8: 'INT8',
  INT16: 'INT16',
  INT32: 'INT32',
  INT64: 'INT64',
  FP16: 'FLOAT16',
  FP32: 'FLOAT',
  FP64: 'DOUBLE',
  BF16: 'BFLOAT16',
  BYTES: 'STRING',
};

const ONNX_TO_DATATYPE: ReadonlyMap<OnnxTypeName, Datatype> = new Map(
  Object.entries(DATATYPE_TO_ONNX).map(([datatype, onnx]) => [onnx, datatype as Datatype]),
);

// onnxruntime's JavaScript API has no bfloat16 tensor, so BF16 has no entry.
const DATATYPE_TO_ORT: Readonly<Partial<Record<Datatype, OrtTensorType>>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

const ORT_TO_DATATYPE: ReadonlyMap<string, Datatype> = new Map(
  Object.entries(DATATYPE_TO_ORT).map(([datatype, ort]) => [ort, datatype as Datatype]),
);

const DATATYPE_BYTES: Readonly<Partial<Record<Datatype, number>>> = {
  BOOL: 1,
  UINT8: 1,
  UINT16: 2,
  UINT32: 4,
  UINT64: 8,
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FP16: 2,
  FP32: 4,
  FP64: 8,
  BF16: 2,
};

// Bits per element of each ONNX type; STRING is variable-length and has none.
const ONNX_TYPE_BITS: Readonly<Partial<Record<OnnxTypeName, number>>> = {
  FLOAT: 32,
  UINT8: 8,
  INT8: 8,
  UINT16: 16,
  INT16: 16,
  INT32: 32,
  INT64: 64,
  BOOL: 8,
  FLOAT16: 16,
  DOUBLE: 64,
  UINT32: 32,
  UINT64: 64,
  COMPLEX64: 64,
  COMPLEX128: 128,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 8,
  FLOAT8E4M3FNUZ: 8,
  FLOAT8E5M2: 8,
  FLOAT8E5M2FNUZ: 8,
  UINT4: 4,
  INT4: 4,
  FLOAT4E2M1: 4,
};

const ONNX_TYPE_NAMES: ReadonlyMap<number, OnnxTypeName> = new Map(
  Object.entries(TENSOR_DATA_TYPE)
    .filter(([name]) => name !== 'UNDEFINED')
    .map(([name, code]) => [code, name as OnnxTypeName]),
);

/** True when `value` is one of the {@link Datatype} names. */
export function isDatatype(value: unknown): value is Datatype {
  return typeof value === 'string' && hasOwnKey(DATATYPE_TO_ONNX, value);
}

/** The ONNX type name of a `TensorProto.DataType` code (1 → 'FLOAT'), or undefined for an unknown code. */
export function onnxTypeName(code: number): OnnxTypeName | undefined {
  return ONNX_TYPE_NAMES.get(code);
}

/** The `TensorProto.DataType` code of an ONNX type name ('FLOAT' → 1). */
export function onnxTypeCode(name: OnnxTypeName): number {
  return TENSOR_DATA_TYPE[name];
}

/**
 * The KServe datatype of an ONNX element type, given by name ('FLOAT') or code (1).
 * Returns undefined for types the protocol cannot carry (complex, float8, 4-bit, unknown codes).
 */
export function onnxTypeToDatatype(onnxType: OnnxTypeName | number): Datatype | undefined {
  const name = typeof onnxType === 'number' ? onnxTypeName(onnxType) : onnxType;
  return name === undefined ? undefined : ONNX_TO_DATATYPE.get(name);
}

/** The ONNX element type name of a KServe datatype ('FP32' → 'FLOAT', 'BYTES' → 'STRING'). */
export function datatypeToOnnxType(datatype: Datatype): OnnxTypeName {
  return DATATYPE_TO_ONNX[datatype];
}

/**
 * The onnxruntime-node tensor type of a KServe datatype ('FP32' → 'float32', 'BYTES' → 'string').
 * BF16 has no onnxruntime JavaScript tensor type and gives undefined.
 */
export function datatypeToOrtType(datatype: Exclude<Datatype, 'BF16'>): OrtTensorType;
export function datatypeToOrtType(datatype: Datatype): OrtTensorType | undefined;
export function datatypeToOrtType(datatype: Datatype): OrtTensorType | undefined {
  return DATATYPE_TO_ORT[datatype];
}

/** The KServe datatype of an onnxruntime-node tensor type ('float32' → 'FP32'), or undefined ('int4', …). */
export function ortTypeToDatatype(ortType: string): Datatype | undefined {
  return ORT_TO_DATATYPE.get(ortType);
}

/** Bytes per element of a KServe datatype; BYTES is variable-length and gives undefined. */
export function datatypeByteSize(datatype: Exclude<Datatype, 'BYTES'>): number;
export function datatypeByteSize(datatype: Datatype): number | undefined;
export function datatypeByteSize(datatype: Datatype): number | undefined {
  return DATATYPE_BYTES[datatype];
}

/** Bits per element of an ONNX type (4 for INT4), or undefined for STRING. */
export function onnxTypeBits(name: OnnxTypeName): number | undefined {
  return ONNX_TYPE_BITS[name];
}

function hasOwnKey(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
