import { decodeModel, encodeModel } from '../model-codec';
import { TENSOR_DATA_TYPE } from '../onnx-types';
import type { GraphProto, NodeProto, TensorProto } from '../onnx-types';
import { isExternalTensor, littleEndianBytes, readFloat32Tensor } from './fp16-weights';
import { PassSettingsError } from './pass';
import type { PassReport, PassResult } from './pass';

/** Settings of {@link prune}. */
export interface PruneSettings {
  /**
   * `unstructured`: zero the smallest-magnitude weights of each MatMul/Gemm/Conv weight tensor
   * (same file size, same speed on CPU, but compresses well). `structured`: remove whole hidden
   * units between consecutive dense layers, which really shrinks the model and its compute.
   */
  mode: 'unstructured' | 'structured';
  /**
   * Fraction to remove, in [0, 1]: of the weights (unstructured) or of each hidden layer's units
   * (structured; also of each pruned Conv's output channels when `convChannels` is on).
   */
  sparsity: number;
  /**
   * Structured only: also remove whole output channels of Conv layers whose output reaches, through
   * per-channel ops only (activations, pooling), the next Conv or a Flatten → MatMul/Gemm.
   * Off by default so that existing settings keep their meaning (dense hidden units only).
   * @default false
   */
  convChannels?: boolean;
}

/** Achieved sparsity of one weight tensor after unstructured pruning. */
export interface TensorSparsity {
  tensor: string;
  elements: number;
  zeros: number;
  sparsity: number;
}

/** {@link PassResult} with the per-tensor figures of unstructured pruning (empty for structured). */
export interface PruneResult extends PassResult {
  sparsity: TensorSparsity[];
}

const PRUNABLE_OPS = new Set(['MatMul', 'Gemm', 'Conv']);
/** Elementwise activations that may sit between two dense layers: each unit stays independent. */
const ELEMENTWISE_ACTIVATIONS = new Set([
  'Relu',
  'LeakyRelu',
  'Elu',
  'Selu',
  'Sigmoid',
  'Tanh',
  'Softplus',
  'HardSigmoid',
  'Gelu',
  'Identity',
]);

function checkSettings(settings: PruneSettings): void {
  const { mode, sparsity } = settings as { mode: unknown; sparsity: unknown };
  if (mode !== 'unstructured' && mode !== 'structured') {
    throw new PassSettingsError(`prune: mode must be 'unstructured' or 'structured', got ${JSON.stringify(mode)}`);
  }
  if (typeof sparsity !== 'number' || !Number.isFinite(sparsity) || sparsity < 0 || sparsity > 1) {
    throw new PassSettingsError(`prune: sparsity must be a number in [0, 1], got ${String(sparsity)}`);
  }
  const { convChannels } = settings as { convChannels?: unknown };
  if (convChannels !== undefined && typeof convChannels !== 'boolean') {
    throw new PassSettingsError(`prune: convChannels must be a boolean, got ${JSON.stringify(convChannels)}`);
  }
  if (convChannels === true && mode !== 'structured') {
    throw new PassSettingsError(`prune: convChannels applies to mode 'structured' only, got mode '${mode}'`);
  }
}

