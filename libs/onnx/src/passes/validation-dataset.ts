import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Datatype } from '../datatypes';
import type { ModelSignature, TensorSignature } from '../inspect-model';
import { float16BitsToFloat32, float32ToFloat16Bits } from './fp16-weights';
import type { ValidationSample, ValidationTensor } from './validate';

/** The formats a user-uploaded validation dataset may have. */
export const VALIDATION_DATASET_FORMATS = ['jsonl', 'npz'] as const;
export type ValidationDatasetFormat = (typeof VALIDATION_DATASET_FORMATS)[number];

/** Why a dataset cannot be used with a model: the message names the input and what was expected. */
export class ValidationDatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationDatasetError';
  }
}

/** What {@link parseValidationDataset} read: the samples, and a line for the job's report. */
export interface ParsedValidationDataset {
  samples: ValidationSample[];
  /** e.g. `jsonl: 3 samples; x FP32 [2,4]` (first sample's shapes). */
  description: string;
}

/**
 * Reads a user dataset and checks it against the model's input signature: every input present
 * and no other, the datatype (npy dtype, or JSON value kinds) and a shape of the same rank whose
 * fixed dimensions match (symbolic ones take any size ≥ 1).
 *
 * - `jsonl`: one JSON object per non-empty line, one sample each, mapping input name to a nested
 *   array or `{"shape": [...], "data": [...]}` (row-major).
 * - `npz`: numpy's `savez`/`savez_compressed` format, a zip of `<input>.npy` files (stored or
 *   deflated, zip64 extras as numpy writes them), read as one sample.
 *
 * @throws ValidationDatasetError with a message saying what was wrong and what was expected
 */
export function parseValidationDataset(
  format: string,
  content: Uint8Array,
  signature: Pick<ModelSignature, 'inputs'>,
): ParsedValidationDataset {
  let samples: ValidationSample[];
  if (format === 'jsonl') samples = parseJsonl(content, signature.inputs);
  else if (format === 'npz') samples = [parseNpz(content, signature.inputs)];
  else {
    throw new ValidationDatasetError(
      `validation_dataset.format: expected one of ${VALIDATION_DATASET_FORMATS.join(', ')}, got "${format}"`,
    );
  }
  const first = samples[0] ?? {};
  const shapes = Object.entries(first)
    .map(([name, tensor]) => `${name} ${tensor.datatype} [${tensor.shape.join(',')}]`)
    .join(', ');
  return { samples, description: `${format}: ${samples.length} sample(s); ${shapes}` };
}

// ---- shared checks ----

function checkNames(names: readonly string[], inputs: readonly TensorSignature[], where: string): void {
  const expected = inputs.map((input) => input.name);
  const unknown = names.filter((name) => !expected.includes(name));
  if (unknown.length > 0) {
    throw new ValidationDatasetError(
      `${where}: unknown input ${unknown.map((n) => `"${n}"`).join(', ')}; the model's inputs are ${expected.map((n) => `"${n}"`).join(', ')}`,
    );
  }
  const missing = expected.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new ValidationDatasetError(`${where}: input ${missing.map((n) => `"${n}"`).join(', ')} is missing`);
  }
}

function describeDims(shape: readonly (number | string)[]): string {
  return `[${shape.join(',')}]`;
}

function checkShape(shape: readonly number[], input: TensorSignature, where: string): void {
  if (!input.rankKnown) return;
  const ok =
    shape.length === input.shape.length &&
    input.shape.every((dim, i) => (typeof dim === 'number' && dim >= 0 ? dim === shape[i] : (shape[i] ?? 0) >= 1));
  if (!ok) {
    throw new ValidationDatasetError(
      `${where}: input "${input.name}" has shape ${describeDims(shape)}; expected ${describeDims(input.shape)} (symbolic dimensions take any size ≥ 1)`,
    );
  }
}

