import { DATATYPES, decodeUtf8Element, encodeBytesElements, splitBytesElements } from '@aiaas/common';
import type {
  InferInputTensor,
  InferOutputTensor__Output,
  InferTensorContents__Output,
  ModelInferResponse__Output,
} from '@aiaas/proto';
import { AiaasError, invalidArgument } from './errors';
import type { Datatype, InferInputs, OutputTensor, TensorData, TensorDataByDatatype, TensorInput } from './types';

/** Every data type the SDK encodes and decodes. */
export { DATATYPES };

type NumericDatatype = Exclude<Datatype, 'BOOL' | 'BYTES'>;

interface TypedArrayConstructorOf<T> {
  new (buffer: ArrayBuffer): T;
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** The typed array that holds each fixed-size type's elements. */
const ARRAY_OF: { [D in NumericDatatype]: TypedArrayConstructorOf<TensorDataByDatatype[D]> } = {
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
  UINT64: BigUint64Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP16: Uint16Array,
  BF16: Uint16Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

/** The data type `data` stands for when none is given; undefined when it cannot tell. */
export function datatypeOf(data: TensorData): Datatype | undefined {
  if (data instanceof Float32Array) return 'FP32';
  if (data instanceof Float64Array) return 'FP64';
  if (data instanceof Int8Array) return 'INT8';
  if (data instanceof Int16Array) return 'INT16';
  if (data instanceof Int32Array) return 'INT32';
  if (data instanceof BigInt64Array) return 'INT64';
  if (data instanceof Uint8Array) return 'UINT8';
  if (data instanceof Uint16Array) return 'UINT16';
  if (data instanceof Uint32Array) return 'UINT32';
  if (data instanceof BigUint64Array) return 'UINT64';
  if (!Array.isArray(data) || data.length === 0) return undefined;
  const first: unknown = data[0];
  if (typeof first === 'boolean') return 'BOOL';
  if (typeof first === 'string' || first instanceof Uint8Array) return 'BYTES';
  return undefined;
}

function elementCount(name: string, shape: readonly number[]): number {
  if (!Array.isArray(shape)) throw invalidArgument(`input "${name}": expected shape to be an array of dimensions`);
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw invalidArgument(
        `input "${name}": shape [${shape.join(', ')}] has ${String(dim)}: expected non-negative integers`,
      );
    }
    count *= dim;
  }
  return count;
}

const describe = (data: unknown): string =>
  Array.isArray(data)
    ? `an array of ${data.length === 0 ? 'nothing' : typeof data[0]}`
    : ((data as object | null)?.constructor?.name ?? typeof data);

/** One input as the request's tensor and its raw little-endian bytes. Throws INVALID_ARGUMENT on a mismatch. */
export function encodeInput(input: TensorInput): { tensor: InferInputTensor; raw: Buffer } {
  const { name } = input;
  if (typeof name !== 'string' || name === '') throw invalidArgument('input: expected a non-empty name');
  const data = input.data;
  const datatype = input.datatype ?? datatypeOf(data);
  if (datatype === undefined) {
    throw invalidArgument(
      `input "${name}": cannot tell the datatype of ${describe(data)}; give datatype (one of ${DATATYPES.join(', ')})`,
    );
  }
  if (!DATATYPES.includes(datatype)) {
    throw invalidArgument(
      `input "${name}": unknown datatype "${String(datatype)}", expected one of ${DATATYPES.join(', ')}`,
    );
  }
  const count = elementCount(name, input.shape);
  const length = (data as { length?: unknown }).length;
  if (typeof length !== 'number')
    throw invalidArgument(`input "${name}": expected data to be a typed array or an array`);
  if (length !== count) {
    throw invalidArgument(
      `input "${name}": shape [${input.shape.join(', ')}] needs ${count} elements, data has ${length}`,
    );
  }
  const tensor: InferInputTensor = { name, datatype, shape: [...input.shape] };
  return { tensor, raw: rawBytes(name, datatype, data) };
}

