// Original file: protos/inference.proto


/**
 * Response message for ServerLive.
 */
export interface ServerLiveResponse {
  /**
   * True if the inference server is live, false if not live.
   */
  'live'?: (boolean);
}

/**
 * Response message for ServerLive.
 */
export interface ServerLiveResponse__Output {
  /**
   * True if the inference server is live, false if not live.
   */
  'live': (boolean);
}
