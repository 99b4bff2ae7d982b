import { InvalidArgumentError, decodeBytesElements, decodeUtf8Element } from '@aiaas/common';
import { CONTENTS_FIELD, byteWidth, elementCount, isDatatype } from './datatypes';
import type { Datatype } from './datatypes';
import type { TensorSpec } from './model-config';
import type { TensorData } from './worker-protocol';

// The BYTES raw-form helpers live in @aiaas/common (the REST gateway shares them); re-exported for this app's callers.
export { decodeBytesElements, encodeBytesElements } from '@aiaas/common';

/** The parts of an `InferTensorContents` message the codec reads (proto-loader output, longs as strings). */
export interface TensorContentsInput {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: (string | number)[];
  uint_contents?: number[];
  uint64_contents?: (string | number)[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

/** The parts of an `InferInputTensor` the codec reads. */
export interface InputTensorMessage {
  name: string;
  datatype: string;
  shape: (string | number)[];
  contents?: TensorContentsInput | null;
}

/**
 * One validated input tensor. Numeric data is kept as little-endian bytes so that batching is a
 * byte concatenation; BYTES elements are kept as strings, the form onnxruntime takes.
 */
export interface DecodedTensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  bytes: Buffer | undefined;
  strings: string[] | undefined;
}

function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(',')}]`;
}

function describeSpec(spec: TensorSpec): string {
  return `${spec.datatype} ${formatShape(spec.shape)}`;
}

function toShape(name: string, shape: readonly (string | number)[]): number[] {
  return shape.map((dim) => {
    const value = Number(dim);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`input "${name}": shape ${formatShape(shape)} has an invalid dimension "${dim}"`);
    }
    return value;
  });
}

function typedToBuffer(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function contentsToBuffer(name: string, datatype: Datatype, contents: TensorContentsInput, count: number): DecodedTensor['bytes'] {
  const field = CONTENTS_FIELD[datatype];
  const values = field ? (contents[field] as unknown[] | undefined) : undefined;
  if (!field || values === undefined) {
    throw new InvalidArgumentError(
      field
        ? `input "${name}": ${datatype} data must be in contents.${field} or raw_input_contents`
        : `input "${name}": ${datatype} has no typed contents field in the protocol; send it in raw_input_contents`,
    );
  }
  if (values.length !== count) {
    throw new InvalidArgumentError(`input "${name}": shape needs ${count} elements, contents.${field} has ${values.length}`);
  }
  const numbers = values as number[];
  switch (datatype) {
    case 'BOOL':
      return typedToBuffer(Uint8Array.from(values as boolean[], (v) => (v ? 1 : 0)));
    case 'UINT8':
      return typedToBuffer(Uint8Array.from(numbers));
    case 'UINT16':
      return typedToBuffer(Uint16Array.from(numbers));
    case 'UINT32':
      return typedToBuffer(Uint32Array.from(numbers));
    case 'INT8':
      return typedToBuffer(Int8Array.from(numbers));
    case 'INT16':
      return typedToBuffer(Int16Array.from(numbers));
    case 'INT32':
      return typedToBuffer(Int32Array.from(numbers));
    case 'INT64':
      return typedToBuffer(BigInt64Array.from(values as (string | number)[], (v) => BigInt(v)));
    case 'UINT64':
      return typedToBuffer(BigUint64Array.from(values as (string | number)[], (v) => BigInt(v)));
    case 'FP32':
      return typedToBuffer(Float32Array.from(numbers));
    case 'FP64':
      return typedToBuffer(Float64Array.from(numbers));
    default:
      throw new InvalidArgumentError(`input "${name}": ${datatype} cannot be sent as typed contents`);
  }
}

function hasTypedContents(contents: TensorContentsInput | null | undefined): boolean {
  if (!contents) return false;
  return Object.values(contents).some((v) => Array.isArray(v) && v.length > 0);
}

/**
 * Validates the request's inputs against the model's and returns them in the model's input order.
 * `batchDimension`: the first dimension is the batch (any size 1..maxBatchSize, equal for all inputs).
 */
export function decodeInputs(
  inputs: readonly InputTensorMessage[],
  raw: readonly Buffer[],
  specs: readonly TensorSpec[],
  maxBatchSize: number,
): DecodedTensor[] {
  if (raw.length > 0 && raw.length !== inputs.length) {
    throw new InvalidArgumentError(
      `raw_input_contents has ${raw.length} entries but the request has ${inputs.length} inputs; send one entry per input, in order`,
    );
  }
  const byName = new Map<string, { message: InputTensorMessage; raw: Buffer | undefined }>();
  inputs.forEach((message, index) => {
    if (byName.has(message.name)) throw new InvalidArgumentError(`input "${message.name}" appears more than once`);
    byName.set(message.name, { message, raw: raw[index] });
  });
  for (const name of byName.keys()) {
    if (!specs.some((s) => s.name === name)) {
      throw new InvalidArgumentError(`unexpected input "${name}": the model's inputs are ${specs.map((s) => `"${s.name}"`).join(', ')}`);
    }
  }

  let batch: number | undefined;
  return specs.map((spec) => {
    const entry = byName.get(spec.name);
    if (!entry) throw new InvalidArgumentError(`missing input "${spec.name}": expected ${describeSpec(spec)}`);
    const { message } = entry;
    if (!isDatatype(message.datatype) || message.datatype !== spec.datatype) {
      throw new InvalidArgumentError(`input "${spec.name}": expected datatype ${spec.datatype}, got "${message.datatype}"`);
    }
    const datatype = spec.datatype;
    const shape = toShape(spec.name, message.shape);
    checkShape(spec, shape, maxBatchSize);
    if (maxBatchSize > 0) {
      const first = shape[0]!;
      if (batch !== undefined && first !== batch) {
        throw new InvalidArgumentError(
          `input "${spec.name}": batch dimension is ${first} but another input has ${batch}; all inputs must share the first dimension`,
        );
      }
      batch = first;
    }
    const count = elementCount(shape);
    const typed = hasTypedContents(message.contents);
    if (entry.raw !== undefined && typed) {
      throw new InvalidArgumentError(`input "${spec.name}": has both raw_input_contents and typed contents; send one`);
    }
    if (datatype === 'BYTES') {
      const strings =
        entry.raw !== undefined
          ? decodeBytesElements(spec.name, entry.raw, count)
          : (message.contents?.bytes_contents ?? []).map((b) => decodeUtf8Element(spec.name, b));
      if (strings.length !== count) {
        throw new InvalidArgumentError(`input "${spec.name}": shape needs ${count} BYTES elements, got ${strings.length}`);
      }
      return { name: spec.name, datatype, shape, bytes: undefined, strings };
    }
    const width = byteWidth(datatype);
    let bytes: Buffer;
    if (entry.raw !== undefined) {
      bytes = entry.raw;
      if (bytes.length !== count * width) {
        const perItem = maxBatchSize > 0 && shape[0]! > 0 ? ` (${(count / shape[0]!) * width} bytes per item)` : '';
        throw new InvalidArgumentError(
          `input "${spec.name}": expected ${datatype} ${formatShape(shape)} = ${count * width} bytes${perItem}, got ${bytes.length} bytes`,
        );
      }
    } else if (count === 0) {
      bytes = Buffer.alloc(0);
    } else {
      bytes = contentsToBuffer(spec.name, datatype, message.contents ?? {}, count)!;
    }
    return { name: spec.name, datatype, shape, bytes, strings: undefined };
  });
}

