// Original file: protos/inference.proto


/**
 * Request message for ServerMetadata.
 */
export interface ServerMetadataRequest {
}

/**
 * Request message for ServerMetadata.
 */
export interface ServerMetadataRequest__Output {
}
