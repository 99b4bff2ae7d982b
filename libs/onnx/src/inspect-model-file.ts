import fs from 'node:fs';
import { Enum, parse, Type } from 'protobufjs';
import type { Field } from 'protobufjs';
import { onnxTypeBits, onnxTypeName } from './datatypes';
import { inspectModel } from './inspect-model';
import type { ModelSignature } from './inspect-model';
import { decodeModel } from './model-codec';
import { OnnxFormatError } from './onnx-format-error';
import { ONNX_PROTO } from './onnx-schema';
import type { ModelProto, TensorProto } from './onnx-types';

/** The read buffer: the most memory inspection holds besides the model's non-tensor parts. @default 1 MiB */
const READ_BUFFER_BYTES = 1024 * 1024;

/** protobufjs refuses messages nested deeper than this (`Reader.recursionLimit`); so do we. */
const RECURSION_LIMIT = 100;

// The same schema model-codec decodes with; parsed again here (a few milliseconds, once) so this
// module reads field numbers and types from onnx.proto rather than repeating them.
const ROOT = parse(ONNX_PROTO, { keepCase: false }).root.resolveAll();
const MODEL_TYPE = ROOT.lookupType('onnx.ModelProto');
const TENSOR_TYPE = ROOT.lookupType('onnx.TensorProto');

/**
 * Messages walked field by field because a TensorProto can sit somewhere inside them. Every other
 * message (ValueInfoProto, TypeProto, …) is small and copied whole for protobufjs to decode.
 */
const WALKED = new Set(
  [
    'ModelProto',
    'GraphProto',
    'NodeProto',
    'AttributeProto',
    'TensorProto',
    'SparseTensorProto',
    'TrainingInfoProto',
    'FunctionProto',
  ].map((name) => ROOT.lookupType(`onnx.${name}`)),
);

/** TensorProto fields holding element data, skipped rather than read: raw_data and the typed `*_data`. */
const PAYLOAD_FIELDS = new Set(
  ['rawData', 'floatData', 'int32Data', 'stringData', 'int64Data', 'doubleData', 'uint64Data'].map(
    (name) => TENSOR_TYPE.fields[name]?.id ?? -1,
  ),
);
const RAW_DATA = TENSOR_TYPE.fields['rawData']?.id ?? -1;
const STRING_DATA = TENSOR_TYPE.fields['stringData']?.id ?? -1;
const GRAPH_INITIALIZER = ROOT.lookupType('onnx.GraphProto').fields['initializer']?.id ?? -1;
const GRAPH_SPARSE_INITIALIZER = ROOT.lookupType('onnx.GraphProto').fields['sparseInitializer']?.id ?? -1;
const SPARSE_VALUES = ROOT.lookupType('onnx.SparseTensorProto').fields['values']?.id ?? -1;
const SPARSE_INDICES = ROOT.lookupType('onnx.SparseTensorProto').fields['indices']?.id ?? -1;
const MODEL_IR_VERSION = MODEL_TYPE.fields['irVersion']?.id ?? -1;
const MODEL_GRAPH = MODEL_TYPE.fields['graph']?.id ?? -1;
const MODEL_OPSET_IMPORT = MODEL_TYPE.fields['opsetImport']?.id ?? -1;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

/**
 * How protobufjs reads a field of a given type, whatever wire type its tag claims. 32-bit varints
 * (and tags, and lengths) go through its `uint32`, 64-bit ones through its long-varint reader;
 * the two consume malformed varints differently, and the walk must consume exactly as it does.
 */
type Encoding = 'varint32' | 'varint64' | 'fixed32' | 'fixed64' | 'length';

const FIXED32_TYPES = new Set(['float', 'fixed32', 'sfixed32']);
const FIXED64_TYPES = new Set(['double', 'fixed64', 'sfixed64']);
const VARINT64_TYPES = new Set(['int64', 'uint64', 'sint64']);

function encodingOf(field: Field): Encoding {
  if (field.resolvedType instanceof Type || field.type === 'string' || field.type === 'bytes') return 'length';
  if (field.resolvedType instanceof Enum) return 'varint32';
  if (FIXED32_TYPES.has(field.type)) return 'fixed32';
  if (FIXED64_TYPES.has(field.type)) return 'fixed64';
  return VARINT64_TYPES.has(field.type) ? 'varint64' : 'varint32';
}

