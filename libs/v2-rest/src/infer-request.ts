import { InvalidArgumentError } from '@aiaas/common';
import type { ModelInferRequest } from '@aiaas/proto';
import { locateJsonError } from './json-position';
import { parseParameters } from './parameters';
import { checkBinaryData, describeValue, jsonDataToRaw, parseDatatype, parseShape } from './tensor-data';

/** The HTTP headers the decoder reads (lower-case names, as Node gives them). */
export interface InferRequestHeaders {
  /** Not used to decide the framing: the binary extension is signalled by the next header alone. */
  'content-type'?: string;
  /** Binary tensor data extension: the JSON header's length in bytes; the rest of the body is tensor data. */
  'inference-header-content-length'?: string;
}

/** How the response must be framed, from the binary tensor data extension's request parameters. */
export interface InferResponseOptions {
  /** The request's `parameters.binary_data_output`: every output in binary unless overridden per output. */
  binaryDataOutput: boolean;
  /** Each requested output's `parameters.binary_data`, by output name; overrides `binaryDataOutput`. */
  binaryData: ReadonlyMap<string, boolean>;
}

/** A decoded REST inference request: the gRPC request to forward and how to frame its response. */
export interface DecodedInferRequest {
  /** The gRPC form, every input in `raw_input_contents` (one entry per input, in order). */
  request: ModelInferRequest;
  responseOptions: InferResponseOptions;
}

/** Binary-extension parameters: they describe HTTP framing, so they are not forwarded over gRPC. */
const BINARY_DATA_SIZE = 'binary_data_size';
const BINARY_DATA = 'binary_data';
const BINARY_DATA_OUTPUT = 'binary_data_output';

const INFERENCE_HEADER_LENGTH = /^\d+$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseHeaderLength(value: string | undefined, bodyLength: number): number {
  if (value === undefined) return bodyLength;
  const text = value.trim();
  if (!INFERENCE_HEADER_LENGTH.test(text)) {
    throw new InvalidArgumentError(`Inference-Header-Content-Length must be a non-negative integer, got "${value}"`);
  }
  const length = Number(text);
  if (length > bodyLength) {
    throw new InvalidArgumentError(
      `Inference-Header-Content-Length is ${text} but the body has only ${bodyLength} bytes`,
    );
  }
  return length;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const location = locateJsonError(text);
    if (!location) throw new InvalidArgumentError(`malformed JSON: ${(error as Error).message}`);
    throw new InvalidArgumentError(
      `malformed JSON at position ${location.position} (line ${location.line}, column ${location.column}): ${location.reason}`,
    );
  }
}

