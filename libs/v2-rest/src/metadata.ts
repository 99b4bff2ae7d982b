import type { ModelMetadataResponse__Output, ServerMetadataResponse__Output } from '@aiaas/proto';

/** A `$metadata_tensor` of the REST model metadata response. */
export interface JsonTensorMetadata {
  name: string;
  datatype: string;
  /** -1 for a variable-size dimension. */
  shape: number[];
}

/** The REST `$metadata_model_response` (`GET /v2/models/{m}[/versions/{v}]`). */
export interface JsonModelMetadata {
  name: string;
  versions?: string[];
  platform: string;
  inputs: JsonTensorMetadata[];
  outputs: JsonTensorMetadata[];
}

/** The REST `$metadata_server_response` (`GET /v2`). */
export interface JsonServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

/** The REST error body of the /v2 routes: `{"error": "<message>"}`. */
export interface JsonError {
  error: string;
}

function tensor(t: { name: string; datatype: string; shape: string[] }): JsonTensorMetadata {
  return { name: t.name, datatype: t.datatype, shape: t.shape.map(Number) };
}

/** Encodes a gRPC `ModelMetadataResponse` as the REST model metadata object (shape dims as numbers; `versions` only when known). */
export function encodeModelMetadata(metadata: ModelMetadataResponse__Output): JsonModelMetadata {
  return {
    name: metadata.name,
    ...(metadata.versions.length > 0 && { versions: [...metadata.versions] }),
    platform: metadata.platform,
    inputs: metadata.inputs.map(tensor),
    outputs: metadata.outputs.map(tensor),
  };
}

/** Encodes a gRPC `ServerMetadataResponse` as the REST server metadata object. */
export function encodeServerMetadata(metadata: ServerMetadataResponse__Output): JsonServerMetadata {
  return { name: metadata.name, version: metadata.version, extensions: [...metadata.extensions] };
}

/**
 * The Open Inference Protocol's REST error body for the /v2 routes. (The product's /v1 management
 * routes use `{"error":{"code","message","details"}}` instead.)
 */
export function encodeError(message: string): JsonError {
  return { error: message };
}
