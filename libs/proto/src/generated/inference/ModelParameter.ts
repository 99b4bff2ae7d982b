// Original file: protos/model_config.proto


/**
 * A model parameter.
 */
export interface ModelParameter {
  /**
   * The string value of the parameter.
   */
  'string_value'?: (string);
}

/**
 * A model parameter.
 */
export interface ModelParameter__Output {
  /**
   * The string value of the parameter.
   */
  'string_value': (string);
}