const INTEGER_RANGES: Partial<Record<Datatype, [number, number]>> = {
  UINT8: [0, 255],
  INT8: [-128, 127],
  UINT16: [0, 65_535],
  INT16: [-32_768, 32_767],
  UINT32: [0, 4_294_967_295],
  INT32: [-2_147_483_648, 2_147_483_647],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

// ---- jsonl ----

function parseJsonl(content: Uint8Array, inputs: readonly TensorSignature[]): ValidationSample[] {
  const text = Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  const samples: ValidationSample[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `validation_dataset line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ValidationDatasetError(`${where}: not JSON (${(err as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ValidationDatasetError(`${where}: expected a JSON object mapping input name to a tensor`);
    }
    const entries = Object.entries(value as Record<string, unknown>);
    checkNames(
      entries.map(([name]) => name),
      inputs,
      where,
    );
    const sample: ValidationSample = {};
    for (const [name, tensorValue] of entries) {
      const input = inputs.find((i) => i.name === name) as TensorSignature;
      sample[name] = jsonTensor(tensorValue, input, where);
    }
    samples.push(sample);
  });
  if (samples.length === 0) throw new ValidationDatasetError('validation_dataset: no samples (every line is empty)');
  return samples;
}

function jsonTensor(value: unknown, input: TensorSignature, where: string): ValidationTensor {
  let shape: number[];
  let data: unknown[];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { shape: s, data: d } = value as { shape?: unknown; data?: unknown };
    if (!Array.isArray(s) || !s.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0)) {
      throw new ValidationDatasetError(
        `${where}: input "${input.name}": "shape" must be an array of non-negative integers`,
      );
    }
    if (!Array.isArray(d)) throw new ValidationDatasetError(`${where}: input "${input.name}": "data" must be an array`);
    shape = s as number[];
    data = (d as unknown[]).flat(Infinity);
    const count = shape.reduce((a, b) => a * b, 1);
    if (data.length !== count) {
      throw new ValidationDatasetError(
        `${where}: input "${input.name}": shape ${describeDims(shape)} needs ${count} elements, "data" has ${data.length}`,
      );
    }
  } else if (Array.isArray(value)) {
    shape = nestedShape(value, input, where);
    data = value.flat(Infinity);
  } else {
    // A bare scalar: rank 0.
    shape = [];
    data = [value];
  }
  checkShape(shape, input, where);
  return { datatype: input.datatype, shape, data: jsonElements(data, input, where) };
}

function nestedShape(value: unknown[], input: TensorSignature, where: string): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  // Every sub-array at each depth must have the same length (a rectangular array).
  const check = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (Array.isArray(node)) throw ragged();
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw ragged();
    for (const child of node) check(child, depth + 1);
  };
  const ragged = (): ValidationDatasetError =>
    new ValidationDatasetError(`${where}: input "${input.name}": a ragged nested array; expected a rectangular one`);
  check(value, 0);
  return shape;
}

function jsonElements(data: unknown[], input: TensorSignature, where: string): ValidationTensor['data'] {
  const bad = (got: unknown, expected: string): ValidationDatasetError =>
    new ValidationDatasetError(
      `${where}: input "${input.name}" is ${input.datatype}: expected ${expected}, got ${JSON.stringify(got)}`,
    );
  const { datatype } = input;
  if (datatype === 'BOOL') {
    for (const v of data) if (typeof v !== 'boolean' && v !== 0 && v !== 1) throw bad(v, 'true/false (or 0/1)');
    return data as (boolean | number)[];
  }
  if (datatype === 'BYTES') {
    for (const v of data) if (typeof v !== 'string') throw bad(v, 'strings');
    return data as string[];
  }
  const range = INTEGER_RANGES[datatype];
  if (range !== undefined) {
    for (const v of data) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < range[0] || v > range[1]) {
        throw bad(v, `integers in [${range[0]}, ${range[1]}]`);
      }
    }
    return datatype === 'INT64' || datatype === 'UINT64' ? (data as number[]).map(BigInt) : (data as number[]);
  }
  for (const v of data) if (typeof v !== 'number') throw bad(v, 'numbers');
  return data as number[];
}

// ---- npz / npy ----

/** numpy dtype descr (without byte order) → datatype. */
const NPY_DTYPES: Record<string, { datatype: Datatype; bytes: number }> = {
  b1: { datatype: 'BOOL', bytes: 1 },
  u1: { datatype: 'UINT8', bytes: 1 },
  i1: { datatype: 'INT8', bytes: 1 },
  u2: { datatype: 'UINT16', bytes: 2 },
  i2: { datatype: 'INT16', bytes: 2 },
  u4: { datatype: 'UINT32', bytes: 4 },
  i4: { datatype: 'INT32', bytes: 4 },
  u8: { datatype: 'UINT64', bytes: 8 },
  i8: { datatype: 'INT64', bytes: 8 },
  f2: { datatype: 'FP16', bytes: 2 },
  f4: { datatype: 'FP32', bytes: 4 },
  f8: { datatype: 'FP64', bytes: 8 },
};

const NPY_NAME: Partial<Record<Datatype, string>> = Object.fromEntries(
  Object.entries(NPY_DTYPES).map(([descr, { datatype }]) => [datatype, descr]),
);

