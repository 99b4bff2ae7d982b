import { createTensor } from '../graph-builder';
import { decodeModel, encodeModel } from '../model-codec';
import { ATTRIBUTE_TYPE, TENSOR_DATA_TYPE } from '../onnx-types';
import type { AttributeProto, GraphProto, NodeProto, TensorProto } from '../onnx-types';
import { PassSettingsError } from './pass';
import type { PassReport, PassResult } from './pass';

/** The operators {@link quantizeInt8} can rewrite. */
export const QUANTIZABLE_OP_TYPES = Object.freeze(['MatMul', 'Gemm', 'Conv'] as const);

/** An operator {@link quantizeInt8} can rewrite. */
export type QuantizableOpType = (typeof QUANTIZABLE_OP_TYPES)[number];

/** Settings of {@link quantizeInt8}. Weights are always quantized symmetrically (zero point 0). */
export interface QuantizeInt8Settings {
  /**
   * One scale per output channel (MatMul/Gemm: per output column; Conv: per output feature map)
   * instead of one per weight tensor. More accurate, a few bytes larger.
   * @default false
   */
  perChannel?: boolean;
  /**
   * Operators to quantize. @default ['MatMul', 'Gemm']
   *
   * Conv is not in the default: it becomes ConvInteger, which onnxruntime CPU runs several times
   * slower than float Conv (2–5× on CNN_BENCH at batch 32), so it saves bytes but costs latency.
   * For fast int8 Conv run `quantizeInt8StaticConv` (QLinearConv, calibrated) first.
   */
  opTypes?: readonly QuantizableOpType[];
  /** Weights with fewer elements than this are left in float32 (they save little and cost accuracy). @default 0 */
  minElements?: number;
}

const PASS_NAME = 'quantize-int8';
const DEFAULT_OP_TYPES: readonly QuantizableOpType[] = ['MatMul', 'Gemm'];
const SETTING_KEYS = new Set(['perChannel', 'opTypes', 'minElements']);
/** DynamicQuantizeLinear appeared in opset 11. */
const MIN_OPSET = 11;
/**
 * Weights are int8 in a 7-bit range, [-63, 63] (onnxruntime's `reduce_range`), symmetric so that the
 * range is the same on both sides. Why not [-127, 127]: onnxruntime's uint8 × int8 kernels on x86
 * CPUs without VNNI (AVX2 only) add pairs of products in int16, which saturates with full-range
 * weights (255 · 127 · 2 > 32767): MLP-small's int8 output fell to a cosine of 0.98 against the float
 * model on an AVX2-only EPYC, against 0.9999 where the kernels add in int32 (VNNI). With 7 bits a
 * pair stays within int16 on every CPU, and the optimizer cannot know the CPU of the nodes that will
 * run the model.
 */
const WEIGHT_MAX = 63;

interface ResolvedSettings {
  perChannel: boolean;
  opTypes: QuantizableOpType[];
  minElements: number;
}

function resolveSettings(settings: unknown): ResolvedSettings {
  if (settings === undefined) settings = {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new PassSettingsError(`${PASS_NAME}: settings must be an object, got ${JSON.stringify(settings)}`);
  }
  const given = settings as Record<string, unknown>;
  const problems: string[] = [];
  const unknownKeys = Object.keys(given).filter((key) => !SETTING_KEYS.has(key));
  if (unknownKeys.length > 0) {
    problems.push(
      `unknown setting(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')}; expected ${[...SETTING_KEYS].join(', ')}`,
    );
  }
  const { perChannel = false, opTypes = DEFAULT_OP_TYPES, minElements = 0 } = given;
  if (typeof perChannel !== 'boolean')
    problems.push(`perChannel: expected a boolean, got ${JSON.stringify(perChannel)}`);
  if (!Array.isArray(opTypes) || opTypes.length === 0) {
    problems.push(
      `opTypes: expected a non-empty array of ${QUANTIZABLE_OP_TYPES.join(', ')}, got ${JSON.stringify(opTypes)}`,
    );
  } else {
    const bad = (opTypes as unknown[]).filter((op) => !(QUANTIZABLE_OP_TYPES as readonly unknown[]).includes(op));
    if (bad.length > 0) {
      problems.push(
        `opTypes: expected only ${QUANTIZABLE_OP_TYPES.join(', ')}, got ${bad.map((op) => JSON.stringify(op)).join(', ')}`,
      );
    }
  }
  if (typeof minElements !== 'number' || !Number.isSafeInteger(minElements) || minElements < 0) {
    problems.push(`minElements: expected a non-negative integer, got ${JSON.stringify(minElements)}`);
  }
  if (problems.length > 0) throw new PassSettingsError(`${PASS_NAME}: ${problems.join('; ')}`);
  return {
    perChannel: perChannel as boolean,
    opTypes: [...new Set(opTypes as QuantizableOpType[])],
    minElements: minElements as number,
  };
}

