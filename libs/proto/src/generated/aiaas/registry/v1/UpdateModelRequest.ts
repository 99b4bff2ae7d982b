// Original file: protos/registry.proto


export interface UpdateModelRequest {
  'name'?: (string);
  /**
   * Only the fields named here are replaced: "description", "tags", "metadata".
   */
  'update_mask'?: (string)[];
  'description'?: (string);
  'tags'?: ({[key: string]: string});
  'metadata'?: ({[key: string]: string});
}

export interface UpdateModelRequest__Output {
  'name': (string);
  /**
   * Only the fields named here are replaced: "description", "tags", "metadata".
   */
  'update_mask': (string)[];
  'description': (string);
  'tags': ({[key: string]: string});
  'metadata': ({[key: string]: string});
}
