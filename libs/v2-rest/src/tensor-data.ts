import {
  InternalError,
  InvalidArgumentError,
  decodeUtf8Element,
  encodeBytesElements,
  splitBytesElements,
} from '@aiaas/common';
import type { TensorRole } from '@aiaas/common';
import { DATATYPES, datatypeByteSize, isDatatype } from '@aiaas/onnx';
import type { Datatype } from '@aiaas/onnx';
import { FP16_MAX, bf16BitsToNumber, fp16BitsToNumber, numberToBf16Bits, numberToFp16Bits } from './minifloat';

/** A JSON tensor element: a boolean (BOOL), a number, or a string (BYTES, and 64-bit integers beyond 2^53). */
export type JsonElement = boolean | number | string;

const INTEGER_RANGES = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
} as const;

const INT64_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const UINT64_RANGE = [0n, 2n ** 64n - 1n] as const;
const DECIMAL_INTEGER = /^-?\d+$/;

/** Reads a JSON value for error messages: short, with its JSON type. */
export function describeValue(value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const text = JSON.stringify(value) ?? String(value);
  return `${text.length > 40 ? `${text.slice(0, 37)}...` : text} (${type})`;
}

/** Checks a datatype name, listing the valid ones when it is not one. */
export function parseDatatype(role: TensorRole, name: string, value: unknown): Datatype {
  if (isDatatype(value)) return value;
  throw new InvalidArgumentError(
    `${role} "${name}": unknown datatype ${describeValue(value)}; expected one of ${DATATYPES.join(', ')}`,
  );
}

/** Checks a JSON shape: an array of non-negative integers. */
export function parseShape(role: TensorRole, name: string, value: unknown): number[] {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError(
      `${role} "${name}": shape must be an array of non-negative integers, got ${describeValue(value)}`,
    );
  }
  const dims: unknown[] = value;
  for (const [index, dim] of dims.entries()) {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new InvalidArgumentError(
        `${role} "${name}": shape dimension ${index} is ${describeValue(dim)}, expected a non-negative integer`,
      );
    }
  }
  return dims as number[];
}

/** Elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}

/** Bytes per element in the raw form; undefined for BYTES (length-prefixed, variable). */
export function elementWidth(datatype: Datatype): number | undefined {
  return datatype === 'BYTES' ? undefined : datatypeByteSize(datatype);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * Flattens flat or nested row-major `data`. Nesting deeper than the shape's rank is refused, which
 * also keeps a hostile, deeply nested body from exhausting the stack.
 */
function flatten(name: string, data: unknown, rank: number): unknown[] {
  if (!Array.isArray(data)) {
    throw new InvalidArgumentError(
      `input "${name}": data must be an array (flat or nested row-major), got ${describeValue(data)}`,
    );
  }
  const top: unknown[] = data;
  if (!top.some((v) => Array.isArray(v))) return top;
  const maxDepth = Math.max(rank, 1);
  const out: unknown[] = [];
  const walk = (values: unknown[], depth: number): void => {
    if (depth > maxDepth) {
      throw new InvalidArgumentError(`input "${name}": data is nested ${depth} deep but the shape has rank ${rank}`);
    }
    for (const v of values) {
      if (Array.isArray(v)) walk(v as unknown[], depth + 1);
      else out.push(v);
    }
  };
  walk(top, 1);
  return out;
}

function typedToBuffer(array: ArrayBufferView): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Converts a JSON input's `data` to the protocol's raw form (little-endian, row-major; BYTES
 * length-prefixed). Checks element count, JSON types and ranges; names the first bad element.
 */
export function jsonDataToRaw(name: string, datatype: Datatype, shape: readonly number[], data: unknown): Buffer {
  const values = flatten(name, data, shape.length);
  const count = elementCount(shape);
  if (values.length !== count) {
    throw new InvalidArgumentError(
      `input "${name}": shape ${formatShape(shape)} needs ${count} elements, data has ${values.length}`,
    );
  }
  const bad = (index: number, expected: string): InvalidArgumentError =>
    new InvalidArgumentError(
      `input "${name}": ${datatype} element ${index} is ${describeValue(values[index])}, expected ${expected}`,
    );

  switch (datatype) {
    case 'BOOL': {
      const out = new Uint8Array(count);
      values.forEach((v, i) => {
        if (typeof v !== 'boolean') throw bad(i, 'true or false');
        out[i] = v ? 1 : 0;
      });
      return typedToBuffer(out);
    }
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'UINT8':
    case 'UINT16':
    case 'UINT32': {
      const [min, max] = INTEGER_RANGES[datatype];
      const out = new ARRAY_TYPES[datatype](count);
      values.forEach((v, i) => {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
          throw bad(i, `an integer in ${min}..${max}`);
        out[i] = v;
      });
      return typedToBuffer(out);
    }
    case 'INT64':
    case 'UINT64': {
      const [min, max] = datatype === 'INT64' ? INT64_RANGE : UINT64_RANGE;
      const out = datatype === 'INT64' ? new BigInt64Array(count) : new BigUint64Array(count);
      const expected = `an integer in ${min}..${max} (a JSON number, or a decimal string for values beyond 2^53, which JSON numbers cannot hold exactly)`;
      values.forEach((v, i) => {
        let big: bigint;
        if (typeof v === 'number' && Number.isInteger(v)) big = BigInt(v);
        else if (typeof v === 'string' && DECIMAL_INTEGER.test(v)) big = BigInt(v);
        else throw bad(i, expected);
        if (big < min || big > max) throw bad(i, expected);
        out[i] = big;
      });
      return typedToBuffer(out);
    }
    case 'FP16':
    case 'BF16': {
      const out = new Uint16Array(count);
      const toBits = datatype === 'FP16' ? numberToFp16Bits : numberToBf16Bits;
      const range = datatype === 'FP16' ? `±${FP16_MAX}` : '±3.3895313892515355e38';
      values.forEach((v, i) => {
        if (typeof v !== 'number') throw bad(i, 'a number');
        const bits = toBits(v);
        // JSON has no Infinity, so a finite number that rounds to it is a mistake, not an intent.
        if ((bits & 0x7fff) === (datatype === 'FP16' ? 0x7c00 : 0x7f80))
          throw bad(i, `a number within the ${datatype} range (${range})`);
        out[i] = bits;
      });
      return typedToBuffer(out);
    }
    case 'FP32': {
      const out = new Float32Array(count);
      values.forEach((v, i) => {
        if (typeof v !== 'number') throw bad(i, 'a number');
        const single = Math.fround(v);
        if (!Number.isFinite(single)) throw bad(i, 'a number within the FP32 range (±3.4028234663852886e38)');
        out[i] = single;
      });
      return typedToBuffer(out);
    }
    case 'FP64': {
      const out = new Float64Array(count);
      values.forEach((v, i) => {
        if (typeof v !== 'number') throw bad(i, 'a number');
        out[i] = v;
      });
      return typedToBuffer(out);
    }
    case 'BYTES': {
      values.forEach((v, i) => {
        if (typeof v !== 'string') throw bad(i, 'a string');
      });
      return encodeBytesElements(values as string[]);
    }
  }
}

const ARRAY_TYPES = {
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  UINT8: Uint8Array,
  UINT16: Uint16Array,
  UINT32: Uint32Array,
} as const;

/**
 * Checks one tensor's binary data (binary tensor data extension): a numeric tensor must be exactly
 * prod(shape) × width bytes; a BYTES tensor a well-formed length-prefixed block of prod(shape) elements.
 */
export function checkBinaryData(name: string, datatype: Datatype, shape: readonly number[], raw: Buffer): void {
  const count = elementCount(shape);
  const width = elementWidth(datatype);
  if (width === undefined) {
    splitBytesElements(name, raw, count);
    return;
  }
  if (raw.length !== count * width) {
    throw new InvalidArgumentError(
      `input "${name}": expected ${datatype} ${formatShape(shape)} = ${count * width} bytes of binary data, parameters.binary_data_size is ${raw.length}`,
    );
  }
}

/** A copy of `raw` whose offset is a multiple of `width`, so that typed arrays can view it. */
function aligned(raw: Buffer, width: number): Buffer {
  if (raw.byteOffset % width === 0) return raw;
  const copy = Buffer.alloc(raw.length);
  raw.copy(copy);
  return copy;
}

function int64ToJson(value: bigint): number | string {
  // Numbers beyond 2^53 would be rounded by every JSON parser; send those as decimal strings.
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/**
 * Converts an output's raw form to JSON `data` (flat, row-major). A raw form of the wrong size is the
 * server's fault, not the caller's, and throws `InternalError`. INT64/UINT64 within ±2^53 become
 * numbers and strings beyond; FP16/BF16 become numbers.
 */
export function rawToJsonData(name: string, datatype: Datatype, shape: readonly number[], raw: Buffer): JsonElement[] {
  const count = elementCount(shape);
  const width = elementWidth(datatype);
  if (width === undefined) {
    let elements: Buffer[];
    try {
      elements = splitBytesElements(name, raw, count, 'output');
    } catch (error) {
      throw new InternalError(`the model returned a malformed BYTES tensor: ${(error as Error).message}`);
    }
    return elements.map((element) => {
      try {
        return decodeUtf8Element(name, element, 'output');
      } catch (error) {
        throw new InvalidArgumentError(
          `${(error as Error).message}; JSON cannot carry it, request the output with parameters.binary_data: true`,
        );
      }
    });
  }
  if (raw.length !== count * width) {
    throw new InternalError(
      `output "${name}": expected ${datatype} ${formatShape(shape)} = ${count * width} bytes, the model returned ${raw.length}`,
    );
  }
  const bytes = aligned(raw, width);
  const buffer = bytes.buffer as ArrayBuffer;
  const { byteOffset } = bytes;
  switch (datatype) {
    case 'BOOL':
      return Array.from(bytes, (b) => b !== 0);
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'UINT8':
    case 'UINT16':
    case 'UINT32':
      return Array.from(new ARRAY_TYPES[datatype](buffer, byteOffset, count));
    case 'INT64':
      return Array.from(new BigInt64Array(buffer, byteOffset, count), int64ToJson);
    case 'UINT64':
      return Array.from(new BigUint64Array(buffer, byteOffset, count), int64ToJson);
    case 'FP16':
      return Array.from(new Uint16Array(buffer, byteOffset, count), fp16BitsToNumber);
    case 'BF16':
      return Array.from(new Uint16Array(buffer, byteOffset, count), bf16BitsToNumber);
    case 'FP32':
      return Array.from(new Float32Array(buffer, byteOffset, count));
    case 'FP64':
      return Array.from(new Float64Array(buffer, byteOffset, count));
    case 'BYTES':
      throw new Error('unreachable: BYTES has no fixed width');
  }
}
