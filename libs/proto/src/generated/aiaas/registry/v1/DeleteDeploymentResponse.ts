// Original file: protos/deployments.proto


export interface DeleteDeploymentResponse {
}

export interface DeleteDeploymentResponse__Output {
}
