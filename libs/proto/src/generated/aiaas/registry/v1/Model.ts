// Original file: protos/registry.proto


export interface Model {
  'name'?: (string);
  'description'?: (string);
  'tags'?: ({[key: string]: string});
  'metadata'?: ({[key: string]: string});
  /**
   * RFC 3339 timestamps.
   */
  'created_at'?: (string);
  'updated_at'?: (string);
}

export interface Model__Output {
  'name': (string);
  'description': (string);
  'tags': ({[key: string]: string});
  'metadata': ({[key: string]: string});
  /**
   * RFC 3339 timestamps.
   */
  'created_at': (string);
  'updated_at': (string);
}