/** Whether protobufjs accepts the field packed (a length-delimited run of numbers). */
const isPackable = (field: Field): boolean => field.repeated && encodingOf(field) !== 'length';

/** The element bytes of one TensorProto that were skipped, as inspectModel would count them. */
interface SkippedPayload {
  /** Length of the last raw_data (protobufjs keeps the last occurrence of a singular field). */
  rawDataBytes: number;
  /** Sum of the string_data lengths. */
  stringDataBytes: number;
}

/** A walked message re-encoded without tensor payloads, with what was walked inside it. */
interface WalkedMessage {
  bytes: Buffer;
  /** Walked sub-messages by field number, in the order they came. */
  children: Map<number, WalkedMessage[]>;
  /** Set for TensorProto. */
  skipped?: SkippedPayload;
}

/**
 * Reads the signature of an `.onnx` file without reading its weights: the same result as
 * `inspectModel(await readFile(path))`, in memory that does not grow with the initializers.
 *
 * The file is walked as protobuf with positioned reads through a 1 MiB buffer. Tensor element data
 * (raw_data and the typed `*_data` fields of every TensorProto: initializers, sparse initializers,
 * attribute tensors such as a Constant's `value`) is skipped by moving the read position, its length
 * noted; everything else is re-encoded into a small ModelProto that `inspectModel` decodes.
 * `parameterCount` and `initializerBytes` therefore come out as for the whole file (both follow
 * from dims, except string lengths and raw_data of unknown element types, which are the skipped
 * lengths).
 *
 * @throws OnnxFormatError when the file is not a valid ONNX model: not protobuf, truncated (a field
 * runs past the end), or lacking a graph, an ir_version or an opset_import
 */
export async function inspectModelFile(path: string): Promise<ModelSignature> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new OnnxFormatError('not an ONNX model: the input is empty (0 bytes)');
    const reader = new PositionedReader(handle, size);
    const model = await new PayloadSkippingWalker(reader).walk(MODEL_TYPE, size, 0);
    checkRequiredFields(model, size);
    return signatureOf(model, size);
  } finally {
    await handle.close();
  }
}

function checkRequiredFields(model: WalkedMessage, size: number): void {
  // The same checks, in the same order and words, as decodeModel.
  if (!model.children.has(MODEL_GRAPH)) {
    throw new OnnxFormatError(
      `not an ONNX model: the ${size} bytes decode as a protobuf with no graph (ModelProto field 7)`,
    );
  }
  if (!model.children.has(MODEL_IR_VERSION)) {
    throw new OnnxFormatError('not a valid ONNX model: ir_version (ModelProto field 1) is missing');
  }
  if (!model.children.has(MODEL_OPSET_IMPORT)) {
    throw new OnnxFormatError(
      'not a valid ONNX model, or truncated: opset_import (ModelProto field 8) is missing; every model imports at least one operator set',
    );
  }
}

function signatureOf(model: WalkedMessage, size: number): ModelSignature {
  let proto: ModelProto;
  try {
    // A plain Uint8Array view, not the Buffer: protobufjs's Buffer reader clamps a string that runs
    // past its message instead of failing, and inspectModel on a Uint8Array fails there.
    const { buffer, byteOffset, byteLength } = model.bytes;
    proto = decodeModel(new Uint8Array(buffer, byteOffset, byteLength));
  } catch (err) {
    // The walk already checked the wire format; what is left is protobufjs finding a field of a
    // copied message malformed. Report the file's size, not the re-encoded one's.
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new OnnxFormatError(`not an ONNX model: the ${size} bytes are not a valid ModelProto (${reason})`, {
      cause: err,
    });
  }
  const signature = inspectModel(proto);

  // inspectModel counted the main graph's initializers from the re-encoded model, where string
  // data and raw_data are empty; add back what it would have counted from them.
  const graph = last(model.children.get(MODEL_GRAPH));
  const initializers = graph?.children.get(GRAPH_INITIALIZER) ?? [];
  const sparse = graph?.children.get(GRAPH_SPARSE_INITIALIZER) ?? [];
  let missing = 0;
  initializers.forEach((walked, i) => {
    missing += skippedBytes(proto.graph?.initializer?.[i], walked.skipped);
  });
  sparse.forEach((walked, i) => {
    const decoded = proto.graph?.sparseInitializer?.[i];
    missing += skippedBytes(decoded?.values, last(walked.children.get(SPARSE_VALUES))?.skipped);
    missing += skippedBytes(decoded?.indices, last(walked.children.get(SPARSE_INDICES))?.skipped);
  });
  return { ...signature, initializerBytes: signature.initializerBytes + missing };
}

