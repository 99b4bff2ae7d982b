import { decodeModel, encodeModel } from '../model-codec';
import { ATTRIBUTE_TYPE, TENSOR_DATA_TYPE } from '../onnx-types';
import type { AttributeProto, GraphProto, NodeProto, TensorProto, ValueInfoProto } from '../onnx-types';
import {
  castNode,
  defaultOpsetVersion,
  float16Losses,
  float16Tensor,
  isExternalTensor,
  namesInGraph,
  readFloat32Tensor,
  uniqueName,
} from './fp16-weights';
import { PassSettingsError } from './pass';
import type { PassResult } from './pass';

/**
 * Op types kept in float32 unless the caller gives another list: onnxconverter-common's
 * `DEFAULT_OP_BLOCK_LIST` (ai.onnx.ml operators, which have no float16 kernels at all, and
 * NonMaxSuppression, TopK, RoiAlign, Resize, Range, CumSum, Min, Max, Upsample, whose float16
 * kernels are missing on onnxruntime's CPU provider or numerically fragile), plus the quantization
 * operators, whose scale types are pinned to float32 before opset 19.
 */
export const DEFAULT_FP16_BLOCK_LIST: readonly string[] = Object.freeze([
  'ArrayFeatureExtractor',
  'Binarizer',
  'CastMap',
  'CategoryMapper',
  'DictVectorizer',
  'FeatureVectorizer',
  'Imputer',
  'LabelEncoder',
  'LinearClassifier',
  'LinearRegressor',
  'Normalizer',
  'OneHotEncoder',
  'RandomUniformLike',
  'SVMClassifier',
  'SVMRegressor',
  'Scaler',
  'TreeEnsembleClassifier',
  'TreeEnsembleRegressor',
  'ZipMap',
  'NonMaxSuppression',
  'TopK',
  'RoiAlign',
  'Resize',
  'Range',
  'CumSum',
  'Min',
  'Max',
  'Upsample',
  'QuantizeLinear',
  'DequantizeLinear',
  'DynamicQuantizeLinear',
]);

/** Inputs that are float32 whatever the op's element type (`tensor(float)` in the schema). */
const FLOAT32_ONLY_INPUTS: ReadonlyMap<string, readonly number[]> = new Map([
  ['Resize', [2]],
  ['Upsample', [1]],
]);

/** Ops with a `dtype` attribute that defaults to FLOAT when absent. */
const DTYPE_DEFAULT_FLOAT = new Set(['RandomNormal', 'RandomUniform']);
/** Ops with a `dtype` attribute that, when absent, copies the input's type. */
const DTYPE_OPTIONAL = new Set(['RandomNormalLike', 'RandomUniformLike', 'EyeLike']);
const BOOL_OUTPUT_OPS = new Set([
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'And',
  'Or',
  'Xor',
  'Not',
  'IsNaN',
  'IsInf',
]);
const INT64_OUTPUT_OPS = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'NonMaxSuppression']);

/** Settings of {@link convertFp16}. */
export interface Fp16Settings {
  /** Op types left in float32, with Casts around them. @default DEFAULT_FP16_BLOCK_LIST */
  blockList?: readonly string[];
  /**
   * Keep float32 graph inputs and outputs, converting at the edges with Cast nodes, so callers
   * feed and read exactly what they did before. When false, they become float16.
   * @default true
   */
  keepIoTypes?: boolean;
}

type Precision = 'fp32' | 'fp16';

const FLOAT = TENSOR_DATA_TYPE.FLOAT;
const FLOAT16 = TENSOR_DATA_TYPE.FLOAT16;

function attribute(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute?.find((item) => item.name === name);
}

function hasSubgraph(node: NodeProto): boolean {
  return (node.attribute ?? []).some(
    (item) => item.type === ATTRIBUTE_TYPE.GRAPH || item.type === ATTRIBUTE_TYPE.GRAPHS,
  );
}

function elemTypeOf(info: ValueInfoProto): number | undefined {
  return info.type?.tensorType?.elemType;
}

/**
 * The element type of every value in the float32 model, from declarations (inputs, outputs,
 * value_info, initializers) and, where none is given, from each op's type rule: most ops give
 * their first input's type; the exceptions that matter here (Cast, Constant, comparisons, Shape,
 * Where, …) are spelled out. Values whose type cannot be worked out are left out.
 */