/** Where a node takes its weight and how the weight must be laid out for the integer op. */
interface Candidate {
  node: NodeProto;
  label: string;
  opType: QuantizableOpType;
  activation: string;
  weight: string;
  /** Gemm transB=1: the stored [N, K] weight is transposed to [K, N] before quantizing. */
  transpose: boolean;
  /** Gemm alpha, folded into the output scale. */
  alpha: number;
  /** Gemm C (times beta) or Conv B, as an already-resolved input name; undefined when absent. */
  bias?: {
    name: string;
    /** Gemm beta, applied to the bias offline. */
    scale: number;
    /** Conv: the spatial rank of the output, so that B [M] can be reshaped to [M, 1, …]; 0 otherwise. */
    convSpatialRank: number;
  };
}

/** A weight quantized once and shared by every node that uses it in the same layout. */
interface QuantizedWeight {
  prefix: string;
  data: string;
  zeroPoint: string;
  scales: Float32Array;
  scaleDims: number[];
  /** Scale initializer names by Gemm alpha (1 for MatMul, Conv and plain Gemm). */
  scaleByAlpha: Map<number, string>;
}

/**
 * Dynamic int8 quantization, as onnxruntime's `quantize_dynamic` does it: MatMul/Gemm (and Conv
 * when asked) whose weight is a float32 initializer get int8 weights (symmetric, 7-bit range, scale =
 * max|w| / 63, zero point 0; per output channel when `perChannel`), their activation quantized at
 * run time by `DynamicQuantizeLinear` (uint8, per tensor, shared by every consumer), then
 * `MatMulInteger`/`ConvInteger` → Cast to float → Mul by (activation scale × weight scale) → Add
 * of the bias for Gemm and Conv.
 *
 * Zero points are all 0, so a scalar weight zero point serves per-channel scales too: onnxruntime
 * CPU's ConvInteger rejects a per-channel weight zero point ("Non per-tensor quantization is not
 * supported now"), while per-channel scales are applied in float after the integer op.
 *
 * Nodes that cannot be quantized are left as they are and listed in `skippedNodes`: weight not a
 * float32 initializer (or overridable as a graph input), smaller than `minElements`, shared with a
 * node that stays float, Gemm with transA, or an ai.onnx opset below 11.
 *
 * @throws PassSettingsError when the settings are invalid (never worth retrying)
 * @throws OnnxFormatError when the bytes are not an ONNX model
 */
