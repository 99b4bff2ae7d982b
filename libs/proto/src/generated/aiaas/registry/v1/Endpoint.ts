// Original file: protos/deployments.proto


export interface Endpoint {
  'node_id'?: (string);
  'address'?: (string);
  'weight'?: (number);
}

export interface Endpoint__Output {
  'node_id': (string);
  'address': (string);
  'weight': (number);
}
