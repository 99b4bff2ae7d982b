// Original file: protos/inference.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The data contained in a tensor represented by the repeated type that
 * matches the tensor's data type. Protobuf oneof is not used because oneofs
 * cannot contain repeated fields. Each list holds the flattened, row-major
 * tensor elements and its size must match the tensor's shape.
 */
export interface InferTensorContents {
  /**
   * Representation for BOOL data type.
   */
  'bool_contents'?: (boolean)[];
  /**
   * Representation for INT8, INT16, and INT32 data types.
   */
  'int_contents'?: (number)[];
  /**
   * Representation for INT64 data types.
   */
  'int64_contents'?: (number | string | Long)[];
  /**
   * Representation for UINT8, UINT16, and UINT32 data types.
   */
  'uint_contents'?: (number)[];
  /**
   * Representation for UINT64 data types.
   */
  'uint64_contents'?: (number | string | Long)[];
  /**
   * Representation for FP32 data type.
   */
  'fp32_contents'?: (number | string)[];
  /**
   * Representation for FP64 data type.
   */
  'fp64_contents'?: (number | string)[];
  /**
   * Representation for BYTES data type.
   */
  'bytes_contents'?: (Buffer | Uint8Array | string)[];
}

/**
 * The data contained in a tensor represented by the repeated type that
 * matches the tensor's data type. Protobuf oneof is not used because oneofs
 * cannot contain repeated fields. Each list holds the flattened, row-major
 * tensor elements and its size must match the tensor's shape.
 */
export interface InferTensorContents__Output {
  /**
   * Representation for BOOL data type.
   */
  'bool_contents': (boolean)[];
  /**
   * Representation for INT8, INT16, and INT32 data types.
   */
  'int_contents': (number)[];
  /**
   * Representation for INT64 data types.
   */
  'int64_contents': (string)[];
  /**
   * Representation for UINT8, UINT16, and UINT32 data types.
   */
  'uint_contents': (number)[];
  /**
   * Representation for UINT64 data types.
   */
  'uint64_contents': (string)[];
  /**
   * Representation for FP32 data type.
   */
  'fp32_contents': (number)[];
  /**
   * Representation for FP64 data type.
   */
  'fp64_contents': (number)[];
  /**
   * Representation for BYTES data type.
   */
  'bytes_contents': (Buffer)[];
}