export function quantizeInt8(bytes: Uint8Array, settings: QuantizeInt8Settings = {}): PassResult {
  const resolved = resolveSettings(settings);
  const model = decodeModel(bytes);
  const graph: GraphProto = model.graph ?? {};
  const nodes = graph.node ?? [];
  const report: PassReport = {
    pass: PASS_NAME,
    settings: { ...resolved },
    sizeBefore: bytes.length,
    sizeAfter: bytes.length,
    changedNodes: [],
    skippedNodes: [],
    notes: [],
  };
  const skip = (candidateNode: NodeProto, label: string, reason: string): void => {
    report.skippedNodes.push({ name: label, opType: candidateNode.opType ?? '', reason });
  };

  const onnxOpset = Number(
    model.opsetImport?.find((opset) => (opset.domain ?? '') === '' || opset.domain === 'ai.onnx')?.version ?? 0,
  );
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const graphInputs = new Set((graph.input ?? []).map((input) => input.name ?? ''));
  const names = collectNames(graph);

  // 1. Which nodes could be quantized on their own.
  const candidates = new Map<NodeProto, Candidate>();
  nodes.forEach((node, index) => {
    const opType = node.opType as QuantizableOpType;
    if (!resolved.opTypes.includes(opType) || !isDefaultDomain(node.domain)) return;
    const label = node.name !== undefined && node.name !== '' ? node.name : `${opType}_${index}`;
    if (onnxOpset < MIN_OPSET) {
      skip(node, label, `the model's ai.onnx opset is ${onnxOpset}; DynamicQuantizeLinear needs ${MIN_OPSET} or later`);
      return;
    }
    const result = describeCandidate(node, label, opType, initializers, graphInputs, resolved.minElements);
    if (typeof result === 'string') skip(node, label, result);
    else candidates.set(node, result);
  });

  // 2. A weight also read by a node that stays float keeps its float copy, so quantizing the
  //    others would add bytes and error for nothing: leave all of its users float. Repeat until
  //    stable, since each node left float may keep another weight float.
  const uses = collectUses(graph);
  for (let changed = true; changed;) {
    changed = false;
    for (const candidate of candidates.values()) {
      const otherUser = (uses.get(candidate.weight) ?? []).find(
        (use) => use.node === undefined || !candidates.has(use.node),
      );
      if (otherUser === undefined) continue;
      candidates.delete(candidate.node);
      skip(
        candidate.node,
        candidate.label,
        `weight "${candidate.weight}" is also used by ${otherUser.description}, which stays float`,
      );
      changed = true;
    }
  }

  if (candidates.size === 0) {
    report.notes.push('no node was quantized; the model is returned unchanged');
    return { bytes, report };
  }

  // 3. Rewrite.
  const newInitializers: TensorProto[] = [];
  const addInitializer = (tensor: TensorProto): string => {
    newInitializers.push(tensor);
    return tensor.name ?? '';
  };
  const quantizedWeights = new Map<string, QuantizedWeight>();
  const quantizedActivations = new Map<string, { data: string; scale: string; zeroPoint: string }>();
  const newNodes: NodeProto[] = [];
  const replaced = new Set<string>();

  for (const node of nodes) {
    const candidate = candidates.get(node);
    if (candidate === undefined) {
      newNodes.push(node);
      continue;
    }
    const base = candidate.label;
    const weightKey = `${candidate.weight}|${candidate.transpose}`;
    let weight = quantizedWeights.get(weightKey);
    if (weight === undefined) {
      const source = initializers.get(candidate.weight) as TensorProto;
      const quantized = quantizeWeight(source, candidate.opType, candidate.transpose, resolved.perChannel);
      const prefix = `${candidate.weight}${candidate.transpose ? '_transposed' : ''}`;
      weight = {
        prefix,
        data: addInitializer(createTensor(uniqueName(names, `${prefix}_quantized`), quantized.data, quantized.dims)),
        zeroPoint: addInitializer(createTensor(uniqueName(names, `${prefix}_zero_point`), new Int8Array([0]), [])),
        scales: quantized.scales,
        scaleDims: quantized.scaleDims,
        scaleByAlpha: new Map(),
      };
      quantizedWeights.set(weightKey, weight);
      replaced.add(candidate.weight);
    }
    // Gemm alpha is folded into the weight scale; nodes with the same alpha share one.
    let weightScale = weight.scaleByAlpha.get(candidate.alpha);
    if (weightScale === undefined) {
      const alpha = candidate.alpha;
      const scales = alpha === 1 ? weight.scales : weight.scales.map((scale) => scale * alpha);
      const name = uniqueName(names, `${weight.prefix}_scale${alpha === 1 ? '' : '_alpha'}`);
      weightScale = addInitializer(createTensor(name, scales, weight.scaleDims));
      weight.scaleByAlpha.set(alpha, weightScale);
    }

    let activation = quantizedActivations.get(candidate.activation);
    if (activation === undefined) {
      const prefix = candidate.activation;
      activation = {
        data: uniqueName(names, `${prefix}_quantized`),
        scale: uniqueName(names, `${prefix}_scale`),
        zeroPoint: uniqueName(names, `${prefix}_zero_point`),
      };
      newNodes.push({
        name: uniqueName(names, `${prefix}_DynamicQuantizeLinear`),
        opType: 'DynamicQuantizeLinear',
        input: [candidate.activation],
        output: [activation.data, activation.scale, activation.zeroPoint],
      });
      quantizedActivations.set(candidate.activation, activation);
    }

    const output = node.output?.[0] ?? '';
    const integerOp = candidate.opType === 'Conv' ? 'ConvInteger' : 'MatMulInteger';
    const integerOut = uniqueName(names, `${base}_output_int32`);
    const floatOut = uniqueName(names, `${base}_output_float`);
    const scaleOut = uniqueName(names, `${base}_scale`);
    const scaledOut = candidate.bias === undefined ? output : uniqueName(names, `${base}_output_scaled`);
    newNodes.push(
      {
        name: uniqueName(names, `${base}_${integerOp}`),
        opType: integerOp,
        input: [activation.data, weight.data, activation.zeroPoint, weight.zeroPoint],
        output: [integerOut],
        ...(candidate.opType === 'Conv' && node.attribute !== undefined ? { attribute: node.attribute } : {}),
      },
      {
        name: uniqueName(names, `${base}_Cast`),
        opType: 'Cast',
        input: [integerOut],
        output: [floatOut],
        attribute: [{ name: 'to', type: ATTRIBUTE_TYPE.INT, i: TENSOR_DATA_TYPE.FLOAT }],
      },
      {
        name: uniqueName(names, `${base}_scale_Mul`),
        opType: 'Mul',
        input: [activation.scale, weightScale],
        output: [scaleOut],
      },
      { name: uniqueName(names, `${base}_Mul`), opType: 'Mul', input: [floatOut, scaleOut], output: [scaledOut] },
    );
    if (candidate.bias !== undefined) {
      const bias = resolveBias(candidate.bias, initializers, names, addInitializer, replaced);
      newNodes.push({
        name: uniqueName(names, `${base}_bias_Add`),
        opType: 'Add',
        input: [scaledOut, bias],
        output: [output],
      });
    }
    report.changedNodes.push(candidate.label);
  }

  // Float weights (and Conv biases) that nothing reads any more go; anything still read stays.
  graph.node = newNodes;
  const stillUsed = collectUses(graph);
  const graphOutputs = new Set((graph.output ?? []).map((output) => output.name ?? ''));
  graph.initializer = [
    ...(graph.initializer ?? []).filter((tensor) => {
      const name = tensor.name ?? '';
      return !replaced.has(name) || stillUsed.has(name) || graphOutputs.has(name);
    }),
    ...newInitializers,
  ];
  model.graph = graph;

  const out = encodeModel(model);
  report.sizeAfter = out.length;
  report.notes.push(
    `${report.changedNodes.length} of ${report.changedNodes.length + report.skippedNodes.length} candidate node(s) quantized`,
    'weights int8 symmetric in [-63, 63] (zero point 0) ' +
      (resolved.perChannel ? 'per output channel' : 'per tensor') +
      '; activations uint8 per tensor, quantized at run time by DynamicQuantizeLinear',
  );
  if ([...candidates.values()].some((candidate) => candidate.opType === 'Conv')) {
    report.notes.push(
      'Conv runs as ConvInteger, which onnxruntime CPU executes slower than float Conv: smaller, not faster',
    );
  }
  return { bytes: out, report };
}

