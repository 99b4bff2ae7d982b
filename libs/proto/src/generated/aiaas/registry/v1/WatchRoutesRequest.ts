// Original file: protos/deployments.proto


export interface WatchRoutesRequest {
}

export interface WatchRoutesRequest__Output {
}