function parseNpz(content: Uint8Array, inputs: readonly TensorSignature[]): ValidationSample {
  const entries = readZip(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.name.endsWith('.npy')) {
      throw new ValidationDatasetError(`validation_dataset (npz): entry "${entry.name}" is not a .npy file`);
    }
    names.push(entry.name.slice(0, -4));
  }
  checkNames(names, inputs, 'validation_dataset (npz)');
  const sample: ValidationSample = {};
  for (const entry of entries) {
    const name = entry.name.slice(0, -4);
    const input = inputs.find((i) => i.name === name) as TensorSignature;
    sample[name] = parseNpy(entry.read(), input);
  }
  return sample;
}

/** Reads one .npy file (format 1.0, 2.0 or 3.0) as the input's tensor. */
function parseNpy(bytes: Buffer, input: TensorSignature): ValidationTensor {
  const where = `validation_dataset (npz): "${input.name}.npy"`;
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') {
    throw new ValidationDatasetError(`${where}: not a .npy file (no \\x93NUMPY magic)`);
  }
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString(major === 3 ? 'utf8' : 'latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (descr === null || fortran === null || shapeText === null) {
    throw new ValidationDatasetError(`${where}: unreadable header ${JSON.stringify(header.trim())}`);
  }
  const [, order = '', code = ''] = descr;
  const dtype = NPY_DTYPES[code];
  const expected = NPY_NAME[input.datatype];
  if (dtype === undefined || dtype.datatype !== input.datatype) {
    throw new ValidationDatasetError(
      `${where}: dtype ${order}${code} does not fit input "${input.name}" (${input.datatype}); expected ${expected === undefined ? `a dtype for ${input.datatype} (not supported in npz)` : `<${expected}`}`,
    );
  }
  if (order === '>' && dtype.bytes > 1) {
    throw new ValidationDatasetError(`${where}: big-endian data (${order}${code}); expected little-endian (<${code})`);
  }
  if (fortran[1] === 'True') {
    throw new ValidationDatasetError(`${where}: Fortran (column-major) order; expected C order (np.ascontiguousarray)`);
  }
  const shape = (shapeText[1] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (!shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new ValidationDatasetError(`${where}: bad shape (${shapeText[1]})`);
  }
  checkShape(shape, input, `validation_dataset (npz)`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  if (bytes.length - dataStart !== count * dtype.bytes) {
    throw new ValidationDatasetError(
      `${where}: shape [${shape.join(',')}] of ${code} needs ${count * dtype.bytes} bytes of data, the file has ${bytes.length - dataStart}`,
    );
  }
  // Copied so the typed array is aligned whatever the header length.
  const raw = new Uint8Array(bytes.subarray(dataStart)).buffer;
  const readers: Record<string, () => ValidationTensor['data']> = {
    b1: () => Array.from(new Uint8Array(raw), (v) => v !== 0),
    u1: () => new Uint8Array(raw),
    i1: () => new Int8Array(raw),
    u2: () => new Uint16Array(raw),
    i2: () => new Int16Array(raw),
    u4: () => new Uint32Array(raw),
    i4: () => new Int32Array(raw),
    u8: () => Array.from(new BigUint64Array(raw)),
    i8: () => Array.from(new BigInt64Array(raw)),
    // float16 bits → numbers, so toOrtTensor converts them back exactly.
    f2: () => Array.from(new Uint16Array(raw), float16BitsToFloat32),
    f4: () => new Float32Array(raw),
    f8: () => new Float64Array(raw),
  };
  const typed = readers[code];
  if (typed === undefined) throw new ValidationDatasetError(`${where}: dtype ${code} is not supported`);
  return { datatype: input.datatype, shape, data: typed() };
}

interface ZipEntry {
  name: string;
  read(): Buffer;
}

/** The most entries and the largest inflated entry a dataset zip may have (a zip bomb stops here). */
const MAX_ZIP_ENTRIES = 1024;
const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

/**
 * A short zip reader: the central directory (with zip64 extras), stored (0) or deflated (8)
 * entries, CRC-32 checked. Sizes come from the central directory, since numpy writes its local
 * headers with zip64 placeholders.
 */
function readZip(zip: Buffer): ZipEntry[] {
  const corrupt = (why: string): ValidationDatasetError =>
    new ValidationDatasetError(`validation_dataset (npz): not a valid zip file: ${why}`);
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, at the end.
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end-of-central-directory record');
  let count = zip.readUInt16LE(eocd + 10);
  let directoryOffset: number = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    // Zip64 end of central directory, found through its locator just before the EOCD.
    const locator = eocd - 20;
    if (locator < 0 || zip.readUInt32LE(locator) !== 0x07064b50) throw corrupt('zip64 locator missing');
    const record = Number(zip.readBigUInt64LE(locator + 8));
    if (record + 56 > zip.length || zip.readUInt32LE(record) !== 0x06064b50) throw corrupt('zip64 record missing');
    count = Number(zip.readBigUInt64LE(record + 32));
    directoryOffset = Number(zip.readBigUInt64LE(record + 48));
  }
  if (count === 0) throw corrupt('no entries');
  if (count > MAX_ZIP_ENTRIES) throw corrupt(`${count} entries; expected at most ${MAX_ZIP_ENTRIES}`);
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw corrupt(`central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    let compressedSize: number = zip.readUInt32LE(at + 20);
    let size: number = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let localOffset: number = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    // Zip64 extended information (0x0001): the 64-bit values of the fields set to 0xFFFFFFFF, in order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = zip.readUInt16LE(extra);
      const length = zip.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        const next = (): number => {
          const value = Number(zip.readBigUInt64LE(field));
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      extra += 4 + length;
    }
    at = extraEnd + commentLength;
    if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== 0x04034b50) {
      throw corrupt(`local header of "${name}"`);
    }
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > zip.length) throw corrupt(`"${name}" is truncated`);
    if (size > MAX_ENTRY_BYTES)
      throw corrupt(`"${name}" inflates to ${size} bytes; expected at most ${MAX_ENTRY_BYTES}`);
    if (method !== 0 && method !== 8) throw corrupt(`"${name}" uses compression method ${method}; expected 0 or 8`);
    entries.push({
      name,
      read: () => {
        const stored = zip.subarray(dataStart, dataStart + compressedSize);
        let data: Buffer;
        try {
          data = method === 0 ? stored : inflateRawSync(stored, { maxOutputLength: Math.max(size, 1) });
        } catch (err) {
          throw corrupt(`"${name}" does not inflate (${(err as Error).message})`);
        }
        if (data.length !== size) throw corrupt(`"${name}" has ${data.length} bytes, the directory says ${size}`);
        if (crc32(data) !== crc) throw corrupt(`"${name}" fails its CRC-32 check`);
        return data;
      },
    });
  }
  return entries;
}

// ---- writing (clients building a dataset, tests) ----

/**
 * Encodes one sample as numpy's `savez` would (`savez_compressed` with `compress`): a zip of
 * `<name>.npy` files, format 1.0, C order, little-endian. BYTES and BF16 have no npz form here.
 */
export function encodeNpz(sample: ValidationSample, options: { compress?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(sample)) {
    const npy = encodeNpy(name, tensor);
    const stored = options.compress ? deflateRawSync(npy) : npy;
    const fileName = Buffer.from(`${name}.npy`, 'utf8');
    const crc = crc32(npy);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(options.compress ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(npy.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(options.compress ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(npy.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, stored);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function encodeNpy(name: string, tensor: ValidationTensor): Buffer {
  const code = NPY_NAME[tensor.datatype];
  if (code === undefined) throw new ValidationDatasetError(`"${name}": ${tensor.datatype} has no npy dtype here`);
  const values = Array.from(tensor.data);
  const arrays: Record<string, () => ArrayBufferView> = {
    b1: () => Uint8Array.from(values, (v) => (v === true || Number(v) !== 0 ? 1 : 0)),
    u1: () => Uint8Array.from(values, Number),
    i1: () => Int8Array.from(values, Number),
    u2: () => Uint16Array.from(values, Number),
    i2: () => Int16Array.from(values, Number),
    u4: () => Uint32Array.from(values, Number),
    i4: () => Int32Array.from(values, Number),
    u8: () => BigUint64Array.from(values, (v) => BigInt(v as number | bigint)),
    i8: () => BigInt64Array.from(values, (v) => BigInt(v as number | bigint)),
    f2: () => Uint16Array.from(values, (v) => float32ToFloat16Bits(Number(v))),
    f4: () => Float32Array.from(values, Number),
    f8: () => Float64Array.from(values, Number),
  };
  const view = (arrays[code] as () => ArrayBufferView)();
  const shape = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let header = `{'descr': '${code.startsWith('b') || code.endsWith('1') ? '|' : '<'}${code}', 'fortran_order': False, 'shape': ${shape}, }`;
  // numpy pads the header with spaces so the data starts on a 64-byte boundary.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    prefix,
    Buffer.from(header, 'latin1'),
    Buffer.from(view.buffer, view.byteOffset, view.byteLength),
  ]);
}
