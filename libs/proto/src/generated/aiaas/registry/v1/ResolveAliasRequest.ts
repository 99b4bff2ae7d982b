// Original file: protos/registry.proto


export interface ResolveAliasRequest {
  /**
   * `name@alias` or `name@3`.
   */
  'reference'?: (string);
}

export interface ResolveAliasRequest__Output {
  /**
   * `name@alias` or `name@3`.
   */
  'reference': (string);
}
