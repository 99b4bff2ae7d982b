// Original file: protos/registry.proto


export interface DeleteAliasResponse {
}

export interface DeleteAliasResponse__Output {
}
