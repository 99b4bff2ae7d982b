// Original file: protos/inference.proto


/**
 * Response message for ModelReady.
 */
export interface ModelReadyResponse {
  /**
   * True if the model is ready, false if not ready.
   */
  'ready'?: (boolean);
}

/**
 * Response message for ModelReady.
 */
export interface ModelReadyResponse__Output {
  /**
   * True if the model is ready, false if not ready.
   */
  'ready': (boolean);
}
