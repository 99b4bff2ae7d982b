// Original file: protos/inference.proto


/**
 * Request message for ServerLive.
 */
export interface ServerLiveRequest {
}

/**
 * Request message for ServerLive.
 */
export interface ServerLiveRequest__Output {
}
