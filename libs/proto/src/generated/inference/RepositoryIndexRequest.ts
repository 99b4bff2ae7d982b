// Original file: protos/inference.proto


/**
 * Request message for RepositoryIndex.
 */
export interface RepositoryIndexRequest {
  /**
   * The name of the repository. If empty the index is returned for all
   * repositories.
   */
  'repository_name'?: (string);
  /**
   * If true returned only models currently ready for inferencing.
   */
  'ready'?: (boolean);
}

/**
 * Request message for RepositoryIndex.
 */
export interface RepositoryIndexRequest__Output {
  /**
   * The name of the repository. If empty the index is returned for all
   * repositories.
   */
  'repository_name': (string);
  /**
   * If true returned only models currently ready for inferencing.
   */
  'ready': (boolean);
}
