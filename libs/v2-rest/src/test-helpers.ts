// Test-only helpers (imported by *.spec.ts; not exported from the library).
import type { ModelInferRequest, ModelInferResponse__Output } from '@aiaas/proto';
import type { JsonInferResponse } from './infer-response';

/** A REST body: JSON header, then optional binary sections; with the header length when binary. */
export function restBody(json: unknown, ...binary: Buffer[]): { body: Buffer; headers: Record<string, string> } {
  const header = Buffer.from(JSON.stringify(json), 'utf8');
  if (binary.length === 0) return { body: header, headers: { 'content-type': 'application/json' } };
  return {
    body: Buffer.concat([header, ...binary]),
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
  };
}

/** A gRPC response that echoes a request's inputs as outputs, as proto-loader would deliver it. */
export function echoResponse(request: ModelInferRequest): ModelInferResponse__Output {
  return {
    model_name: request.model_name ?? '',
    model_version: request.model_version ?? '',
    id: request.id ?? '',
    parameters: {},
    outputs: (request.inputs ?? []).map((input) => ({
      name: input.name ?? '',
      datatype: input.datatype ?? '',
      shape: (input.shape ?? []).map(String),
      parameters: {},
      contents: null,
    })),
    raw_output_contents: (request.raw_input_contents ?? []).map((raw) => Buffer.from(raw as Buffer)),
  };
}

/** Splits a binary-extension body into its JSON header and the bytes after it. */
export function splitBody(body: Buffer, headers: Record<string, string>): { json: JsonInferResponse; rest: Buffer } {
  const length = Number(headers['inference-header-content-length'] ?? body.length);
  return { json: JSON.parse(body.toString('utf8', 0, length)) as JsonInferResponse, rest: body.subarray(length) };
}