/** @internal shared with quantize-int8-static. */
export function isDefaultDomain(domain: string | undefined): boolean {
  return domain === undefined || domain === '' || domain === 'ai.onnx';
}

function getAttribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((attribute) => attribute.name === name);
}

/** @internal shared with quantize-int8-static. */
export function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const found = getAttribute(node, name);
  return found === undefined ? fallback : Number(found.i ?? 0);
}

function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  const found = getAttribute(node, name);
  return found === undefined ? fallback : (found.f ?? 0);
}

/** Checks one node; returns why it cannot be quantized, or how to quantize it. */
function describeCandidate(
  node: NodeProto,
  label: string,
  opType: QuantizableOpType,
  initializers: ReadonlyMap<string, TensorProto>,
  graphInputs: ReadonlySet<string>,
  minElements: number,
): Candidate | string {
  const [activation = '', weightName = '', biasName = ''] = node.input ?? [];
  if (activation === '') return 'it has no input A';
  const weight = initializers.get(weightName);
  const role = opType === 'Conv' ? 'W' : 'B';
  if (weight === undefined) return `its weight (input ${role}) "${weightName}" is not an initializer`;
  if (graphInputs.has(weightName))
    return `its weight "${weightName}" is also a graph input, so it can be replaced at run time`;
  const problem = weightProblem(weight, opType, minElements);
  if (problem !== undefined) return problem;

  const candidate: Candidate = { node, label, opType, activation, weight: weightName, transpose: false, alpha: 1 };
  if (opType === 'Gemm') {
    if (intAttribute(node, 'transA', 0) !== 0)
      return 'Gemm with transA=1 is not quantized (the activation would need a Transpose)';
    candidate.transpose = intAttribute(node, 'transB', 0) !== 0;
    candidate.alpha = floatAttribute(node, 'alpha', 1);
    const beta = floatAttribute(node, 'beta', 1);
    if (biasName !== '' && beta !== 0) {
      if (beta !== 1 && !isFloatInitializer(initializers.get(biasName))) {
        return `Gemm with beta=${beta} and a bias "${biasName}" that is not a float32 initializer is not quantized`;
      }
      candidate.bias = { name: biasName, scale: beta, convSpatialRank: 0 };
    }
  } else if (opType === 'Conv' && biasName !== '') {
    if (!isFloatInitializer(initializers.get(biasName))) return `its bias "${biasName}" is not a float32 initializer`;
    candidate.bias = { name: biasName, scale: 1, convSpatialRank: (weight.dims ?? []).length - 2 };
  }
  return candidate;
}

