// Original file: protos/inference.proto


/**
 * Response message for ServerMetadata.
 */
export interface ServerMetadataResponse {
  /**
   * The server name.
   */
  'name'?: (string);
  /**
   * The server version.
   */
  'version'?: (string);
  /**
   * The extensions supported by the server.
   */
  'extensions'?: (string)[];
}

/**
 * Response message for ServerMetadata.
 */
export interface ServerMetadataResponse__Output {
  /**
   * The server name.
   */
  'name': (string);
  /**
   * The server version.
   */
  'version': (string);
  /**
   * The extensions supported by the server.
   */
  'extensions': (string)[];
}
