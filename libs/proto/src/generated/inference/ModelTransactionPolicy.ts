// Original file: protos/model_config.proto


/**
 * The nature of transactions to be expected from the model.
 */
export interface ModelTransactionPolicy {
  /**
   * Whether the model's responses are decoupled from its requests: the
   * number of responses may differ from the number of requests and they
   * may arrive out of order. Default false (exactly one response per
   * request).
   */
  'decoupled'?: (boolean);
}

/**
 * The nature of transactions to be expected from the model.
 */
export interface ModelTransactionPolicy__Output {
  /**
   * Whether the model's responses are decoupled from its requests: the
   * number of responses may differ from the number of requests and they
   * may arrive out of order. Default false (exactly one response per
   * request).
   */
  'decoupled': (boolean);
}