function isFloatInitializer(tensor: TensorProto | undefined): tensor is TensorProto {
  return tensor !== undefined && tensor.dataType === TENSOR_DATA_TYPE.FLOAT && readFloats(tensor) !== undefined;
}

function weightProblem(weight: TensorProto, opType: QuantizableOpType, minElements: number): string | undefined {
  const name = weight.name ?? '';
  if (weight.dataType !== TENSOR_DATA_TYPE.FLOAT) {
    return `its weight "${name}" has element type ${weight.dataType ?? 'unset'}; only FLOAT (1) weights are quantized`;
  }
  if (readFloats(weight) === undefined)
    return `its weight "${name}" has no data in the model (external data is not supported)`;
  const dims = (weight.dims ?? []).map(Number);
  if (opType === 'Conv' ? dims.length < 3 : dims.length !== 2) {
    return `its weight "${name}" has shape [${dims.join(', ')}]; ${opType} weights must be ${opType === 'Conv' ? 'of rank 3 or more' : '2-D'}`;
  }
  const elements = dims.reduce((count, dim) => count * dim, 1);
  if (elements < minElements)
    return `its weight "${name}" has ${elements} elements, fewer than minElements (${minElements})`;
  return undefined;
}

/** The float32 elements of a tensor, copied out of rawData or floatData; undefined when it has none. */
/** @internal shared with quantize-int8-static. */
export function readFloats(tensor: TensorProto): Float32Array | undefined {
  const count = (tensor.dims ?? []).reduce<number>((total, dim) => total * Number(dim), 1);
  if (tensor.rawData !== undefined) {
    if (tensor.rawData.length !== count * 4) return undefined;
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
    return values;
  }
  if (tensor.floatData !== undefined && tensor.floatData.length === count) return Float32Array.from(tensor.floatData);
  return count === 0 ? new Float32Array(0) : undefined;
}

/**
 * @internal shared with quantize-int8-static.
 *
 * Quantizes a weight symmetrically to int8, in [-63, 63] (see WEIGHT_MAX). MatMul/Gemm weights come
 * out [K, N] (transposed first when `transpose`), with per-channel scales along N; Conv weights keep
 * their [M, C/g, k…] shape, with per-channel scales along M shaped [M, 1, …] to broadcast over the
 * [batch, M, …] output.
 */
export function quantizeWeight(
  tensor: TensorProto,
  opType: QuantizableOpType,
  transpose: boolean,
  perChannel: boolean,
): { data: Int8Array; dims: number[]; scales: Float32Array; scaleDims: number[] } {
  const values = readFloats(tensor) as Float32Array;
  const stored = (tensor.dims ?? []).map(Number);
  let dims = stored;
  let source = values;
  if (transpose) {
    const [rows = 0, cols = 0] = stored;
    source = new Float32Array(values.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) source[c * rows + r] = values[r * cols + c] as number;
    dims = [cols, rows];
  }

  // channelOf(i): which scale element i uses.
  let channels = 1;
  let channelOf: (i: number) => number = () => 0;
  let scaleDims: number[] = [];
  if (perChannel && opType === 'Conv') {
    channels = dims[0] ?? 1;
    const perMap = source.length / channels;
    channelOf = (i) => Math.floor(i / perMap);
    scaleDims = [channels, ...dims.slice(2).map(() => 1)];
  } else if (perChannel) {
    channels = dims[1] ?? 1;
    channelOf = (i) => i % channels;
    scaleDims = [channels];
  }

  const maxAbs = new Float32Array(channels);
  source.forEach((value, i) => {
    const channel = channelOf(i);
    maxAbs[channel] = Math.max(maxAbs[channel] as number, Math.abs(value));
  });
  // An all-zero channel gets scale 1 so that dequantizing never divides by zero.
  const scales = maxAbs.map((max) => (max > 0 ? max / WEIGHT_MAX : 1));
  const data = new Int8Array(source.length);
  source.forEach((value, i) => {
    const q = Math.round(value / (scales[channelOf(i)] as number));
    data[i] = Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, q));
  });
  return { data, dims, scales, scaleDims };
}

