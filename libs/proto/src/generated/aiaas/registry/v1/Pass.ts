// Original file: protos/registry.proto


export interface Pass {
  'name'?: (string);
  /**
   * The pass's settings as a JSON object.
   */
  'settings_json'?: (string);
}

export interface Pass__Output {
  'name': (string);
  /**
   * The pass's settings as a JSON object.
   */
  'settings_json': (string);
}
