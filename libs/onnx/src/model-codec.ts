import { parse, Type } from 'protobufjs';
import type { Field } from 'protobufjs';
import { ONNX_PROTO } from './onnx-schema';
import { OnnxFormatError } from './onnx-format-error';
import type { Int64, ModelProto } from './onnx-types';

// Parsed once at load: the schema is fixed, and parsing costs a few milliseconds.
const ROOT = parse(ONNX_PROTO, { keepCase: false }).root.resolveAll();
const MODEL_TYPE = ROOT.lookupType('onnx.ModelProto');

type WireObject = Record<string, unknown>;

/** What protobufjs uses for 64-bit values when the `long` package is present. */
interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

/** True for any Uint8Array, Buffers and other realms' included (instanceof misses those). */
export function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function isLongLike(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && 'low' in value && 'high' in value;
}

function longToInt64(value: unknown): Int64 {
  if (typeof value === 'number') return value;
  if (!isLongLike(value)) throw new OnnxFormatError(`expected a 64-bit integer, got ${typeof value}`);
  const { low, high, unsigned } = value;
  // Fast paths: almost every int64 in a model (dims, versions, attribute values) fits in 32 bits.
  if (high === 0 && low >= 0) return low;
  if (!unsigned && high === -1 && low < 0) return low;
  const bits = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  const big = unsigned ? bits : BigInt.asIntN(64, bits);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

function int64ToWire(value: unknown, path: string): number | LongLike {
  if (typeof value === 'bigint') {
    const bits = BigInt.asUintN(64, value);
    return { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned: false };
  }
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new OnnxFormatError(
    `cannot encode ${path}: expected an integer (number or bigint), got ${String(value)}`,
  );
}

function fromWireValue(field: Field, value: unknown): unknown {
  if (field.resolvedType instanceof Type) return fromWire(field.resolvedType, value as WireObject);
  if (field.long) return longToInt64(value);
  if (field.type === 'bytes') {
    // A view, not a copy: Node's decoder hands out Buffers that share the input's memory.
    const bytes = value as Uint8Array;
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return value;
}

function fromWire(type: Type, message: WireObject): WireObject {
  const out: WireObject = {};
  for (const field of type.fieldsArray) {
    // Decoded messages carry present fields as own properties and defaults on the prototype;
    // proto2 presence is therefore "own property".
    if (!hasOwn(message, field.name)) continue;
    const value = message[field.name];
    if (value === null || value === undefined) continue;
    if (field.repeated) {
      const items = value as unknown[];
      if (items.length === 0) continue;
      const plain = field.resolvedType instanceof Type || field.long || field.type === 'bytes';
      out[field.name] = plain ? items.map((item) => fromWireValue(field, item)) : items;
    } else {
      out[field.name] = fromWireValue(field, value);
    }
  }
  return out;
}

function toWireValue(field: Field, value: unknown, path: string): unknown {
  if (field.resolvedType instanceof Type) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new OnnxFormatError(`cannot encode ${path}: expected an object, got ${describe(value)}`);
    }
    return toWire(field.resolvedType, value as WireObject, path);
  }
  if (field.long) return int64ToWire(value, path);
  return value;
}

function toWire(type: Type, object: WireObject, path: string): WireObject {
  const out: WireObject = {};
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    if (value === undefined || value === null) continue;
    const fieldPath = `${path}.${field.name}`;
    if (field.repeated) {
      if (!Array.isArray(value)) {
        throw new OnnxFormatError(`cannot encode ${fieldPath}: expected an array, got ${describe(value)}`);
      }
      const converts = field.resolvedType instanceof Type || field.long;
      out[field.name] = converts
        ? value.map((item, i) => toWireValue(field, item, `${fieldPath}[${i}]`))
        : value;
    } else {
      out[field.name] = toWireValue(field, value, fieldPath);
    }
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value))
    return `${Object.prototype.toString.call(value).slice(8, -1)}(${value.byteLength} bytes)`;
  return typeof value;
}

/**
 * Decodes the bytes of an `.onnx` file into a plain {@link ModelProto} object.
 *
 * Bytes fields (`rawData`, `stringData`, attribute `s`) are views on `bytes`, not copies, so a
 * multi-gigabyte model is not held twice; do not modify `bytes` while the result is in use.
 *
 * @throws OnnxFormatError when the bytes are not a protobuf ModelProto, are truncated, or lack
 * a graph, an ir_version or an opset_import (all required by the ONNX IR specification).
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  if (!isUint8Array(bytes)) {
    throw new OnnxFormatError(`not an ONNX model: expected bytes (Uint8Array), got ${describe(bytes)}`);
  }
  if (bytes.byteLength === 0) throw new OnnxFormatError('not an ONNX model: the input is empty (0 bytes)');
  // protobufjs checks `instanceof Uint8Array`; re-view another realm's array (no copy) to pass it.
  const view: ArrayBufferView = bytes;
  const local =
    view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let message: WireObject;
  try {
    message = MODEL_TYPE.decode(local) as unknown as WireObject;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // protobufjs reports a length or varint that runs past the end as "index out of range".
    const truncated = err instanceof RangeError && reason.startsWith('index out of range');
    throw new OnnxFormatError(
      truncated
        ? `not an ONNX model, or truncated: a field runs past the end of the ${bytes.byteLength} bytes (${reason})`
        : `not an ONNX model: the ${bytes.byteLength} bytes are not a valid ModelProto (${reason})`,
      { cause: err },
    );
  }
  const model = fromWire(MODEL_TYPE, message) as ModelProto;
  if (model.graph === undefined) {
    throw new OnnxFormatError(
      `not an ONNX model: the ${bytes.byteLength} bytes decode as a protobuf with no graph (ModelProto field 7)`,
    );
  }
  if (model.irVersion === undefined) {
    throw new OnnxFormatError('not a valid ONNX model: ir_version (ModelProto field 1) is missing');
  }
  if (model.opsetImport === undefined) {
    throw new OnnxFormatError(
      'not a valid ONNX model, or truncated: opset_import (ModelProto field 8) is missing; every model imports at least one operator set',
    );
  }
  return model;
}

/**
 * Encodes a {@link ModelProto} object into `.onnx` bytes. Fields are written in field-number
 * order, so the same object always gives the same bytes.
 *
 * @throws OnnxFormatError when a field holds a value of the wrong kind (the message names the field).
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const wire = toWire(MODEL_TYPE, model as WireObject, 'model');
  const problem = MODEL_TYPE.verify(wire);
  if (problem !== null) throw new OnnxFormatError(`cannot encode model: ${problem}`);
  return MODEL_TYPE.encode(wire).finish();
}