function rawBytes(name: string, datatype: Datatype, data: TensorData): Buffer {
  const mismatch = (expected: string) =>
    invalidArgument(`input "${name}": datatype ${datatype} expects ${expected}, got ${describe(data)}`);
  if (datatype === 'BOOL') {
    if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (!Array.isArray(data) || !data.every((v) => typeof v === 'boolean'))
      throw mismatch('boolean[] (or a Uint8Array of 0/1)');
    return Buffer.from((data as readonly boolean[]).map((v) => (v ? 1 : 0)));
  }
  if (datatype === 'BYTES') {
    if (!Array.isArray(data) || !data.every((v) => typeof v === 'string' || v instanceof Uint8Array)) {
      throw mismatch('an array of strings or Uint8Arrays');
    }
    return encodeBytesElements(data);
  }
  const ArrayType = ARRAY_OF[datatype];
  let typed: ArrayBufferView;
  if (data instanceof ArrayType) {
    typed = data;
  } else if (Array.isArray(data)) {
    // Plain numbers (or bigints for 64-bit integers), converted; each checked so nothing is silently cut.
    typed = fromNumbers(name, datatype, data as readonly (number | bigint)[]);
  } else {
    const expected =
      datatype === 'FP16' || datatype === 'BF16' ? 'a Uint16Array of raw 16-bit patterns' : `a ${ArrayType.name}`;
    throw mismatch(`${expected} (or a plain array of numbers)`);
  }
  // Typed arrays are in the platform's byte order; every platform Node supports is little-endian, as the wire is.
  return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
}

const INTEGER_RANGE: Partial<Record<NumericDatatype, [number, number]>> = {
  UINT8: [0, 0xff],
  UINT16: [0, 0xffff],
  UINT32: [0, 0xffffffff],
  INT8: [-0x80, 0x7f],
  INT16: [-0x8000, 0x7fff],
  INT32: [-0x80000000, 0x7fffffff],
  FP16: [0, 0xffff],
  BF16: [0, 0xffff],
};

function fromNumbers(name: string, datatype: NumericDatatype, values: readonly (number | bigint)[]): ArrayBufferView {
  const ArrayType = ARRAY_OF[datatype];
  const out = new ArrayType(values.length) as unknown as { [i: number]: number | bigint } & ArrayBufferView;
  const range = INTEGER_RANGE[datatype];
  const wide = datatype === 'INT64' || datatype === 'UINT64';
  values.forEach((value, i) => {
    const bad = (expected: string) =>
      invalidArgument(`input "${name}": element ${i} is ${String(value)}; ${datatype} expects ${expected}`);
    if (wide) {
      if (typeof value === 'number' && !Number.isSafeInteger(value)) throw bad('an integer (use bigint beyond 2^53)');
      if (typeof value !== 'number' && typeof value !== 'bigint') throw bad('an integer');
      const big = BigInt(value);
      if (datatype === 'UINT64' ? big < 0n || big > 0xffffffffffffffffn : big < -(2n ** 63n) || big >= 2n ** 63n) {
        throw bad(`a value in the ${datatype} range`);
      }
      out[i] = big;
    } else {
      if (typeof value !== 'number') throw bad('a number');
      if (range !== undefined && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
        throw bad(
          `an integer in [${range[0]}, ${range[1]}]${datatype === 'FP16' || datatype === 'BF16' ? ' (raw bits)' : ''}`,
        );
      }
      out[i] = value;
    }
  });
  return out;
}

/** Normalizes {@link InferInputs} (a list, or a record keyed by name) to a list. */
export function inputList(inputs: InferInputs): TensorInput[] {
  if (Array.isArray(inputs)) return [...(inputs as readonly TensorInput[])];
  if (typeof inputs !== 'object' || inputs === null) {
    throw invalidArgument('inputs: expected an array of tensors or a record of tensors keyed by input name');
  }
  return Object.entries(inputs as Readonly<Record<string, Omit<TensorInput, 'name'>>>).map(([name, tensor]) => ({
    ...tensor,
    name,
  }));
}

/** Decodes a response's outputs: raw_output_contents when sent, else each tensor's typed `contents`. */
export function decodeOutputs(response: ModelInferResponse__Output): OutputTensor[] {
  const raws = response.raw_output_contents;
  if (raws.length > 0 && raws.length !== response.outputs.length) {
    throw new AiaasError(
      'INTERNAL',
      `the server sent ${response.outputs.length} outputs but ${raws.length} raw_output_contents`,
    );
  }
  return response.outputs.map((output, i) => decodeOutput(output, raws.length > 0 ? raws[i] : undefined));
}

