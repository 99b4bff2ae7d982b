// Original file: protos/deployments.proto


export interface GetDeploymentRequest {
  'name'?: (string);
}

export interface GetDeploymentRequest__Output {
  'name': (string);
}
