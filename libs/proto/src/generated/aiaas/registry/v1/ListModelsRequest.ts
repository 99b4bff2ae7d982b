// Original file: protos/registry.proto


export interface ListModelsRequest {
  /**
   * Default 50, at most 1000.
   */
  'page_size'?: (number);
  'page_token'?: (string);
  /**
   * Only models carrying this tag, written `key=value`.
   */
  'tag'?: (string);
  'name_prefix'?: (string);
}

export interface ListModelsRequest__Output {
  /**
   * Default 50, at most 1000.
   */
  'page_size': (number);
  'page_token': (string);
  /**
   * Only models carrying this tag, written `key=value`.
   */
  'tag': (string);
  'name_prefix': (string);
}
