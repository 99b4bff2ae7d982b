import { InternalError } from '@aiaas/common';
import type { ModelInferResponse__Output } from '@aiaas/proto';
import type { InferResponseOptions } from './infer-request';
import { formatParameters } from './parameters';
import type { JsonParameter } from './parameters';
import { checkBinaryData, parseDatatype, rawToJsonData } from './tensor-data';
import type { JsonElement } from './tensor-data';

/** An HTTP response body and the headers that describe it (Content-Length is the HTTP layer's). */
export interface EncodedResponse {
  body: Buffer;
  headers: Record<string, string>;
}

/** One `$response_output` of the REST response. */
export interface JsonResponseOutput {
  name: string;
  shape: number[];
  datatype: string;
  parameters?: Record<string, JsonParameter>;
  data?: JsonElement[];
}

/** The REST `$inference_response`. */
export interface JsonInferResponse {
  model_name: string;
  model_version: string;
  id?: string;
  parameters?: Record<string, JsonParameter>;
  outputs: JsonResponseOutput[];
}

/** JSON only, no binary outputs; what a request without binary flags gets. */
export const JSON_RESPONSE_OPTIONS: InferResponseOptions = Object.freeze({
  binaryDataOutput: false,
  binaryData: new Map<string, boolean>(),
});

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/**
 * Encodes a gRPC `ModelInferResponse` (outputs in `raw_output_contents`) as a KServe V2 REST
 * response. Plain JSON (`application/json`) unless an output is to be binary (per `options`):
 * then the JSON header, with `parameters.binary_data_size` on those outputs, is followed by their
 * raw bytes in output order, with `Inference-Header-Content-Length` and
 * `Content-Type: application/octet-stream`.
 *
 * JSON data: INT64/UINT64 within ±2^53 as numbers and beyond as decimal strings (JSON parsers
 * would round them); FP16/BF16 as numbers; NaN and ±Infinity, which JSON lacks, as null.
 * An output without a raw entry, or with a raw entry of the wrong size, throws `InternalError`.
 */
export function encodeInferResponse(
  response: ModelInferResponse__Output,
  options: InferResponseOptions = JSON_RESPONSE_OPTIONS,
): EncodedResponse {
  const binaries: Buffer[] = [];
  const outputs = response.outputs.map((output, index): JsonResponseOutput => {
    const raw = response.raw_output_contents[index];
    if (raw === undefined) {
      throw new InternalError(`output "${output.name}": the model's response has no raw_output_contents entry for it`);
    }
    const datatype = parseDatatype('output', output.name, output.datatype);
    const shape = output.shape.map(Number);
    const parameters = formatParameters(output.parameters);
    const binary = options.binaryData.get(output.name) ?? options.binaryDataOutput;
    if (binary) {
      try {
        checkBinaryData(output.name, datatype, shape, raw);
      } catch (error) {
        throw new InternalError(`the model returned a malformed tensor: ${(error as Error).message}`);
      }
      binaries.push(raw);
      return { name: output.name, shape, datatype, parameters: { ...parameters, binary_data_size: raw.length } };
    }
    const data = rawToJsonData(output.name, datatype, shape, raw);
    return { name: output.name, shape, datatype, ...(nonEmpty(parameters) && { parameters }), data };
  });

  const parameters = nonEmpty(formatParameters(response.parameters));
  const json: JsonInferResponse = {
    model_name: response.model_name,
    model_version: response.model_version,
    ...(response.id !== '' && { id: response.id }),
    ...(parameters && { parameters }),
    outputs,
  };
  const header = Buffer.from(JSON.stringify(json), 'utf8');
  if (binaries.length === 0) {
    return { body: header, headers: { 'content-type': 'application/json' } };
  }
  return {
    body: Buffer.concat([header, ...binaries]),
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
  };
}