function inferElementTypes(graph: GraphProto): Map<string, number> {
  const types = new Map<string, number>();
  for (const tensor of graph.initializer ?? []) {
    if (tensor.dataType !== undefined) types.set(tensor.name ?? '', tensor.dataType);
  }
  for (const info of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const type = elemTypeOf(info);
    if (type !== undefined) types.set(info.name ?? '', type);
  }
  for (const node of graph.node ?? []) {
    const inputs = node.input ?? [];
    const outputs = node.output ?? [];
    const inputType = (index: number): number | undefined => {
      const name = inputs[index];
      return name === undefined || name === '' ? undefined : types.get(name);
    };
    const op = node.opType ?? '';
    const dtype = attribute(node, 'dtype')?.i;
    outputs.forEach((output, index) => {
      if (output === '' || types.has(output)) return;
      let type: number | undefined;
      if (op === 'Cast') type = Number(attribute(node, 'to')?.i ?? 0) || undefined;
      else if (op === 'Constant') type = constantType(node);
      else if (op === 'ConstantOfShape') type = attribute(node, 'value')?.t?.dataType ?? FLOAT;
      else if (DTYPE_DEFAULT_FLOAT.has(op)) type = dtype === undefined ? FLOAT : Number(dtype);
      else if (DTYPE_OPTIONAL.has(op)) type = dtype === undefined ? inputType(0) : Number(dtype);
      else if (BOOL_OUTPUT_OPS.has(op)) type = TENSOR_DATA_TYPE.BOOL;
      else if (INT64_OUTPUT_OPS.has(op) || (op === 'TopK' && index === 1)) type = TENSOR_DATA_TYPE.INT64;
      else if (op === 'Dropout' && index === 1) type = TENSOR_DATA_TYPE.BOOL;
      else if (op === 'Where') type = inputType(1);
      else if (op === 'OneHot') type = inputType(2);
      else if (op === 'DequantizeLinear') type = inputType(1);
      else if (op === 'QuantizeLinear') type = inputType(2) ?? TENSOR_DATA_TYPE.UINT8;
      else if (op === 'DynamicQuantizeLinear') type = index === 1 ? FLOAT : TENSOR_DATA_TYPE.UINT8;
      else if (op === 'MatMulInteger' || op === 'ConvInteger') type = TENSOR_DATA_TYPE.INT32;
      else if (op === 'LayerNormalization' && index > 0)
        type = FLOAT; // stash_type outputs
      else type = inputs.map((_, i) => inputType(i)).find((t) => t !== undefined);
      if (type !== undefined) types.set(output, type);
    });
  }
  return types;
}

function constantType(node: NodeProto): number | undefined {
  for (const item of node.attribute ?? []) {
    if (item.name === 'value') return item.t?.dataType;
    if (item.name === 'value_float' || item.name === 'value_floats') return FLOAT;
    if (item.name === 'value_int' || item.name === 'value_ints') return TENSOR_DATA_TYPE.INT64;
    if (item.name === 'value_string' || item.name === 'value_strings') return TENSOR_DATA_TYPE.STRING;
  }
  return undefined;
}

/** A FLOAT tensor as FLOAT16, keeping its name and dims. */
function toFloat16(tensor: TensorProto, losses: { clamped: number; flushed: number }): TensorProto {
  const values = readFloat32Tensor(tensor);
  const lost = float16Losses(values);
  losses.clamped += lost.clamped;
  losses.flushed += lost.flushed;
  return float16Tensor(tensor.name ?? '', values, tensor.dims);
}

/** Rewrites the attributes of a node that runs in float16 so that it makes float16 values. */
function convertAttributes(node: NodeProto, losses: { clamped: number; flushed: number }): boolean {
  const op = node.opType ?? '';
  let changed = false;
  const attributes = node.attribute ?? [];
  if (op === 'Cast') {
    const to = attribute(node, 'to');
    if (to !== undefined && Number(to.i) === FLOAT) {
      to.i = FLOAT16;
      changed = true;
    }
  } else if (op === 'Constant') {
    node.attribute = attributes.map((item) => {
      if (item.name === 'value' && item.t?.dataType === FLOAT && !isExternalTensor(item.t)) {
        changed = true;
        return { ...item, t: toFloat16(item.t, losses) };
      }
      if (item.name === 'value_float' || item.name === 'value_floats') {
        changed = true;
        const values = Float32Array.from(item.name === 'value_float' ? [item.f ?? 0] : (item.floats ?? []));
        const dims = item.name === 'value_float' ? [] : [values.length];
        return { name: 'value', type: ATTRIBUTE_TYPE.TENSOR, t: float16Tensor('', values, dims) };
      }
      return item;
    });
  } else if (op === 'ConstantOfShape') {
    const value = attribute(node, 'value');
    if (value === undefined) {
      node.attribute = [
        ...attributes,
        { name: 'value', type: ATTRIBUTE_TYPE.TENSOR, t: float16Tensor('', new Float32Array(1), [1]) },
      ];
      changed = true;
    } else if (value.t?.dataType === FLOAT) {
      value.t = toFloat16(value.t, losses);
      changed = true;
    }
  } else if (DTYPE_DEFAULT_FLOAT.has(op) || DTYPE_OPTIONAL.has(op)) {
    const dtype = attribute(node, 'dtype');
    if (dtype !== undefined && Number(dtype.i) === FLOAT) {
      dtype.i = FLOAT16;
      changed = true;
    } else if (dtype === undefined && DTYPE_DEFAULT_FLOAT.has(op)) {
      node.attribute = [...attributes, { name: 'dtype', type: ATTRIBUTE_TYPE.INT, i: FLOAT16 }];
      changed = true;
    }
  }
  return changed;
}

