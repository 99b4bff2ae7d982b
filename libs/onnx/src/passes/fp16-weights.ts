import { decodeModel, encodeModel } from '../model-codec';
import { ATTRIBUTE_TYPE, TENSOR_DATA_LOCATION, TENSOR_DATA_TYPE } from '../onnx-types';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../onnx-types';
import { PassSettingsError } from './pass';
import type { PassResult } from './pass';

/** Largest finite float16 value; float32 values beyond it are clamped to ±65504. */
export const FLOAT16_MAX = 65504;

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * The float16 bit pattern nearest a float32 value, ties to even. The input is rounded to float32
 * first (model weights already are float32, so nothing is rounded twice). Finite values beyond
 * ±65504 clamp to ±65504 rather than becoming infinite, as onnxconverter-common does: a weight
 * of 70000 is better served by 65504 than by Infinity. NaN stays NaN, ±Infinity stays infinite.
 */
export function float32ToFloat16Bits(value: number): number {
  F32[0] = value;
  const x = U32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 31) return sign | 0x7bff;
  if (halfExponent <= 0) {
    // Subnormal in float16: shift the full significand (implicit 1 included) into 10 bits.
    const shift = 14 - halfExponent;
    if (shift > 24) return sign; // below half the smallest subnormal: rounds to zero
    const significand = mantissa | 0x800000;
    let half = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1; // a carry moves the exponent up
  return half >= 0x7c00 ? sign | 0x7bff : sign | half;
}

/** The value of a float16 bit pattern. */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Converts float32 values to float16 bit patterns; see {@link float32ToFloat16Bits}. */
export function float32ArrayToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i] as number);
  return out;
}

/** Elements of a tensor according to its dims (1 for a scalar). */
export function tensorElementCount(tensor: TensorProto): number {
  return (tensor.dims ?? []).reduce<number>((count, dim) => count * Number(dim), 1);
}

/** True when the tensor's bytes live in another file, which the passes cannot rewrite. */
export function isExternalTensor(tensor: TensorProto): boolean {
  return tensor.dataLocation === TENSOR_DATA_LOCATION.EXTERNAL || (tensor.externalData?.length ?? 0) > 0;
}

/**
 * The elements of a FLOAT tensor, copied (from `raw_data`, little-endian, or `float_data`).
 *
 * @throws Error when the tensor is not FLOAT, is stored externally or its data does not fit its dims
 */
export function readFloat32Tensor(tensor: TensorProto): Float32Array {
  const name = tensor.name ?? '';
  if (tensor.dataType !== TENSOR_DATA_TYPE.FLOAT) {
    throw new Error(`tensor "${name}": expected FLOAT, got data type ${tensor.dataType}`);
  }
  if (isExternalTensor(tensor)) throw new Error(`tensor "${name}": data is stored externally`);
  const count = tensorElementCount(tensor);
  let values: Float32Array;
  if (tensor.rawData !== undefined) {
    // A copy starts at offset 0, so it is aligned for Float32Array.
    const copy = tensor.rawData.slice();
    values = new Float32Array(copy.buffer, 0, copy.byteLength >> 2);
    if (!HOST_IS_LITTLE_ENDIAN) {
      const view = new DataView(copy.buffer);
      for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
    }
  } else {
    values = Float32Array.from(tensor.floatData ?? []);
  }
  if (values.length !== count) {
    throw new Error(`tensor "${name}": dims need ${count} elements, data has ${values.length}`);
  }
  return values;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a typed array, copied. */
export function littleEndianBytes(values: Float32Array | Uint16Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const width = values.BYTES_PER_ELEMENT;
  if (!HOST_IS_LITTLE_ENDIAN) {
    for (let start = 0; start < bytes.length; start += width) bytes.subarray(start, start + width).reverse();
  }
  return bytes;
}

/** A FLOAT16 tensor holding `values` rounded, with the given name and dims. */
export function float16Tensor(name: string, values: Float32Array, dims: TensorProto['dims']): TensorProto {
  const tensor: TensorProto = {
    name,
    dataType: TENSOR_DATA_TYPE.FLOAT16,
    rawData: littleEndianBytes(float32ArrayToFloat16(values)),
  };
  if (dims !== undefined) tensor.dims = [...dims];
  return tensor;
}

/** How many values would clamp at ±65504 or flush to zero when stored as float16. */
export function float16Losses(values: Float32Array): { clamped: number; flushed: number } {
  let clamped = 0;
  let flushed = 0;
  for (const value of values) {
    const magnitude = Math.abs(value);
    if (Number.isFinite(magnitude) && magnitude > FLOAT16_MAX) clamped++;
    else if (magnitude !== 0 && magnitude < 2 ** -25) flushed++;
  }
  return { clamped, flushed };
}

/** The version of the default (ai.onnx) operator set a model imports, or undefined. */
export function defaultOpsetVersion(model: ModelProto): number | undefined {
  const entry = model.opsetImport?.find((opset) => (opset.domain ?? '') === '' || opset.domain === 'ai.onnx');
  return entry?.version === undefined ? undefined : Number(entry.version);
}

/** A name not yet used in `taken`, built from `base`; the result is added to `taken`. */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** Every value and node name used in a graph (initializers, inputs, outputs, node inputs/outputs/names). */
export function namesInGraph(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  for (const tensor of graph.initializer ?? []) names.add(tensor.name ?? '');
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    names.add(info.name ?? '');
  }
  for (const node of graph.node ?? []) {
    names.add(node.name ?? '');
    for (const name of [...(node.input ?? []), ...(node.output ?? [])]) names.add(name);
  }
  return names;
}

