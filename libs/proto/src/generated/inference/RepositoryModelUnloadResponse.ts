// Original file: protos/inference.proto


/**
 * Response message for RepositoryModelUnload.
 */
export interface RepositoryModelUnloadResponse {
}

/**
 * Response message for RepositoryModelUnload.
 */
export interface RepositoryModelUnloadResponse__Output {
}
