// Original file: protos/registry.proto


export interface CreateModelRequest {
  'name'?: (string);
  'description'?: (string);
  'tags'?: ({[key: string]: string});
  'metadata'?: ({[key: string]: string});
}

export interface CreateModelRequest__Output {
  'name': (string);
  'description': (string);
  'tags': ({[key: string]: string});
  'metadata': ({[key: string]: string});
}
