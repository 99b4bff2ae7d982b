import { datatypeByteSize, datatypeToOrtType, isDatatype as isOnnxDatatype, ortTypeToDatatype } from '@aiaas/onnx';
import type { Datatype as OnnxDatatype, OrtTensorType } from '@aiaas/onnx';

/**
 * The protocol datatypes this node serves: all of the Open Inference Protocol's except BF16,
 * which onnxruntime-node cannot hold in a tensor (it has no bfloat16 type).
 */
export type Datatype = Exclude<OnnxDatatype, 'BF16'>;

/** onnxruntime-node's name for a tensor element type. */
export type OrtType = OrtTensorType;

/** The `InferTensorContents` field that carries a datatype in typed (non-raw) form. */
export type ContentsField =
  | 'bool_contents'
  | 'int_contents'
  | 'int64_contents'
  | 'uint_contents'
  | 'uint64_contents'
  | 'fp32_contents'
  | 'fp64_contents'
  | 'bytes_contents';

/** Which typed field may carry each datatype (the spec's InferTensorContents); FP16 has none. */
export const CONTENTS_FIELD: Readonly<Record<Datatype, ContentsField | undefined>> = {
  BOOL: 'bool_contents',
  UINT8: 'uint_contents',
  UINT16: 'uint_contents',
  UINT32: 'uint_contents',
  UINT64: 'uint64_contents',
  INT8: 'int_contents',
  INT16: 'int_contents',
  INT32: 'int_contents',
  INT64: 'int64_contents',
  FP16: undefined,
  FP32: 'fp32_contents',
  FP64: 'fp64_contents',
  BYTES: 'bytes_contents',
};

export function isDatatype(value: string): value is Datatype {
  return isOnnxDatatype(value) && value !== 'BF16';
}

/** onnxruntime's type for a datatype. */
export function ortTypeOf(datatype: Datatype): OrtType {
  return datatypeToOrtType(datatype);
}

/** Bytes per element in the raw form; 0 for BYTES, whose elements are length-prefixed. */
export function byteWidth(datatype: Datatype): number {
  return datatype === 'BYTES' ? 0 : datatypeByteSize(datatype);
}

/** The protocol datatype of an onnxruntime type, or undefined for types we cannot serve (bfloat16, int4…). */
export function datatypeOfOrtType(ortType: string): Datatype | undefined {
  const datatype = ortTypeToDatatype(ortType);
  return datatype === undefined || datatype === 'BF16' ? undefined : datatype;
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