/**
 * Converts a model to float16 throughout: float32 initializers are rounded to nearest (ties to
 * even, finite values clamped to ±65504), Constant/ConstantOfShape/Cast/Random* attributes are
 * switched to float16, and the declared types of float values follow. Ops in the block list stay
 * in float32 with Casts on the float values that cross into and out of them; with `keepIoTypes`
 * (the default) graph inputs and outputs stay float32 too, cast at the edges.
 *
 * The rounding is what onnxconverter-common's `convert_float_to_float16` does, except that values
 * are not clipped to its 1e-7…1e4 range: float16 holds 6e-8…65504 and clipping to 1e4 would
 * change weights the format can represent.
 *
 * Limits: models with control flow (If, Loop, Scan) are refused, since their bodies read
 * outer-scope values by name; element types are propagated with a table of op type rules rather
 * than full shape inference, so values of custom-domain ops that do not follow "output type =
 * first input's type" may be mistyped. onnxruntime's CPU provider has float16 kernels for some
 * ops only; check the result loads where it will run.
 *
 * @throws PassSettingsError for a block list that is not a list of op type names, a model with
 *   control flow, or an opset older than 7
 */
export function convertFp16(bytes: Uint8Array, settings: Fp16Settings = {}): PassResult {
  const blockList = settings.blockList ?? DEFAULT_FP16_BLOCK_LIST;
  if (!Array.isArray(blockList) || !blockList.every((op) => typeof op === 'string' && op !== '')) {
    throw new PassSettingsError('fp16: blockList must be a list of op type names');
  }
  const keepIoTypes = settings.keepIoTypes ?? true;
  if (typeof keepIoTypes !== 'boolean') {
    throw new PassSettingsError(`fp16: keepIoTypes must be a boolean, got ${String(keepIoTypes)}`);
  }
  const blocked = new Set<string>(blockList);
  const model = decodeModel(bytes);
  const graph = model.graph ?? {};
  model.graph = graph;
  const opset = defaultOpsetVersion(model) ?? 0;
  if (opset < 7) {
    throw new PassSettingsError(`fp16: the model imports ai.onnx opset ${opset}; float16 conversion needs at least 7`);
  }
  const nodes = graph.node ?? [];
  const controlFlow = nodes.find(hasSubgraph);
  if (controlFlow !== undefined) {
    throw new PassSettingsError(
      `fp16: node "${controlFlow.name}" (${controlFlow.opType}) has a subgraph; models with control flow are not supported`,
    );
  }

  const types = inferElementTypes(graph);
  const isFloat = (name: string): boolean => name !== '' && types.get(name) === FLOAT;
  const isBlocked = (node: NodeProto): boolean => blocked.has(node.opType ?? '');
  const needs = (node: NodeProto, index: number): Precision =>
    isBlocked(node) || (FLOAT32_ONLY_INPUTS.get(node.opType ?? '')?.includes(index) ?? false) ? 'fp32' : 'fp16';

  const graphInputs = new Set((graph.input ?? []).map((info) => info.name ?? ''));
  const graphOutputs = new Set((graph.output ?? []).map((info) => info.name ?? ''));
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const ioPrecision: Precision = keepIoTypes ? 'fp32' : 'fp16';

  // Which precisions each float value is read in.
  const readAs = new Map<string, Set<Precision>>();
  for (const node of nodes) {
    (node.input ?? []).forEach((name, index) => {
      if (!isFloat(name)) return;
      const set = readAs.get(name) ?? new Set<Precision>();
      set.add(needs(node, index));
      readAs.set(name, set);
    });
  }

  // The precision each float value is produced in after conversion.
  const precision = new Map<string, Precision>();
  const losses = { clamped: 0, flushed: 0 };
  const notes: string[] = [];
  for (const name of graphInputs) {
    if (isFloat(name) && !initializers.has(name)) precision.set(name, ioPrecision);
  }
  let convertedInitializers = 0;
  graph.initializer = (graph.initializer ?? []).map((tensor) => {
    const name = tensor.name ?? '';
    if (tensor.dataType !== FLOAT) return tensor;
    const keep =
      graphInputs.has(name) ||
      graphOutputs.has(name) ||
      isExternalTensor(tensor) ||
      !(readAs.get(name)?.has('fp16') ?? false);
    precision.set(name, keep ? 'fp32' : 'fp16');
    if (keep) return tensor;
    convertedInitializers++;
    return toFloat16(tensor, losses);
  });

  const changedNodes: string[] = [];
  const skippedNodes: PassResult['report']['skippedNodes'] = [];
  for (const node of nodes) {
    const floatOutputs = (node.output ?? []).filter(isFloat);
    const floatInputs = (node.input ?? []).filter(isFloat);
    if (isBlocked(node)) {
      for (const output of floatOutputs) precision.set(output, 'fp32');
      if (floatOutputs.length > 0 || floatInputs.length > 0) {
        skippedNodes.push({
          name: node.name ?? '',
          opType: node.opType ?? '',
          reason: 'in the block list; kept float32',
        });
      }
      continue;
    }
    for (const output of floatOutputs) precision.set(output, 'fp16');
    const attributesChanged = convertAttributes(node, losses);
    if (attributesChanged || floatOutputs.length > 0 || floatInputs.length > 0) changedNodes.push(node.name ?? '');
  }

  // Rebuild the node list, inserting Casts where a value is read in another precision than it is
  // made in. A Cast is emitted just before its first reader, so the order stays topological.
  const taken = namesInGraph(graph);
  const castOf = new Map<string, string>();
  const rebuilt: NodeProto[] = [];
  let castCount = 0;
  const castTo = (name: string, target: Precision): string => {
    const key = `${target}\u0000${name}`;
    const existing = castOf.get(key);
    if (existing !== undefined) return existing;
    const output = uniqueName(`${name}_${target}`, taken);
    rebuilt.push(
      castNode(uniqueName(`${name}_cast_${target}`, taken), name, output, target === 'fp16' ? FLOAT16 : FLOAT),
    );
    castCount++;
    castOf.set(key, output);
    return output;
  };

  // Graph outputs produced in the wrong precision: the producer writes a renamed value and a
  // final Cast writes the declared name.
  const renamedOutputs = new Map<string, string>();
  for (const name of graphOutputs) {
    const made = precision.get(name);
    if (
      !isFloat(name) ||
      made === undefined ||
      made === ioPrecision ||
      graphInputs.has(name) ||
      initializers.has(name)
    ) {
      continue;
    }
    renamedOutputs.set(name, uniqueName(`${name}_${made}`, taken));
  }
  for (const [original, renamed] of renamedOutputs) precision.set(renamed, precision.get(original) ?? 'fp16');

  for (const node of nodes) {
    node.input = (node.input ?? []).map((name, index) => {
      const source = renamedOutputs.get(name) ?? name;
      if (!isFloat(name)) return source;
      const made = precision.get(source) ?? 'fp32';
      const wanted = needs(node, index);
      return made === wanted ? source : castTo(source, wanted);
    });
    node.output = (node.output ?? []).map((name) => renamedOutputs.get(name) ?? name);
    rebuilt.push(node);
  }
  for (const [original, renamed] of renamedOutputs) {
    rebuilt.push(
      castNode(uniqueName(`${original}_cast_out`, taken), renamed, original, ioPrecision === 'fp16' ? FLOAT16 : FLOAT),
    );
    castCount++;
  }
  graph.node = rebuilt;

  // Declared types follow.
  const retype = (info: ValueInfoProto, target: Precision | undefined): void => {
    const tensorType = info.type?.tensorType;
    if (tensorType?.elemType === FLOAT && target !== undefined)
      tensorType.elemType = target === 'fp16' ? FLOAT16 : FLOAT;
  };
  for (const info of graph.input ?? []) retype(info, precision.get(info.name ?? ''));
  for (const info of graph.output ?? []) {
    const name = info.name ?? '';
    retype(info, renamedOutputs.has(name) ? ioPrecision : precision.get(name));
  }
  for (const info of graph.valueInfo ?? []) retype(info, precision.get(info.name ?? ''));

  notes.push(
    `converted ${convertedInitializers} initializers and ${changedNodes.length} nodes to float16; ` +
      `${skippedNodes.length} blocked nodes kept float32; ${castCount} Cast nodes inserted`,
  );
  if (keepIoTypes) notes.push('graph inputs and outputs stay float32 (Cast at the edges)');
  if (losses.clamped > 0) notes.push(`${losses.clamped} constant values beyond ±65504 clamped`);
  if (losses.flushed > 0) notes.push(`${losses.flushed} constant values below 2^-25 in magnitude became 0`);
  notes.push('onnxruntime CPU has float16 kernels for a subset of ops only; the speed-up of float16 is mainly on GPUs');

  const out = encodeModel(model);
  return {
    bytes: out,
    report: {
      pass: 'fp16',
      settings: { blockList: [...blocked], keepIoTypes },
      sizeBefore: bytes.byteLength,
      sizeAfter: out.byteLength,
      changedNodes,
      skippedNodes,
      notes,
    },
  };
}