/** The bytes inspectModel counts from stored data (not from dims) for this tensor. */
function skippedBytes(tensor: TensorProto | undefined, skipped: SkippedPayload | undefined): number {
  if (tensor === undefined || skipped === undefined) return 0;
  const name = onnxTypeName(tensor.dataType ?? 0);
  if (name === 'STRING') return skipped.stringDataBytes;
  return name !== undefined && onnxTypeBits(name) !== undefined ? 0 : skipped.rawDataBytes;
}

function last<T>(items: T[] | undefined): T | undefined {
  return items?.[items.length - 1];
}

function invalid(size: number, detail: string): OnnxFormatError {
  return new OnnxFormatError(`not an ONNX model: the ${size} bytes are not a valid ModelProto (${detail})`);
}

function truncated(size: number, detail: string): OnnxFormatError {
  return new OnnxFormatError(
    `not an ONNX model, or truncated: a field runs past the end of the ${size} bytes (${detail})`,
  );
}

/** Walks one message at a time, copying what it keeps and skipping tensor payloads. */
class PayloadSkippingWalker {
  readonly #reader: PositionedReader;

  constructor(reader: PositionedReader) {
    this.#reader = reader;
  }

  /** Walks the message of `type` from the reader's position up to `end`. */
  async walk(type: Type, end: number, depth: number): Promise<WalkedMessage> {
    const reader = this.#reader;
    if (depth > RECURSION_LIMIT) {
      throw invalid(reader.size, `messages nested deeper than ${RECURSION_LIMIT} at offset ${reader.pos}`);
    }
    const out: Buffer[] = [];
    const children = new Map<number, WalkedMessage[]>();
    const skipped: SkippedPayload | undefined =
      type === TENSOR_TYPE ? { rawDataBytes: 0, stringDataBytes: 0 } : undefined;
    while (reader.pos < end) {
      const tagAt = reader.pos;
      const tag = await reader.uint32(end);
      const fieldNumber = Math.floor(tag / 8);
      const wireType = tag % 8;
      const field = type.fieldsById[fieldNumber];
      if (field === undefined) {
        // Unknown fields are dropped by decodeModel; skip them the way protobufjs does.
        await this.#skipUnknown(wireType, end, tagAt, depth);
        continue;
      }
      const encoding = encodingOf(field);
      const packed = isPackable(field) && wireType === WIRE_LENGTH;

      if (skipped !== undefined && PAYLOAD_FIELDS.has(fieldNumber)) {
        const length = await this.#skipValue(field, encoding, packed, end);
        if (fieldNumber === RAW_DATA) skipped.rawDataBytes = length;
        if (fieldNumber === STRING_DATA) skipped.stringDataBytes += length;
        continue;
      }

      const resolved = field.resolvedType;
      if (resolved instanceof Type && WALKED.has(resolved)) {
        const length = await this.#length(end, field);
        const child = await this.walk(resolved, reader.pos + length, depth + 1);
        const list = children.get(fieldNumber) ?? [];
        list.push(child);
        children.set(fieldNumber, list);
        out.push(encodeVarint(tag), encodeVarint(child.bytes.length), child.bytes);
        continue;
      }

      // A kept field: copy its tag and value as they are (same wire type, so packed runs stay packed).
      const valueAt = reader.pos;
      await this.#skipValue(field, encoding, packed, end);
      out.push(encodeVarint(tag), await reader.copy(valueAt, reader.pos - valueAt));
      // Presence of a scalar or copied message still matters (ir_version, opset_import).
      if (!children.has(fieldNumber)) children.set(fieldNumber, []);
    }
    if (reader.pos !== end) throw truncated(reader.size, `a field ends past its message at offset ${end}`);
    const message: WalkedMessage = { bytes: Buffer.concat(out), children };
    if (skipped !== undefined) message.skipped = skipped;
    return message;
  }

