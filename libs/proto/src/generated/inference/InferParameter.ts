// Original file: protos/inference.proto

import type { Long } from '@grpc/proto-loader';

/**
 * An inference parameter value.
 */
export interface InferParameter {
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
   * A double parameter value.
   */
  'double_param'?: (number | string);
  /**
   * A uint64 parameter value.
   */
  'uint64_param'?: (number | string | Long);
  /**
   * The parameter value can be a string, an int64, a uint64, a double or a
   * boolean. Upstream notes double and uint64 are not supported for custom
   * parameters.
   */
  'parameter_choice'?: "bool_param"|"int64_param"|"string_param"|"double_param"|"uint64_param";
}

/**
 * An inference parameter value.
 */
export interface InferParameter__Output {
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
   * A double parameter value.
   */
  'double_param'?: (number);
  /**
   * A uint64 parameter value.
   */
  'uint64_param'?: (string);
  /**
   * The parameter value can be a string, an int64, a uint64, a double or a
   * boolean. Upstream notes double and uint64 are not supported for custom
   * parameters.
   */
  'parameter_choice'?: "bool_param"|"int64_param"|"string_param"|"double_param"|"uint64_param";
}