/**
 * Magnitude pruning of a model's dense weights.
 *
 * - **unstructured**: each weight initializer of a MatMul, Gemm or Conv (input 1) has the
 *   `sparsity` fraction of its elements with the smallest |w| set to zero (per tensor, so every
 *   layer loses the same share). ONNX stores tensors densely and onnxruntime's CPU kernels do not
 *   skip zeros, so the file size and latency are unchanged; the gain is a file that compresses to
 *   about (1 − sparsity) of its size, and a starting point for sparse formats.
 * - **structured**: in every chain `MatMul|Gemm (W1 [in,h]) → [Add b1 [h]] → [elementwise
 *   activation] → MatMul|Gemm (W2 [h,out])`, the `sparsity` fraction of the h hidden units with
 *   the smallest importance is removed: W1's columns, b1's entries and W2's rows. A unit's
 *   importance is ‖(W1[:,j], b1[j])‖₂ · ‖W2[j,:]‖₂, the size of what flows in times the size of
 *   what flows out, so a unit with a large input but an almost unused output still goes. Chains
 *   are processed in graph order, each scored on the weights the previous one left. The last layer's
 *   outputs are the model's and are never removed; dense layers in no such chain are listed as
 *   skipped with the reason.
 * - **structured with `convChannels`**: also, for every `Conv (W [M, C, k…], b [M], group 1)` whose
 *   output reaches, through single-reader per-channel ops (elementwise activations, Max/Average
 *   pooling, global pooling), either the next Conv's input X (group 1) or a `Flatten(axis 1)` →
 *   MatMul|Gemm, the `sparsity` fraction of its M output channels with the smallest
 *   ‖(W[c], b[c])‖₂ · ‖Wnext[:, c]‖₂ is removed: W[c], b[c] and the next Conv's input channel c,
 *   or the next dense layer's input rows c·S … (c+1)·S − 1 (S = its rows / M, the pixels per
 *   channel after Flatten). A Conv whose output is a model output, is read by several nodes, or
 *   goes into anything else (Add, Concat, BatchNormalization, a grouped Conv, …) is left as it is
 *   and listed as skipped with the reason.
 *
 * @throws PassSettingsError for an unknown mode or a sparsity outside [0, 1]
 */
export function prune(bytes: Uint8Array, settings: PruneSettings): PruneResult {
  checkSettings(settings);
  const model = decodeModel(bytes);
  const graph = model.graph ?? {};
  model.graph = graph;
  const report: PassReport = {
    pass: 'prune',
    settings: {
      mode: settings.mode,
      sparsity: settings.sparsity,
      ...(settings.convChannels === undefined ? {} : { convChannels: settings.convChannels }),
    },
    sizeBefore: bytes.byteLength,
    sizeAfter: 0,
    changedNodes: [],
    skippedNodes: [],
    notes: [],
  };
  const sparsity =
    settings.mode === 'unstructured'
      ? pruneUnstructured(graph, settings.sparsity, report)
      : (pruneStructured(graph, settings.sparsity, settings.convChannels === true, report), []);
  const out = encodeModel(model);
  report.sizeAfter = out.byteLength;
  return { bytes: out, report, sparsity };
}

interface GraphIndex {
  initializers: Map<string, TensorProto>;
  graphInputs: Set<string>;
  graphOutputs: Set<string>;
  consumers: Map<string, NodeProto[]>;
}

function indexGraph(graph: GraphProto): GraphIndex {
  const consumers = new Map<string, NodeProto[]>();
  for (const node of graph.node ?? []) {
    for (const input of node.input ?? []) {
      if (input === '') continue;
      const list = consumers.get(input) ?? [];
      if (!list.includes(node)) list.push(node);
      consumers.set(input, list);
    }
  }
  return {
    initializers: new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor])),
    graphInputs: new Set((graph.input ?? []).map((info) => info.name ?? '')),
    graphOutputs: new Set((graph.output ?? []).map((info) => info.name ?? '')),
    consumers,
  };
}

/** Why a tensor cannot be rewritten as a dense float32 weight, or undefined when it can. */
function weightProblem(name: string | undefined, index: GraphIndex): string | undefined {
  if (name === undefined || name === '') return 'has no weight input';
  const tensor = index.initializers.get(name);
  if (tensor === undefined) return `weight "${name}" is not an initializer`;
  if (index.graphInputs.has(name)) return `weight "${name}" is also a graph input (callers may override it)`;
  if (tensor.dataType !== TENSOR_DATA_TYPE.FLOAT) return `weight "${name}" is not float32`;
  if (isExternalTensor(tensor)) return `weight "${name}" is stored externally`;
  return undefined;
}

function writeFloat32(tensor: TensorProto, values: Float32Array, dims?: number[]): void {
  tensor.rawData = littleEndianBytes(values);
  delete tensor.floatData;
  if (dims !== undefined) tensor.dims = dims;
}