  /** A length prefix, checked to fit inside the enclosing message. */
  async #length(end: number, field: Field | undefined): Promise<number> {
    const reader = this.#reader;
    const at = reader.pos;
    const length = await reader.uint32(end);
    if (reader.pos + length > end) {
      const what = field === undefined ? 'an unknown field' : field.name;
      throw truncated(reader.size, `${what} at offset ${at} needs ${length} bytes, ${end - reader.pos} remain`);
    }
    return length;
  }

  /**
   * Moves past one value of a known field as protobufjs would read it; returns the length of a
   * length-delimited value (0 for others).
   */
  async #skipValue(field: Field, encoding: Encoding, packed: boolean, end: number): Promise<number> {
    const reader = this.#reader;
    if (encoding === 'length') {
      const length = await this.#length(end, field);
      reader.skip(length);
      return length;
    }
    if (packed) {
      const length = await this.#length(end, field);
      const runEnd = reader.pos + length;
      if (encoding === 'fixed32' || encoding === 'fixed64') {
        const width = encoding === 'fixed32' ? 4 : 8;
        if (length % width !== 0) {
          throw truncated(reader.size, `packed ${field.name} of ${length} bytes is not whole ${width}-byte values`);
        }
        reader.skip(length);
      } else {
        // Varints must be read one by one to know where they end; the run must end on one.
        await reader.skipVarints(encoding, runEnd);
      }
      if (reader.pos !== runEnd) throw truncated(reader.size, `packed ${field.name} ends inside a value`);
      return length;
    }
    if (encoding === 'varint32') await reader.uint32(end);
    else if (encoding === 'varint64') await reader.longVarint(end);
    else {
      const width = encoding === 'fixed32' ? 4 : 8;
      if (reader.pos + width > end) throw truncated(reader.size, `${field.name} at offset ${reader.pos}`);
      reader.skip(width);
    }
    return 0;
  }

  /** protobufjs `Reader.skipType`. */
  async #skipUnknown(wireType: number, end: number, tagAt: number, depth: number): Promise<void> {
    const reader = this.#reader;
    if (depth > RECURSION_LIMIT) throw invalid(reader.size, `groups nested too deep at offset ${tagAt}`);
    switch (wireType) {
      case WIRE_VARINT:
        await reader.skipVarint(end);
        return;
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const width = wireType === WIRE_FIXED64 ? 8 : 4;
        if (reader.pos + width > end) throw truncated(reader.size, `an unknown field at offset ${tagAt}`);
        reader.skip(width);
        return;
      }
      case WIRE_LENGTH:
        reader.skip(await this.#length(end, undefined));
        return;
      case WIRE_START_GROUP:
        for (;;) {
          const at = reader.pos;
          const tag = await reader.uint32(end);
          if (tag % 8 === WIRE_END_GROUP) return;
          await this.#skipUnknown(tag % 8, end, at, depth + 1);
        }
      default:
        throw invalid(reader.size, `invalid wire type ${wireType} at offset ${tagAt}`);
    }
  }
}

/** Longest varint protobufjs reads. */
const MAX_VARINT_BYTES = 10;

/**
 * Reads a file at a moving position through one fixed buffer. The varint readers consume bytes
 * exactly as protobufjs's Reader does, quirks included, so that the walk and a whole-buffer decode
 * agree on where every field ends.
 */
class PositionedReader {
  readonly #handle: fs.promises.FileHandle;
  readonly #buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  /** File offset of `#buffer[0]`, and how many bytes of it are valid. */
  #bufferAt = 0;
  #buffered = 0;
  readonly size: number;
  pos = 0;

  constructor(handle: fs.promises.FileHandle, size: number) {
    this.#handle = handle;
    this.size = size;
  }

  /** Moves past `length` bytes without reading them (callers check the bound). */
  skip(length: number): void {
    this.pos += length;
  }

  /** protobufjs `Reader.uint32` (tags, lengths, 32-bit fields and enums), bounded by `end`. */
  async uint32(end: number): Promise<number> {
    await this.#ensureVarint(end);
    return this.#uint32(end);
  }

  /** protobufjs's long-varint read (int64, uint64, sint64); only where it ends matters here. */
  async longVarint(end: number): Promise<void> {
    await this.#ensureVarint(end);
    this.#longVarint(end);
  }

