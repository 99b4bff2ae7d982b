// Original file: protos/registry.proto


export interface DeleteAliasRequest {
  'model'?: (string);
  'alias'?: (string);
}

export interface DeleteAliasRequest__Output {
  'model': (string);
  'alias': (string);
}