function decodeOutput(output: InferOutputTensor__Output, raw: Buffer | undefined): OutputTensor {
  const { name } = output;
  const datatype = output.datatype as Datatype;
  const shape = output.shape.map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const bad = (message: string) => new AiaasError('INTERNAL', `output "${name}": ${message}`);
  if (!DATATYPES.includes(datatype)) throw bad(`unsupported datatype "${output.datatype}"`);
  if (raw === undefined) return decodeContents(name, datatype, shape, count, output.contents);
  if (datatype === 'BOOL') {
    if (raw.length !== count) throw bad(`BOOL shape [${shape.join(', ')}] needs ${count} bytes, got ${raw.length}`);
    return { name, datatype, shape, data: Array.from(raw, (b) => b !== 0) };
  }
  if (datatype === 'BYTES') {
    // Copies: the elements must outlive the received message's buffer.
    const data = splitBytesElements(name, raw, count, 'output').map((e) => Buffer.from(e));
    return { name, datatype, shape, data };
  }
  const ArrayType = ARRAY_OF[datatype];
  if (raw.length !== count * ArrayType.BYTES_PER_ELEMENT) {
    throw bad(
      `${datatype} shape [${shape.join(', ')}] needs ${count * ArrayType.BYTES_PER_ELEMENT} bytes, got ${raw.length}`,
    );
  }
  // A copy into a fresh, aligned buffer: the received one may start at any offset.
  const copy = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length) as ArrayBuffer;
  return { name, datatype, shape, data: new ArrayType(copy) } as OutputTensor;
}

function decodeContents(
  name: string,
  datatype: Datatype,
  shape: number[],
  count: number,
  contents: InferTensorContents__Output | null,
): OutputTensor {
  const c = contents;
  const check = <T extends { length: number }>(values: T): T => {
    if (values.length !== count) {
      throw new AiaasError(
        'INTERNAL',
        `output "${name}": shape [${shape.join(', ')}] needs ${count} elements, got ${values.length}`,
      );
    }
    return values;
  };
  switch (datatype) {
    case 'BOOL':
      return { name, datatype, shape, data: check([...(c?.bool_contents ?? [])]) };
    case 'BYTES':
      return { name, datatype, shape, data: check((c?.bytes_contents ?? []).map((b) => Buffer.from(b))) };
    case 'UINT8':
      return { name, datatype, shape, data: check(Uint8Array.from(c?.uint_contents ?? [])) };
    case 'UINT16':
      return { name, datatype, shape, data: check(Uint16Array.from(c?.uint_contents ?? [])) };
    case 'UINT32':
      return { name, datatype, shape, data: check(Uint32Array.from(c?.uint_contents ?? [])) };
    case 'INT8':
      return { name, datatype, shape, data: check(Int8Array.from(c?.int_contents ?? [])) };
    case 'INT16':
      return { name, datatype, shape, data: check(Int16Array.from(c?.int_contents ?? [])) };
    case 'INT32':
      return { name, datatype, shape, data: check(Int32Array.from(c?.int_contents ?? [])) };
    case 'INT64':
      return {
        name,
        datatype,
        shape,
        data: check(BigInt64Array.from((c?.int64_contents ?? []).map((v) => BigInt(v)))),
      };
    case 'UINT64':
      return {
        name,
        datatype,
        shape,
        data: check(BigUint64Array.from((c?.uint64_contents ?? []).map((v) => BigInt(v)))),
      };
    case 'FP32':
      return { name, datatype, shape, data: check(Float32Array.from(c?.fp32_contents ?? [])) };
    case 'FP64':
      return { name, datatype, shape, data: check(Float64Array.from(c?.fp64_contents ?? [])) };
    default:
      throw new AiaasError('INTERNAL', `output "${name}": ${datatype} can only come as raw_output_contents`);
  }
}

/**
 * A BYTES tensor's elements as UTF-8 strings. Throws INVALID_ARGUMENT when the tensor is not
 * BYTES or an element is not valid UTF-8.
 */
export function tensorStrings(tensor: OutputTensor): string[] {
  if (tensor.datatype !== 'BYTES') {
    throw invalidArgument(`output "${tensor.name}": expected a BYTES tensor to read strings, got ${tensor.datatype}`);
  }
  return tensor.data.map((element) => decodeUtf8Element(tensor.name, element, 'output'));
}
