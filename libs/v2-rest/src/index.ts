/**
 * `@aiaas/v2-rest`: a pure translation layer between the KServe V2 / Open Inference Protocol REST
 * API (JSON tensors and the binary tensor data extension) and its gRPC messages. No HTTP here:
 * the gateway feeds it bodies and headers and forwards the gRPC messages it returns.
 *
 * @packageDocumentation
 */

export { decodeInferRequest } from './infer-request';
export type { DecodedInferRequest, InferRequestHeaders, InferResponseOptions } from './infer-request';
export { encodeInferResponse, JSON_RESPONSE_OPTIONS } from './infer-response';
export type { EncodedResponse, JsonInferResponse, JsonResponseOutput } from './infer-response';
export { encodeModelMetadata, encodeServerMetadata, encodeError } from './metadata';
export type { JsonModelMetadata, JsonServerMetadata, JsonTensorMetadata, JsonError } from './metadata';
export { numberToFp16Bits, fp16BitsToNumber, numberToBf16Bits, bf16BitsToNumber, FP16_MAX } from './minifloat';
export { locateJsonError } from './json-position';
export type { JsonErrorLocation } from './json-position';
export type { JsonElement } from './tensor-data';
export type { JsonParameter } from './parameters';