/** A Cast node. */
export function castNode(name: string, input: string, output: string, to: number): NodeProto {
  return {
    name,
    opType: 'Cast',
    input: [input],
    output: [output],
    attribute: [{ name: 'to', type: ATTRIBUTE_TYPE.INT, i: to }],
  };
}

/** Settings of {@link convertFp16Weights}. */
export interface Fp16WeightsSettings {
  /**
   * Float32 initializers with fewer elements stay float32: they save almost nothing and each
   * converted one costs a Cast at session start.
   * @default 16
   */
  minElements?: number;
}

const DEFAULT_MIN_ELEMENTS = 16;

/**
 * Stores float32 initializers as float16 and casts them back to float32 when the session loads
 * (a Cast node per initializer whose output has the initializer's original name, so consumers are
 * untouched). Compute stays float32, so the model runs on any CPU; weight-dominated models shrink
 * to about half. onnxruntime folds these Casts into constants at session creation, so inference
 * latency is unchanged.
 *
 * Initializers that are also graph inputs (overridable defaults in old IR versions) and externally
 * stored ones are left as they are.
 *
 * @throws PassSettingsError when `minElements` is not a non-negative integer
 */
export function convertFp16Weights(bytes: Uint8Array, settings: Fp16WeightsSettings = {}): PassResult {
  const minElements = settings.minElements ?? DEFAULT_MIN_ELEMENTS;
  if (!Number.isSafeInteger(minElements) || minElements < 0) {
    throw new PassSettingsError(`fp16-weights: minElements must be a non-negative integer, got ${minElements}`);
  }
  const model = decodeModel(bytes);
  const graph = model.graph ?? {};
  const opset = defaultOpsetVersion(model) ?? 0;
  if (opset < 6) {
    throw new PassSettingsError(`fp16-weights: the model imports ai.onnx opset ${opset}; Cast needs at least 6`);
  }
  const graphInputs = new Set((graph.input ?? []).map((input) => input.name ?? ''));
  const taken = namesInGraph(graph);
  const casts: NodeProto[] = [];
  const converted: string[] = [];
  const notes: string[] = [];
  let small = 0;
  let elements = 0;
  let clamped = 0;
  let flushed = 0;

  graph.initializer = (graph.initializer ?? []).map((tensor) => {
    const name = tensor.name ?? '';
    if (tensor.dataType !== TENSOR_DATA_TYPE.FLOAT) return tensor;
    if (graphInputs.has(name)) {
      notes.push(`initializer "${name}" is also a graph input (a default callers may override); kept float32`);
      return tensor;
    }
    if (isExternalTensor(tensor)) {
      notes.push(`initializer "${name}" is stored externally; kept float32`);
      return tensor;
    }
    const count = tensorElementCount(tensor);
    if (count < minElements) {
      small++;
      return tensor;
    }
    const values = readFloat32Tensor(tensor);
    const losses = float16Losses(values);
    clamped += losses.clamped;
    flushed += losses.flushed;
    elements += count;
    converted.push(name);
    const storedName = uniqueName(`${name}_fp16`, taken);
    casts.push(castNode(uniqueName(`${name}_cast_fp32`, taken), storedName, name, TENSOR_DATA_TYPE.FLOAT));
    return float16Tensor(storedName, values, tensor.dims);
  });
  graph.node = [...casts, ...(graph.node ?? [])];
  model.graph = graph;

  notes.unshift(
    `stored ${converted.length} float32 initializers (${elements} elements) as float16, each cast back to float32 at load`,
  );
  if (small > 0) notes.push(`${small} float32 initializers under ${minElements} elements kept float32`);
  if (clamped > 0) notes.push(`${clamped} weights beyond ±${FLOAT16_MAX} clamped`);
  if (flushed > 0) notes.push(`${flushed} weights below 2^-25 in magnitude became 0`);
  const out = encodeModel(model);
  return {
    bytes: out,
    report: {
      pass: 'fp16-weights',
      settings: { minElements },
      sizeBefore: bytes.byteLength,
      sizeAfter: out.byteLength,
      changedNodes: [],
      skippedNodes: [],
      notes,
    },
  };
}