function pruneUnstructured(graph: GraphProto, target: number, report: PassReport): TensorSparsity[] {
  const index = indexGraph(graph);
  const done = new Set<string>();
  const results: TensorSparsity[] = [];
  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    if (!PRUNABLE_OPS.has(op) || (node.domain ?? '') !== '') continue;
    const name = node.input?.[1];
    const problem = weightProblem(name, index);
    if (problem !== undefined || name === undefined) {
      report.skippedNodes.push({ name: node.name ?? '', opType: op, reason: problem ?? 'no weight' });
      continue;
    }
    report.changedNodes.push(node.name ?? '');
    if (done.has(name)) continue;
    done.add(name);
    const tensor = index.initializers.get(name) as TensorProto;
    const values = readFloat32Tensor(tensor);
    const zeros = zeroSmallest(values, Math.round(target * values.length));
    writeFloat32(tensor, values);
    results.push({
      tensor: name,
      elements: values.length,
      zeros,
      sparsity: values.length === 0 ? 0 : zeros / values.length,
    });
  }
  const total = results.reduce((sum, item) => sum + item.elements, 0);
  const zeros = results.reduce((sum, item) => sum + item.zeros, 0);
  report.notes.push(
    `pruned ${results.length} weight tensors to ${(100 * target).toFixed(1)}% target sparsity; ` +
      `achieved ${total === 0 ? 0 : ((100 * zeros) / total).toFixed(2)}% overall (${results
        .map((item) => `${item.tensor} ${(100 * item.sparsity).toFixed(2)}%`)
        .join(', ')})`,
    'file size is unchanged: ONNX stores dense tensors; the zeros compress well (gzip/zstd) but ' +
      'onnxruntime CPU kernels do not skip them, so latency is unchanged too',
  );
  return results;
}

/** Zeroes the `count` elements with the smallest magnitude (ties broken by position); returns the zeros now present. */
function zeroSmallest(values: Float32Array, count: number): number {
  if (count > 0) {
    const magnitudes = Float32Array.from(values, Math.abs).sort();
    const threshold = magnitudes[count - 1] as number;
    let below = 0;
    for (const magnitude of magnitudes) if (magnitude < threshold) below++;
    let atThreshold = count - below;
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i] as number);
      if (magnitude < threshold) values[i] = 0;
      else if (magnitude === threshold && atThreshold > 0) {
        values[i] = 0;
        atThreshold--;
      }
    }
  }
  let zeros = 0;
  for (const value of values) if (value === 0) zeros++;
  return zeros;
}

/** A dense layer: `x · W (+ b)`, as MatMul(+Add) or Gemm. */
interface DenseLayer {
  node: NodeProto;
  weight: TensorProto;
  /** Gemm transB: W stored [out, in]. */
  transposed: boolean;
  rows: number;
  cols: number;
  bias?: TensorProto;
  /** Values carrying the hidden units after this layer (the layer output, bias add, activation). */
  hiddenValues: string[];
  /** The value the next layer reads. */
  output: string;
}

function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const found = node.attribute?.find((item) => item.name === name);
  return found?.i === undefined ? fallback : Number(found.i);
}

