// Original file: protos/deployments.proto


export interface ReportReplicaStatusResponse {
}

export interface ReportReplicaStatusResponse__Output {
}