function readBoolean(where: string, key: string, parameters: unknown): boolean | undefined {
  if (!isObject(parameters)) return undefined;
  const value = parameters[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${where}: parameters.${key} is ${describeValue(value)}, expected true or false`);
  }
  return value;
}

function requireName(where: string, tensor: JsonObject): string {
  const name = tensor['name'];
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError(`${where}: "name" must be a non-empty string, got ${describeValue(name)}`);
  }
  return name;
}

/**
 * Decodes a KServe V2 REST inference request (`POST /v2/models/{m}[/versions/{v}]/infer`) into the
 * gRPC `ModelInferRequest`, with every input's data in `raw_input_contents`.
 *
 * JSON tensors: `data` flat or nested row-major with exactly prod(shape) elements; BOOL as
 * true/false; integer types as in-range integers (INT64/UINT64 also as decimal strings, since JSON
 * numbers beyond 2^53 are rounded by the parser); FP16/BF16 as numbers, rounded to nearest even;
 * BYTES as strings, UTF-8 encoded. Binary tensor data extension: with `Inference-Header-Content-Length: N`
 * the first N bytes are the JSON and the rest the data of the inputs that carry
 * `parameters.binary_data_size`, in input order.
 *
 * Throws `InvalidArgumentError` naming the tensor, what was expected and what came. The body size
 * limit is the HTTP layer's.
 */
export function decodeInferRequest(
  body: Buffer,
  headers: InferRequestHeaders,
  modelName: string,
  modelVersion = '',
): DecodedInferRequest {
  const headerLength = parseHeaderLength(headers['inference-header-content-length'], body.length);
  const json = parseJson(body.toString('utf8', 0, headerLength));
  if (!isObject(json)) {
    throw new InvalidArgumentError(`inference request: expected a JSON object, got ${describeValue(json)}`);
  }

  const id = json['id'];
  if (id !== undefined && typeof id !== 'string') {
    throw new InvalidArgumentError(`inference request: "id" must be a string, got ${describeValue(id)}`);
  }
  const binaryDataOutput = readBoolean('inference request', BINARY_DATA_OUTPUT, json['parameters']) ?? false;
  const parameters = parseParameters('inference request', json['parameters'], [BINARY_DATA_OUTPUT]);

  const inputsJson = json['inputs'];
  if (!Array.isArray(inputsJson) || inputsJson.length === 0) {
    throw new InvalidArgumentError(
      `inference request: "inputs" must be a non-empty array of input tensors, got ${describeValue(inputsJson)}`,
    );
  }

  // Binary sections are laid out in input order; collect sizes first so that a wrong total is
  // reported as such rather than as a wrong size for whichever input happens to come last.
  const binaryStart = headerLength;
  const binaryLength = body.length - headerLength;
  const parsed = (inputsJson as unknown[]).map((tensor, index) => {
    if (!isObject(tensor)) {
      throw new InvalidArgumentError(
        `inference request: inputs[${index}] must be an object, got ${describeValue(tensor)}`,
      );
    }
    const name = requireName(`inference request: inputs[${index}]`, tensor);
    const where = `input "${name}"`;
    for (const field of ['shape', 'datatype'] as const) {
      if (tensor[field] === undefined) throw new InvalidArgumentError(`${where}: missing "${field}"`);
    }
    const datatype = parseDatatype('input', name, tensor['datatype']);
    const shape = parseShape('input', name, tensor['shape']);
    const rawParameters = tensor['parameters'];
    let binarySize: number | undefined;
    if (isObject(rawParameters) && rawParameters[BINARY_DATA_SIZE] !== undefined) {
      const size = rawParameters[BINARY_DATA_SIZE];
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
        throw new InvalidArgumentError(
          `${where}: parameters.${BINARY_DATA_SIZE} is ${describeValue(size)}, expected a non-negative integer`,
        );
      }
      binarySize = size;
    }
    const hasData = tensor['data'] !== undefined;
    if (hasData && binarySize !== undefined) {
      throw new InvalidArgumentError(`${where}: has both "data" and parameters.${BINARY_DATA_SIZE}; send one`);
    }
    if (!hasData && binarySize === undefined) {
      throw new InvalidArgumentError(`${where}: missing "data" (or parameters.${BINARY_DATA_SIZE} with binary data)`);
    }
    const inputParameters = parseParameters(where, rawParameters, [BINARY_DATA_SIZE]);
    return { name, datatype, shape, binarySize, data: tensor['data'], parameters: inputParameters };
  });

  const names = new Set<string>();
  for (const { name } of parsed) {
    if (names.has(name)) throw new InvalidArgumentError(`input "${name}" appears more than once`);
    names.add(name);
  }

  const declared = parsed.filter((p) => p.binarySize !== undefined);
  const declaredTotal = declared.reduce((sum, p) => sum + p.binarySize!, 0);
  if (declaredTotal !== binaryLength) {
    const detail =
      declared.length === 0
        ? 'no input has parameters.binary_data_size'
        : declared.map((p) => `"${p.name}" ${p.binarySize}`).join(', ');
    throw new InvalidArgumentError(
      `binary tensor data: inputs declare ${declaredTotal} bytes (${detail}) but ${binaryLength} bytes follow the ${headerLength}-byte JSON header`,
    );
  }

  let offset = binaryStart;
  const raw: Buffer[] = [];
  const inputs = parsed.map(({ name, datatype, shape, binarySize, data, parameters: inputParameters }) => {
    if (binarySize !== undefined) {
      const section = body.subarray(offset, offset + binarySize);
      offset += binarySize;
      checkBinaryData(name, datatype, shape, section);
      raw.push(section);
    } else {
      raw.push(jsonDataToRaw(name, datatype, shape, data));
    }
    return { name, datatype, shape, ...(inputParameters && { parameters: inputParameters }) };
  });

  const outputsJson = json['outputs'];
  const binaryData = new Map<string, boolean>();
  let outputs: ModelInferRequest['outputs'];
  if (outputsJson !== undefined) {
    if (!Array.isArray(outputsJson)) {
      throw new InvalidArgumentError(
        `inference request: "outputs" must be an array, got ${describeValue(outputsJson)}`,
      );
    }
    outputs = (outputsJson as unknown[]).map((tensor, index) => {
      if (!isObject(tensor)) {
        throw new InvalidArgumentError(
          `inference request: outputs[${index}] must be an object, got ${describeValue(tensor)}`,
        );
      }
      const name = requireName(`inference request: outputs[${index}]`, tensor);
      if (binaryData.has(name)) throw new InvalidArgumentError(`output "${name}" is requested more than once`);
      const binary = readBoolean(`output "${name}"`, BINARY_DATA, tensor['parameters']);
      binaryData.set(name, binary ?? binaryDataOutput);
      const outputParameters = parseParameters(`output "${name}"`, tensor['parameters'], [BINARY_DATA]);
      return { name, ...(outputParameters && { parameters: outputParameters }) };
    });
  }

  const request: ModelInferRequest = {
    model_name: modelName,
    model_version: modelVersion,
    inputs,
    raw_input_contents: raw,
    ...(id !== undefined && { id }),
    ...(parameters && { parameters }),
    ...(outputs && { outputs }),
  };
  return { request, responseOptions: { binaryDataOutput, binaryData } };
}