/** Reads a dense layer at `node`, or says why it is not one this pass can shrink. */
function readDenseLayer(node: NodeProto, index: GraphIndex): DenseLayer | string {
  const op = node.opType ?? '';
  const weightName = node.input?.[1];
  const problem = weightProblem(weightName, index);
  if (problem !== undefined) return problem;
  const weight = index.initializers.get(weightName ?? '') as TensorProto;
  if ((weight.dims ?? []).length !== 2) return `weight "${weightName}" is not 2-D`;
  const [d0, d1] = (weight.dims ?? []).map(Number) as [number, number];
  const transposed = op === 'Gemm' && intAttribute(node, 'transB', 0) === 1;
  if (op === 'Gemm' && intAttribute(node, 'transA', 0) === 1) return 'Gemm with transA is not handled';
  const rows = transposed ? d1 : d0;
  const cols = transposed ? d0 : d1;
  let output = node.output?.[0] ?? '';
  const hiddenValues = [output];
  let bias: TensorProto | undefined;
  if (op === 'Gemm' && (node.input?.[2] ?? '') !== '') {
    bias = index.initializers.get(node.input?.[2] ?? '');
    const dims = (bias?.dims ?? []).map(Number);
    if (bias === undefined || bias.dataType !== TENSOR_DATA_TYPE.FLOAT || dims.length !== 1 || dims[0] !== cols) {
      return 'Gemm bias is not a float32 [N] initializer';
    }
  }
  // Optional bias Add, then an optional elementwise activation, each the only reader.
  const only = (value: string): NodeProto | undefined => {
    const readers = index.consumers.get(value) ?? [];
    return readers.length === 1 && !index.graphOutputs.has(value) ? readers[0] : undefined;
  };
  let next = only(output);
  if (bias === undefined && next?.opType === 'Add') {
    const other = next.input?.[0] === output ? next.input?.[1] : next.input?.[0];
    const candidate = index.initializers.get(other ?? '');
    const dims = (candidate?.dims ?? []).map(Number);
    if (
      candidate !== undefined &&
      candidate.dataType === TENSOR_DATA_TYPE.FLOAT &&
      !index.graphInputs.has(other ?? '') &&
      (index.consumers.get(other ?? '') ?? []).length === 1 &&
      dims[dims.length - 1] === cols &&
      dims.slice(0, -1).every((dim) => dim === 1)
    ) {
      bias = candidate;
      output = next.output?.[0] ?? '';
      hiddenValues.push(output);
      next = only(output);
    }
  }
  if (next !== undefined && ELEMENTWISE_ACTIVATIONS.has(next.opType ?? '') && (next.domain ?? '') === '') {
    output = next.output?.[0] ?? '';
    hiddenValues.push(output);
  }
  return { node, weight, transposed, rows, cols, ...(bias === undefined ? {} : { bias }), hiddenValues, output };
}

/** Keeps the listed columns (hidden units on the output side) of a layer's weight and bias. */
function keepColumns(layer: DenseLayer, keep: number[]): void {
  const values = readFloat32Tensor(layer.weight);
  const { rows, cols } = layer;
  const out = new Float32Array(rows * keep.length);
  if (layer.transposed) {
    keep.forEach((col, j) => out.set(values.subarray(col * rows, (col + 1) * rows), j * rows));
    writeFloat32(layer.weight, out, [keep.length, rows]);
  } else {
    for (let r = 0; r < rows; r++)
      keep.forEach((col, j) => (out[r * keep.length + j] = values[r * cols + col] as number));
    writeFloat32(layer.weight, out, [rows, keep.length]);
  }
  layer.cols = keep.length;
  if (layer.bias !== undefined) {
    const bias = readFloat32Tensor(layer.bias);
    const dims = (layer.bias.dims ?? []).map(Number);
    writeFloat32(
      layer.bias,
      Float32Array.from(keep, (col) => bias[col] as number),
      [...dims.slice(0, -1), keep.length],
    );
  }
}

/** Keeps the listed rows (hidden units on the input side) of a layer's weight. */
function keepRows(layer: DenseLayer, keep: number[]): void {
  const values = readFloat32Tensor(layer.weight);
  const { rows, cols } = layer;
  const out = new Float32Array(keep.length * cols);
  if (layer.transposed) {
    for (let c = 0; c < cols; c++)
      keep.forEach((row, j) => (out[c * keep.length + j] = values[c * rows + row] as number));
    writeFloat32(layer.weight, out, [cols, keep.length]);
  } else {
    keep.forEach((row, j) => out.set(values.subarray(row * cols, (row + 1) * cols), j * cols));
    writeFloat32(layer.weight, out, [keep.length, cols]);
  }
  layer.rows = keep.length;
}

