// Original file: protos/inference.proto


/**
 * Response message for ServerReady.
 */
export interface ServerReadyResponse {
  /**
   * True if the inference server is ready, false if not ready.
   */
  'ready'?: (boolean);
}

/**
 * Response message for ServerReady.
 */
export interface ServerReadyResponse__Output {
  /**
   * True if the inference server is ready, false if not ready.
   */
  'ready': (boolean);
}
