// Original file: protos/inference.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A model repository parameter value.
 */
export interface ModelRepositoryParameter {
  /**
   * A boolean parameter value.
   */
  'bool_param'?: (boolean);
  /**
   * An int64 parameter value.
   */
  'int64_param'?: (number | string | Long);
  /**
   * A string parameter value.
   */
  'string_param'?: (string);
  /**
   * A bytes parameter value.
   */
  'bytes_param'?: (Buffer | Uint8Array | string);
  /**
   * The parameter value can be a string, an int64, a boolean or bytes.
   */
  'parameter_choice'?: "bool_param"|"int64_param"|"string_param"|"bytes_param";
}

/**
 * A model repository parameter value.
 */
export interface ModelRepositoryParameter__Output {
  /**
   * A boolean parameter value.
   */
  'bool_param'?: (boolean);
  /**
   * An int64 parameter value.
   */
  'int64_param'?: (string);
  /**
   * A string parameter value.
   */
  'string_param'?: (string);
  /**
   * A bytes parameter value.
   */
  'bytes_param'?: (Buffer);
  /**
   * The parameter value can be a string, an int64, a boolean or bytes.
   */
  'parameter_choice'?: "bool_param"|"int64_param"|"string_param"|"bytes_param";
}