/** The tensor to Add after the scale Mul: the bias as is, scaled by beta, or reshaped for Conv. */
function resolveBias(
  bias: NonNullable<Candidate['bias']>,
  initializers: ReadonlyMap<string, TensorProto>,
  names: Set<string>,
  addInitializer: (tensor: TensorProto) => string,
  replaced: Set<string>,
): string {
  const reshape = bias.convSpatialRank > 0;
  if (bias.scale === 1 && !reshape) return bias.name;
  const tensor = initializers.get(bias.name) as TensorProto;
  const values = (readFloats(tensor) as Float32Array).map((value) => value * bias.scale);
  const dims = (tensor.dims ?? []).map(Number);
  // Conv B is [M]; the ConvInteger output is [batch, M, spatial…], so B must be [M, 1, …].
  const newDims = reshape ? [values.length, ...new Array<number>(bias.convSpatialRank).fill(1)] : dims;
  replaced.add(bias.name);
  return addInitializer(
    createTensor(uniqueName(names, `${bias.name}_${reshape ? 'reshaped' : 'scaled'}`), values, newDims),
  );
}

/** Every node and tensor name in the graph and its subgraphs, so that new names never collide. */
/** @internal shared with quantize-int8-static. */
export function collectNames(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  const visit = (g: GraphProto): void => {
    for (const tensor of g.initializer ?? []) names.add(tensor.name ?? '');
    for (const value of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) names.add(value.name ?? '');
    for (const node of g.node ?? []) {
      names.add(node.name ?? '');
      for (const name of [...(node.input ?? []), ...(node.output ?? [])]) names.add(name);
      for (const attribute of node.attribute ?? []) {
        if (attribute.g !== undefined) visit(attribute.g);
        for (const sub of attribute.graphs ?? []) visit(sub);
      }
    }
  };
  visit(graph);
  return names;
}

/** @internal shared with quantize-int8-static. */
export function uniqueName(names: Set<string>, wanted: string): string {
  let name = wanted;
  for (let i = 1; names.has(name); i++) name = `${wanted}_${i}`;
  names.add(name);
  return name;
}

interface Use {
  /** The top-level node that reads the tensor (itself or in one of its subgraphs); undefined for a graph output. */
  node: NodeProto | undefined;
  description: string;
}

/**
 * @internal shared with quantize-int8-static.
 *
 * Who reads each tensor: top-level nodes (a read inside a subgraph counts for its owner) and graph outputs.
 */
export function collectUses(graph: GraphProto): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  const add = (name: string, use: Use): void => {
    if (name === '') return;
    const list = uses.get(name) ?? [];
    list.push(use);
    uses.set(name, list);
  };
  const visitSubgraph = (g: GraphProto, owner: Use): void => {
    for (const node of g.node ?? []) {
      for (const name of node.input ?? []) add(name, owner);
      for (const attribute of node.attribute ?? []) {
        if (attribute.g !== undefined) visitSubgraph(attribute.g, owner);
        for (const sub of attribute.graphs ?? []) visitSubgraph(sub, owner);
      }
    }
    for (const output of g.output ?? []) add(output.name ?? '', owner);
  };
  (graph.node ?? []).forEach((node, index) => {
    const use: Use = { node, description: `node "${node.name || `#${index}`}" (${node.opType ?? '?'})` };
    for (const name of node.input ?? []) add(name, use);
    for (const attribute of node.attribute ?? []) {
      const inSubgraph: Use = {
        node,
        description: `a subgraph of node "${node.name || `#${index}`}" (${node.opType ?? '?'})`,
      };
      if (attribute.g !== undefined) visitSubgraph(attribute.g, inSubgraph);
      for (const sub of attribute.graphs ?? []) visitSubgraph(sub, inSubgraph);
    }
  });
  for (const output of graph.output ?? []) add(output.name ?? '', { node: undefined, description: 'a graph output' });
  return uses;
}
