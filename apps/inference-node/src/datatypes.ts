/**
 * The Open Inference Protocol's tensor datatypes and how each one travels: its onnxruntime type,
 * its size in raw little-endian bytes, and which typed `InferTensorContents` field may carry it.
 */
export type Datatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BYTES';

/** onnxruntime-node's name for each tensor element type we serve. */
export type OrtType =
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

/** The `InferTensorContents` field that carries a datatype, or undefined when only raw bytes may. */
export type ContentsField =
  | 'bool_contents'
  | 'int_contents'
  | 'int64_contents'
  | 'uint_contents'
  | 'uint64_contents'
  | 'fp32_contents'
  | 'fp64_contents'
  | 'bytes_contents';

interface DatatypeInfo {
  ort: OrtType;
  /** Bytes per element in the raw form; 0 for BYTES, whose elements are length-prefixed. */
  bytes: number;
  contents: ContentsField | undefined;
}

export const DATATYPES: Readonly<Record<Datatype, DatatypeInfo>> = {
  BOOL: { ort: 'bool', bytes: 1, contents: 'bool_contents' },
  UINT8: { ort: 'uint8', bytes: 1, contents: 'uint_contents' },
  UINT16: { ort: 'uint16', bytes: 2, contents: 'uint_contents' },
  UINT32: { ort: 'uint32', bytes: 4, contents: 'uint_contents' },
  UINT64: { ort: 'uint64', bytes: 8, contents: 'uint64_contents' },
  INT8: { ort: 'int8', bytes: 1, contents: 'int_contents' },
  INT16: { ort: 'int16', bytes: 2, contents: 'int_contents' },
  INT32: { ort: 'int32', bytes: 4, contents: 'int_contents' },
  INT64: { ort: 'int64', bytes: 8, contents: 'int64_contents' },
  // The protocol has no typed field for FP16: it travels only as raw bytes.
  FP16: { ort: 'float16', bytes: 2, contents: undefined },
  FP32: { ort: 'float32', bytes: 4, contents: 'fp32_contents' },
  FP64: { ort: 'float64', bytes: 8, contents: 'fp64_contents' },
  BYTES: { ort: 'string', bytes: 0, contents: 'bytes_contents' },
};

const ORT_TO_DATATYPE = new Map<string, Datatype>(
  (Object.entries(DATATYPES) as [Datatype, DatatypeInfo][]).map(([dt, info]) => [info.ort, dt]),
);

export function isDatatype(value: string): value is Datatype {
  return Object.prototype.hasOwnProperty.call(DATATYPES, value);
}

/** The protocol datatype of an onnxruntime type, or undefined for types we cannot serve (int4…). */
export function datatypeOfOrtType(ortType: string): Datatype | undefined {
  return ORT_TO_DATATYPE.get(ortType);
}

/** Triton's model-configuration enum name for a datatype (`FP32` → `TYPE_FP32`, `BYTES` → `TYPE_STRING`). */
export function tritonConfigType(datatype: Datatype): string {
  return datatype === 'BYTES' ? 'TYPE_STRING' : `TYPE_${datatype}`;
}

/** Number of elements of a shape; 1 for a scalar. */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}
