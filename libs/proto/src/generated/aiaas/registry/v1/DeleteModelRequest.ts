// Original file: protos/registry.proto


export interface DeleteModelRequest {
  'name'?: (string);
}

export interface DeleteModelRequest__Output {
  'name': (string);
}
