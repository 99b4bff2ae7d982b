import { float32ToFloat16Bits, mulberry32 } from '@aiaas/onnx';
import { DATATYPES, numberToBf16Bits } from '@aiaas/client';
import type { Datatype, TensorData, TensorInput, TensorMetadata } from '@aiaas/client';

/**
 * Tensors for `aiaas infer` and `aiaas bench`: read from JSON files (a nested array, or
 * `{"shape", "data", "datatype"?}`) and typed after the model's metadata, or generated from that
 * metadata with a seed (`--random`).
 */

/** `name=FILE` of a repeatable `--input` flag, split; throws saying what was expected. */
export function parseInputFlag(value: string): { name: string; file: string } {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) {
    throw new Error(`--input "${value}": expected NAME=FILE.json (the model input's name, then a JSON file)`);
  }
  return { name: value.slice(0, eq), file: value.slice(eq + 1) };
}

type Scalar = number | boolean | string;

/** Shape and flat elements of a nested JSON array; rejects ragged arrays and non-scalar leaves. */
export function flattenNested(value: unknown, what: string): { shape: number[]; data: Scalar[] } {
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data: Scalar[] = [];
  const walk = (node: unknown, depth: number, at: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean' && typeof node !== 'string') {
        throw new Error(`${what}: expected a number, boolean or string at ${at}, got ${JSON.stringify(node)}`);
      }
      data.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new Error(
        `${what}: ragged array at ${at}: expected ${shape[depth]} elements (shape [${shape.join(',')}]), got ${Array.isArray(node) ? node.length : JSON.stringify(node)}`,
      );
    }
    node.forEach((child, i) => walk(child, depth + 1, `${at}[${i}]`));
  };
  walk(value, 0, 'data');
  return { shape, data };
}

/**
 * A tensor from the JSON text of an input file: a nested array (its nesting is the shape), or
 * `{"shape": [...], "data": [...flat or nested], "datatype"?: "FP32"}`. The datatype is, in order:
 * the file's, the model's (`expected`), else FP32 for numbers, BOOL for booleans, BYTES for strings.
 */
