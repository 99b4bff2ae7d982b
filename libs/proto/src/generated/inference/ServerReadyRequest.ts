// Original file: protos/inference.proto


/**
 * Request message for ServerReady.
 */
export interface ServerReadyRequest {
}

/**
 * Request message for ServerReady.
 */
export interface ServerReadyRequest__Output {
}