function checkShape(spec: TensorSpec, shape: number[], maxBatchSize: number): void {
  const mismatch = (): InvalidArgumentError =>
    new InvalidArgumentError(`input "${spec.name}": expected shape ${formatShape(spec.shape)}, got ${formatShape(shape)}`);
  if (spec.shape.length !== shape.length) throw mismatch();
  spec.shape.forEach((dim, i) => {
    if (typeof dim === 'number' && dim >= 0 && shape[i] !== dim) throw mismatch();
  });
  if (maxBatchSize > 0) {
    const batch = shape[0]!;
    if (batch < 1 || batch > maxBatchSize) {
      throw new InvalidArgumentError(
        `input "${spec.name}": batch size ${batch} is outside 1..${maxBatchSize} (the model's max_batch_size)`,
      );
    }
  }
}

/** Views the bytes of a numeric tensor as a typed array, as onnxruntime takes it. Copies when unaligned. */
export function bytesToTypedArray(datatype: Datatype, buffer: ArrayBuffer, byteOffset: number, byteLength: number): TensorData {
  const width = byteWidth(datatype);
  const length = byteLength / width;
  switch (datatype) {
    case 'BOOL':
    case 'UINT8':
      return new Uint8Array(buffer, byteOffset, length);
    case 'INT8':
      return new Int8Array(buffer, byteOffset, length);
    case 'UINT16':
    case 'FP16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'INT16':
      return new Int16Array(buffer, byteOffset, length);
    case 'UINT32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'INT32':
      return new Int32Array(buffer, byteOffset, length);
    case 'UINT64':
      return new BigUint64Array(buffer, byteOffset, length);
    case 'INT64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'FP32':
      return new Float32Array(buffer, byteOffset, length);
    case 'FP64':
      return new Float64Array(buffer, byteOffset, length);
    case 'BYTES':
      throw new Error('BYTES tensors are strings, not bytes');
  }
}
