// Original file: protos/registry.proto


export interface DeleteModelResponse {
}

export interface DeleteModelResponse__Output {
}