  /** protobufjs `Reader.skip()`: a varint of any length, for unknown fields. */
  async skipVarint(end: number): Promise<void> {
    for (;;) {
      if (this.pos >= end) throw truncated(this.size, `a varint running to offset ${end}`);
      await this.#ensureVarint(end);
      if (this.#byte(this.pos++) < 0x80) return;
    }
  }

  /** Moves past a packed run of varints ending at `end`. */
  async skipVarints(encoding: 'varint32' | 'varint64', end: number): Promise<void> {
    while (this.pos < end) {
      await this.#ensureVarint(end);
      // Read whole buffers' worth of values without awaiting between them.
      const safeEnd = Math.min(end, this.#bufferAt + this.#buffered - MAX_VARINT_BYTES);
      do {
        if (encoding === 'varint32') this.#uint32(end);
        else this.#longVarint(end);
      } while (this.pos < safeEnd);
    }
  }

  /** A copy of `length` bytes at `offset` (kept fields: names, shapes, attributes). */
  async copy(offset: number, length: number): Promise<Buffer> {
    if (length > READ_BUFFER_BYTES) {
      // Large for a kept field (a long doc_string, a big attribute list); it is kept all the same.
      const out = Buffer.allocUnsafe(length);
      await this.#readFully(out, 0, length, offset);
      return out;
    }
    await this.#fill(offset, length);
    const start = offset - this.#bufferAt;
    return Buffer.from(this.#buffer.subarray(start, start + length));
  }

  #byte(offset: number): number {
    return this.#buffer[offset - this.#bufferAt] ?? 0;
  }

  #uint32(end: number): number {
    const at = this.pos;
    if (end - at < 5) {
      // readVarint32NearEnd: at most four bytes, all inside the limit.
      let value = 0;
      for (let i = 0; i < 4; i++) {
        if (this.pos >= end) throw truncated(this.size, `a varint at offset ${at}`);
        const byte = this.#byte(this.pos++);
        value += (byte & 0x7f) * 2 ** (7 * i);
        if (byte < 0x80) return value;
      }
      throw truncated(this.size, `a varint at offset ${at}`);
    }
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.#byte(this.pos++);
      value += (i === 4 ? byte & 0x0f : byte & 0x7f) * 2 ** (7 * i);
      if (byte < 0x80) return value;
    }
    // A varint longer than 5 bytes: protobufjs takes the low 32 bits and steps over 5 more bytes
    // whatever they hold (the sign extension of a negative int32).
    this.pos += 5;
    if (this.pos > end) throw truncated(this.size, `a varint at offset ${at}`);
    return value;
  }

  #longVarint(end: number): void {
    const at = this.pos;
    if (end - at <= 4) {
      // protobufjs reads up to 3 bytes, then takes a 4th whatever it holds.
      for (let i = 0; i < 3; i++) {
        if (this.pos >= end) throw truncated(this.size, `a varint at offset ${at}`);
        if (this.#byte(this.pos++) < 0x80) return;
      }
      if (this.pos >= end) throw truncated(this.size, `a varint at offset ${at}`);
      this.pos++;
      return;
    }
    for (let i = 0; i < 5; i++) if (this.#byte(this.pos++) < 0x80) return;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= end) throw truncated(this.size, `a varint at offset ${at}`);
      if (this.#byte(this.pos++) < 0x80) return;
    }
    throw invalid(this.size, `invalid varint encoding at offset ${at}`);
  }

  /** Makes the next varint's bytes (up to 10, not past `end`) available in the buffer. */
  async #ensureVarint(end: number): Promise<void> {
    const length = Math.min(MAX_VARINT_BYTES, end - this.pos);
    if (length <= 0) throw truncated(this.size, `a varint at offset ${this.pos}`);
    await this.#fill(this.pos, length);
  }

  /** Makes `[offset, offset + length)` (length ≤ the buffer) available in the buffer. */
  async #fill(offset: number, length: number): Promise<void> {
    if (offset >= this.#bufferAt && offset + length <= this.#bufferAt + this.#buffered) return;
    const want = Math.min(READ_BUFFER_BYTES, this.size - offset);
    if (want < length) throw truncated(this.size, `${length} bytes at offset ${offset}`);
    this.#bufferAt = offset;
    this.#buffered = 0;
    await this.#readFully(this.#buffer, 0, want, offset);
    this.#buffered = want;
  }

  async #readFully(into: Buffer, at: number, length: number, position: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.#handle.read(into, at + done, length - done, position + done);
      if (bytesRead === 0) throw truncated(this.size, `the file ended at offset ${position + done}`);
      done += bytesRead;
    }
  }
}

function encodeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
