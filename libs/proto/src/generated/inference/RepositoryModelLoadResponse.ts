// Original file: protos/inference.proto


/**
 * Response message for RepositoryModelLoad.
 */
export interface RepositoryModelLoadResponse {
}

/**
 * Response message for RepositoryModelLoad.
 */
export interface RepositoryModelLoadResponse__Output {
}