export function tensorFromJson(name: string, text: string, expected?: TensorMetadata): TensorInput {
  const what = `input "${name}"`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what}: not JSON (${(err as Error).message})`);
  }
  let shape: number[];
  let data: Scalar[];
  let datatype: string | undefined;
  if (Array.isArray(json)) {
    ({ shape, data } = flattenNested(json, what));
  } else if (typeof json === 'object' && json !== null && 'data' in json) {
    const object = json as { shape?: unknown; data: unknown; datatype?: unknown };
    data = flattenNested(object.data, what).data;
    if (object.shape === undefined) {
      shape = flattenNested(object.data, what).shape;
    } else if (
      Array.isArray(object.shape) &&
      object.shape.every((d): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0)
    ) {
      shape = object.shape;
    } else {
      throw new Error(
        `${what}: "shape" must be an array of non-negative integers, got ${JSON.stringify(object.shape)}`,
      );
    }
    if (object.datatype !== undefined) {
      if (typeof object.datatype !== 'string') throw new Error(`${what}: "datatype" must be a string`);
      datatype = object.datatype;
    }
  } else {
    throw new Error(`${what}: expected a nested array or {"shape": [...], "data": [...]}`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`${what}: shape [${shape.join(',')}] holds ${count} elements, got ${data.length}`);
  }
  const chosen = datatype ?? expected?.datatype ?? defaultDatatype(data);
  if (!isDatatype(chosen))
    throw new Error(`${what}: unknown datatype "${chosen}"; expected one of ${DATATYPES.join(', ')}`);
  if (expected !== undefined) checkShape(what, shape, expected);
  return { name, datatype: chosen, shape, data: typedData(what, chosen, data) };
}

function defaultDatatype(data: readonly Scalar[]): Datatype {
  const first = data[0];
  if (typeof first === 'boolean') return 'BOOL';
  if (typeof first === 'string') return 'BYTES';
  return 'FP32';
}

function isDatatype(value: string): value is Datatype {
  return (DATATYPES as readonly string[]).includes(value);
}

/** The model's shape (-1 = any) against the given one: same rank, fixed dimensions equal. */
function checkShape(what: string, shape: readonly number[], expected: TensorMetadata): void {
  const fits = shape.length === expected.shape.length && expected.shape.every((dim, i) => dim < 0 || dim === shape[i]);
  if (!fits) {
    throw new Error(
      `${what}: the model expects ${expected.datatype} [${expected.shape.map((d) => (d < 0 ? '-1' : d)).join(',')}], got shape [${shape.join(',')}]`,
    );
  }
}

/** Converts JSON scalars to the datatype's array form, checking each element. */
export function typedData(what: string, datatype: Datatype, data: readonly Scalar[]): TensorData {
  const numbers = (): number[] =>
    data.map((value, i) => {
      if (typeof value === 'number') return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      throw new Error(`${what}: ${datatype} element ${i} must be a number, got ${JSON.stringify(value)}`);
    });
  const integers = (min: number, max: number): number[] =>
    numbers().map((value, i) => {
      if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(`${what}: ${datatype} element ${i} must be an integer in [${min}, ${max}], got ${value}`);
      }
      return value;
    });
  const bigints = (min: bigint, max: bigint): bigint[] =>
    numbers().map((value, i) => {
      if (!Number.isInteger(value) || BigInt(value) < min || BigInt(value) > max) {
        throw new Error(`${what}: ${datatype} element ${i} must be an integer in [${min}, ${max}], got ${value}`);
      }
      return BigInt(value);
    });
  switch (datatype) {
    case 'BOOL':
      return data.map((value, i) => {
        if (typeof value === 'boolean') return value;
        if (value === 0 || value === 1) return value === 1;
        throw new Error(`${what}: BOOL element ${i} must be true/false (or 0/1), got ${JSON.stringify(value)}`);
      });
    case 'BYTES':
      return data.map((value) => (typeof value === 'string' ? value : String(value)));
    case 'FP32':
      return Float32Array.from(numbers());
    case 'FP64':
      return Float64Array.from(numbers());
    case 'FP16':
      return Uint16Array.from(numbers(), (value) => float32ToFloat16Bits(value));
    case 'BF16':
      return Uint16Array.from(numbers(), (value) => numberToBf16Bits(value));
    case 'INT8':
      return Int8Array.from(integers(-128, 127));
    case 'INT16':
      return Int16Array.from(integers(-32768, 32767));
    case 'INT32':
      return Int32Array.from(integers(-2147483648, 2147483647));
    case 'INT64':
      return BigInt64Array.from(bigints(-(2n ** 63n), 2n ** 63n - 1n));
    case 'UINT8':
      return Uint8Array.from(integers(0, 255));
    case 'UINT16':
      return Uint16Array.from(integers(0, 65535));
    case 'UINT32':
      return Uint32Array.from(integers(0, 4294967295));
    case 'UINT64':
      return BigUint64Array.from(bigints(0n, 2n ** 64n - 1n));
  }
}

/** Options of {@link randomTensor}. */
export interface RandomTensorOptions {
  /** Size of variable dimensions: the first (batch) one; others become 1. @default 1 */
  batch?: number;
  /** @default 0 */
  seed?: number;
}

/**
 * A tensor for the model's input `meta`, filled from a seeded generator: floats uniform in
 * [-1, 1), integers in [0, 10), booleans, and short strings for BYTES. The first variable
 * dimension takes `batch`, any other variable one 1. A fixed first dimension refuses another batch.
 */
export function randomTensor(meta: TensorMetadata, options: RandomTensorOptions = {}): TensorInput {
  const batch = options.batch ?? 1;
  const what = `input "${meta.name}"`;
  if (!isDatatype(meta.datatype)) throw new Error(`${what}: cannot generate datatype "${meta.datatype}"`);
  if (options.batch !== undefined && meta.shape.length > 0 && meta.shape[0]! >= 0 && meta.shape[0] !== batch) {
    throw new Error(
      `${what}: the model's batch dimension is fixed at ${meta.shape[0]}, cannot send a batch of ${batch}`,
    );
  }
  const shape = meta.shape.map((dim, i) => (dim >= 0 ? dim : i === 0 ? batch : 1));
  const count = shape.reduce((a, b) => a * b, 1);
  const random = mulberry32(options.seed ?? 0);
  const datatype = meta.datatype;
  const values: Scalar[] = [];
  for (let i = 0; i < count; i++) {
    if (datatype === 'BOOL') values.push(random() < 0.5);
    else if (datatype === 'BYTES') values.push(`s${Math.floor(random() * 1e6)}`);
    else if (datatype.startsWith('FP') || datatype === 'BF16') values.push(random() * 2 - 1);
    else values.push(Math.floor(random() * 10));
  }
  return { name: meta.name, datatype, shape, data: typedData(what, datatype, values) };
}

/** Elements of an output as JSON-able values (bigints as numbers, byte strings as text). */
export function jsonElements(data: ArrayLike<unknown> | readonly unknown[]): (number | boolean | string)[] {
  return Array.from(data as ArrayLike<unknown>, (value) => {
    if (typeof value === 'bigint') return Number(value);
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    return value as number | boolean | string;
  });
}
