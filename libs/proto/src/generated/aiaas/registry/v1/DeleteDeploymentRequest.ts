// Original file: protos/deployments.proto


export interface DeleteDeploymentRequest {
  'name'?: (string);
}

export interface DeleteDeploymentRequest__Output {
  'name': (string);
}
