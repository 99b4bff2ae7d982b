// Original file: protos/registry.proto


export interface DeleteVersionResponse {
}

export interface DeleteVersionResponse__Output {
}
