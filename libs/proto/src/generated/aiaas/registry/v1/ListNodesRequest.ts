// Original file: protos/deployments.proto


export interface ListNodesRequest {
}

export interface ListNodesRequest__Output {
}
