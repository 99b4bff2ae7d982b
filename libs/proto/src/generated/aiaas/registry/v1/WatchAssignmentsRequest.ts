// Original file: protos/deployments.proto


export interface WatchAssignmentsRequest {
  'node_id'?: (string);
}

export interface WatchAssignmentsRequest__Output {
  'node_id': (string);
}
