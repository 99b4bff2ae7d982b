// Original file: protos/deployments.proto


export interface HeartbeatResponse {
}

export interface HeartbeatResponse__Output {
}