/** ‖(W1[:,j], b1[j])‖₂ · ‖W2[j,:]‖₂ for every hidden unit j. */
function unitImportance(first: DenseLayer, second: DenseLayer): Float64Array {
  const h = first.cols;
  const incoming = new Float64Array(h);
  const outgoing = new Float64Array(h);
  const w1 = readFloat32Tensor(first.weight);
  for (let i = 0; i < w1.length; i++) {
    const unit = first.transposed ? Math.floor(i / first.rows) : i % h;
    incoming[unit] = (incoming[unit] as number) + (w1[i] as number) ** 2;
  }
  if (first.bias !== undefined) {
    const b = readFloat32Tensor(first.bias);
    for (let j = 0; j < h; j++) incoming[j] = (incoming[j] as number) + (b[j] as number) ** 2;
  }
  const w2 = readFloat32Tensor(second.weight);
  for (let i = 0; i < w2.length; i++) {
    const unit = second.transposed ? i % second.rows : Math.floor(i / second.cols);
    outgoing[unit] = (outgoing[unit] as number) + (w2[i] as number) ** 2;
  }
  return incoming.map((value, j) => Math.sqrt(value) * Math.sqrt(outgoing[j] as number));
}

function pruneStructured(graph: GraphProto, target: number, convChannels: boolean, report: PassReport): void {
  const index = indexGraph(graph);
  const layers = new Map<NodeProto, DenseLayer | string>();
  const nodes = graph.node ?? [];
  const dense = nodes.filter(
    (node) => (node.opType === 'MatMul' || node.opType === 'Gemm') && (node.domain ?? '') === '',
  );
  const convs = nodes.filter((node) => node.opType === 'Conv' && (node.domain ?? '') === '');
  for (const node of dense) layers.set(node, readDenseLayer(node, index));
  const convLayers = new Map<NodeProto, ConvLayer | string>();
  if (convChannels) for (const node of convs) convLayers.set(node, readConvLayer(node, index));
  const shrunk = new Set<NodeProto>();
  const inChain = new Set<NodeProto>();
  const skipReasons = new Map<NodeProto, string>();
  const sizes: string[] = [];
  const channelSizes: string[] = [];
  const keepOf = (units: number, importance: Float64Array): number[] => {
    const keepCount = Math.max(1, units - Math.round(target * units));
    return Array.from({ length: units }, (_, j) => j)
      .sort((a, b) => (importance[b] as number) - (importance[a] as number) || a - b)
      .slice(0, keepCount)
      .sort((a, b) => a - b);
  };

  // One walk in graph order, so each chain is scored on the weights the chains before it left.
  for (const node of nodes) {
    if (convLayers.has(node)) {
      const link = convChain(node, convLayers, layers, index);
      if (typeof link === 'string') {
        skipReasons.set(node, link);
        continue;
      }
      const { conv, next } = link;
      inChain.add(conv.node);
      inChain.add(next.node);
      const m = conv.dims[0] as number;
      const importance = channelImportance(conv, next);
      const keep = keepOf(m, importance);
      if (keep.length === m) continue;
      keepOutChannels(conv, keep);
      if (next.kind === 'conv') keepInChannels(next.layer, keep);
      else
        keepRows(
          next.layer,
          keep.flatMap((c) => range(c * next.block, (c + 1) * next.block)),
        );
      updateValueInfo(graph, conv.hiddenValues, keep.length, 1);
      if (next.kind === 'dense') updateValueInfo(graph, [next.flattened], keep.length * next.block, 1);
      shrunk.add(conv.node);
      shrunk.add(next.node);
      channelSizes.push(`${conv.output}: ${m} → ${keep.length}`);
      continue;
    }
    if (!layers.has(node)) continue;
    const first = layers.get(node);
    if (typeof first === 'string' || first === undefined) {
      skipReasons.set(node, first ?? 'not a dense layer');
      continue;
    }
    const readers = index.consumers.get(first.output) ?? [];
    const reader = readers[0];
    let reason: string | undefined;
    if (index.graphOutputs.has(first.output) || readers.length === 0) {
      reason = 'its output is a model output, which is never shrunk';
    } else if (readers.length > 1) reason = `its output "${first.output}" is read by ${readers.length} nodes`;
    else if (reader === undefined || !layers.has(reader)) {
      reason = `the next op (${reader?.opType}) is not a MatMul/Gemm`;
    } else if (reader.input?.[0] !== first.output) reason = 'the next layer reads it as weights, not activations';
    const second = reader === undefined ? undefined : layers.get(reader);
    if (reason === undefined && typeof second === 'string') reason = `the next layer cannot be shrunk: ${second}`;
    if (reason === undefined && second !== undefined && typeof second !== 'string' && second.rows !== first.cols) {
      reason = `hidden sizes disagree (${first.cols} vs ${second.rows})`;
    }
    if (reason === undefined && shared(first.weight, index)) reason = `weight "${first.weight.name}" is shared`;
    if (reason !== undefined || second === undefined || typeof second === 'string') {
      skipReasons.set(node, reason ?? 'no next layer');
      continue;
    }
    if (shared(second.weight, index)) {
      skipReasons.set(node, `the next layer's weight "${second.weight.name}" is shared`);
      continue;
    }
    inChain.add(node);
    inChain.add(second.node);
    const h = first.cols;
    const keep = keepOf(h, unitImportance(first, second));
    if (keep.length === h) continue;
    keepColumns(first, keep);
    keepRows(second, keep);
    updateValueInfo(graph, first.hiddenValues, keep.length);
    shrunk.add(first.node);
    shrunk.add(second.node);
    sizes.push(`${first.output}: ${h} → ${keep.length}`);
  }
  for (const node of nodes) {
    if (!layers.has(node) && !convLayers.has(node)) continue;
    if (shrunk.has(node)) report.changedNodes.push(node.name ?? '');
    else if (!inChain.has(node)) {
      report.skippedNodes.push({
        name: node.name ?? '',
        opType: node.opType ?? '',
        reason:
          skipReasons.get(node) ??
          (convLayers.has(node) ? 'not in a prunable chain' : 'not in a chain of dense layers'),
      });
    }
  }
  report.notes.push(
    sizes.length > 0 ? `removed hidden units: ${sizes.join(', ')}` : 'no chain of dense layers to shrink',
    'importance of a unit = ‖(W1[:,j], b1[j])‖₂ · ‖W2[j,:]‖₂; the units with the smallest go',
  );
  if (convChannels) {
    report.notes.push(
      channelSizes.length > 0
        ? `removed Conv output channels: ${channelSizes.join(', ')}`
        : 'no Conv output channel could be removed',
      "importance of a channel = ‖(W[c], b[c])‖₂ · ‖Wnext[:, c]‖₂ (the next Conv's input channel c, or the " +
        "next dense layer's rows of channel c after Flatten)",
    );
  } else if (convs.length > 0) {
    report.notes.push(`${convs.length} Conv node(s) left as they are: convChannels is off`);
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** A convolution whose output channels may go: W [M, C, k…] (group 1), optional bias [M]. */
interface ConvLayer {
  node: NodeProto;
  weight: TensorProto;
  /** W's dims, updated as channels are removed. */
  dims: number[];
  bias?: TensorProto;
}

/** Where a Conv's channels go: the next Conv's input channels, or the next dense layer's rows after Flatten. */
type ChannelReader =
  | { kind: 'conv'; node: NodeProto; layer: ConvLayer }
  | { kind: 'dense'; node: NodeProto; layer: DenseLayer; block: number; flattened: string };

/** Ops that keep channels apart (channel c out depends on channel c in only) and carry no weights. */
const PER_CHANNEL_OPS = new Set([
  ...ELEMENTWISE_ACTIVATIONS,
  'MaxPool',
  'AveragePool',
  'LpPool',
  'GlobalAveragePool',
  'GlobalMaxPool',
  'GlobalLpPool',
]);

/** Reads a Conv this pass can remove output (or input) channels of, or says why not. */
function readConvLayer(node: NodeProto, index: GraphIndex): ConvLayer | string {
  const weightName = node.input?.[1];
  const problem = weightProblem(weightName, index);
  if (problem !== undefined) return problem;
  const group = intAttribute(node, 'group', 1);
  if (group !== 1) return `grouped convolution (group ${group}): its channels are tied to the groups`;
  const weight = index.initializers.get(weightName ?? '') as TensorProto;
  const dims = (weight.dims ?? []).map(Number);
  if (dims.length < 3) return `weight "${weightName}" has shape [${dims.join(', ')}], expected [M, C, k…]`;
  const layer: ConvLayer = { node, weight, dims };
  const biasName = node.input?.[2] ?? '';
  if (biasName !== '') {
    const bias = index.initializers.get(biasName);
    const biasDims = (bias?.dims ?? []).map(Number);
    if (
      bias === undefined ||
      index.graphInputs.has(biasName) ||
      bias.dataType !== TENSOR_DATA_TYPE.FLOAT ||
      isExternalTensor(bias) ||
      biasDims.length !== 1 ||
      biasDims[0] !== dims[0]
    ) {
      return `bias "${biasName}" is not a float32 [M] initializer`;
    }
    if (shared(bias, index)) return `bias "${biasName}" is shared`;
    layer.bias = bias;
  }
  return layer;
}

/**
 * Follows a Conv's output through single-reader per-channel ops to the layer that reads its
 * channels, or says why its channels cannot go.
 */
function convChain(
  node: NodeProto,
  convLayers: ReadonlyMap<NodeProto, ConvLayer | string>,
  layers: ReadonlyMap<NodeProto, DenseLayer | string>,
  index: GraphIndex,
): { conv: ConvLayer & { hiddenValues: string[]; output: string }; next: ChannelReader } | string {
  const conv = convLayers.get(node);
  if (conv === undefined || typeof conv === 'string') return conv ?? 'not a Conv';
  if (shared(conv.weight, index)) return `weight "${conv.weight.name}" is shared`;
  const m = conv.dims[0] as number;
  let value = node.output?.[0] ?? '';
  const hiddenValues = [value];
  for (;;) {
    if (index.graphOutputs.has(value)) return `its channels reach a model output ("${value}"), which is never shrunk`;
    const readers = index.consumers.get(value) ?? [];
    if (readers.length === 0) return `its output "${value}" is not read`;
    if (readers.length > 1) {
      const ops = readers.map((reader) => reader.opType).join(', ');
      return `its output "${value}" is read by ${readers.length} nodes (${ops})`;
    }
    const reader = readers[0] as NodeProto;
    const op = reader.opType ?? '';
    const label = `${op} "${reader.name ?? ''}"`;
    if ((reader.domain ?? '') !== '') return `the next op ${label} is not in the default ONNX domain`;
    if (reader.input?.[0] !== value) return `the next op ${label} reads "${value}" as other than its data input`;
    if (PER_CHANNEL_OPS.has(op)) {
      if ((reader.output ?? []).filter((name) => name !== '').length !== 1) {
        return `the next op ${label} has a second output (indices depend on the channel count)`;
      }
      value = reader.output?.[0] ?? '';
      hiddenValues.push(value);
      continue;
    }
    if (op === 'Conv') {
      const next = convLayers.get(reader);
      if (next === undefined || typeof next === 'string') return `the next Conv cannot be shrunk: ${next ?? 'unknown'}`;
      if (next.dims[1] !== m) return `channel counts disagree (${m} vs the next Conv's ${next.dims[1]})`;
      if (shared(next.weight, index)) return `the next Conv's weight "${next.weight.name}" is shared`;
      return { conv: { ...conv, hiddenValues, output: value }, next: { kind: 'conv', node: reader, layer: next } };
    }
    if (op === 'Flatten') {
      const axis = intAttribute(reader, 'axis', 1);
      if (axis !== 1) return `the next op ${label} flattens from axis ${axis}, expected 1`;
      const flattened = reader.output?.[0] ?? '';
      if (index.graphOutputs.has(flattened)) return `its channels reach a model output ("${flattened}")`;
      const after = index.consumers.get(flattened) ?? [];
      const dense = after.length === 1 ? layers.get(after[0] as NodeProto) : undefined;
      if (after.length !== 1 || dense === undefined) {
        return `the Flatten output "${flattened}" is not read by exactly one MatMul/Gemm`;
      }
      if (typeof dense === 'string') return `the dense layer after Flatten cannot be shrunk: ${dense}`;
      if (dense.node.input?.[0] !== flattened) return 'the dense layer after Flatten reads it as weights';
      if (dense.rows % m !== 0) return `the dense layer's ${dense.rows} inputs are not a multiple of ${m} channels`;
      if (shared(dense.weight, index)) return `the next layer's weight "${dense.weight.name}" is shared`;
      return {
        conv: { ...conv, hiddenValues, output: value },
        next: { kind: 'dense', node: dense.node, layer: dense, block: dense.rows / m, flattened },
      };
    }
    return `the next op ${label} is not a per-channel op, a Conv or a Flatten → MatMul/Gemm`;
  }
}

/** ‖(W[c], b[c])‖₂ · ‖Wnext[:, c]‖₂ for every output channel c of the Conv. */
function channelImportance(conv: ConvLayer, next: ChannelReader): Float64Array {
  const m = conv.dims[0] as number;
  const incoming = new Float64Array(m);
  const outgoing = new Float64Array(m);
  const w = readFloat32Tensor(conv.weight);
  const perChannel = w.length / m;
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / perChannel);
    incoming[c] = (incoming[c] as number) + (w[i] as number) ** 2;
  }
  if (conv.bias !== undefined) {
    const b = readFloat32Tensor(conv.bias);
    for (let c = 0; c < m; c++) incoming[c] = (incoming[c] as number) + (b[c] as number) ** 2;
  }
  if (next.kind === 'conv') {
    const w2 = readFloat32Tensor(next.layer.weight);
    const spatial = w2.length / ((next.layer.dims[0] as number) * m);
    for (let i = 0; i < w2.length; i++) {
      const c = Math.floor(i / spatial) % m;
      outgoing[c] = (outgoing[c] as number) + (w2[i] as number) ** 2;
    }
  } else {
    const { layer, block } = next;
    const w2 = readFloat32Tensor(layer.weight);
    for (let i = 0; i < w2.length; i++) {
      const row = layer.transposed ? i % layer.rows : Math.floor(i / layer.cols);
      const c = Math.floor(row / block);
      outgoing[c] = (outgoing[c] as number) + (w2[i] as number) ** 2;
    }
  }
  return incoming.map((value, c) => Math.sqrt(value) * Math.sqrt(outgoing[c] as number));
}

/** Keeps the listed output channels of a Conv's weight [M, …] and bias [M]. */
function keepOutChannels(conv: ConvLayer, keep: number[]): void {
  const values = readFloat32Tensor(conv.weight);
  const perChannel = values.length / (conv.dims[0] as number);
  const out = new Float32Array(keep.length * perChannel);
  keep.forEach((c, j) => out.set(values.subarray(c * perChannel, (c + 1) * perChannel), j * perChannel));
  conv.dims[0] = keep.length;
  writeFloat32(conv.weight, out, [...conv.dims]);
  if (conv.bias !== undefined) {
    const bias = readFloat32Tensor(conv.bias);
    writeFloat32(
      conv.bias,
      Float32Array.from(keep, (c) => bias[c] as number),
      [keep.length],
    );
  }
}

/** Keeps the listed input channels of a Conv's weight [M, C, k…]. */
function keepInChannels(conv: ConvLayer, keep: number[]): void {
  const values = readFloat32Tensor(conv.weight);
  const [m, c] = conv.dims as [number, number];
  const spatial = values.length / (m * c);
  const out = new Float32Array(m * keep.length * spatial);
  for (let o = 0; o < m; o++) {
    keep.forEach((channel, j) => {
      const from = (o * c + channel) * spatial;
      out.set(values.subarray(from, from + spatial), (o * keep.length + j) * spatial);
    });
  }
  conv.dims[1] = keep.length;
  writeFloat32(conv.weight, out, [...conv.dims]);
}

function shared(tensor: TensorProto, index: GraphIndex): boolean {
  return (index.consumers.get(tensor.name ?? '') ?? []).length > 1;
}

/** Sets one dimension (the last by default) of the declared shapes of the hidden values to the new width. */
function updateValueInfo(graph: GraphProto, names: string[], width: number, axis?: number): void {
  for (const info of graph.valueInfo ?? []) {
    if (!names.includes(info.name ?? '')) continue;
    const dims = info.type?.tensorType?.shape?.dim;
    const dim = dims?.[axis ?? dims.length - 1];
    if (dim !== undefined && dim.dimValue !== undefined) dim.dimValue = width;
  }
}
