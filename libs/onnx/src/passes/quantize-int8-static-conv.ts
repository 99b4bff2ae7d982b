import * as ort from 'onnxruntime-node';
import { createTensor } from '../graph-builder';
import { decodeModel, encodeModel } from '../model-codec';
import { TENSOR_DATA_TYPE } from '../onnx-types';
import type { GraphProto, NodeProto, TensorProto } from '../onnx-types';
import { PassSettingsError } from './pass';
import type { PassReport, PassResult } from './pass';
import { collectNames, collectUses, isDefaultDomain, quantizeWeight, readFloats, uniqueName } from './quantize-int8';
import { toOrtTensor } from './validate';
import type { ValidationTensor } from './validate';

/** Settings of {@link quantizeInt8StaticConv}. */
export interface QuantizeInt8StaticConvSettings {
  /**
   * Batches of model inputs (input name → tensor) whose activation ranges fix the scales. They
   * should look like what the model will serve: values outside the calibrated ranges saturate.
   * A tensor may be an onnxruntime tensor or a {@link ValidationTensor} (as a job's validation
   * dataset or `generateInputs` gives them).
   */
  calibration: readonly Record<string, ort.Tensor | ValidationTensor>[];
  /** One weight scale per output feature map instead of one per tensor. @default true */
  perChannel?: boolean;
  /** Conv weights with fewer elements than this stay float32. @default 0 */
  minElements?: number;
}

const PASS_NAME = 'quantize-int8-static-conv';
const SETTING_KEYS = new Set(['calibration', 'perChannel', 'minElements']);
/** QLinearConv appeared in opset 10. */
const MIN_OPSET = 10;
const UINT8_MAX = 255;

interface Resolved {
  calibration: readonly Record<string, ort.Tensor>[];
  perChannel: boolean;
  minElements: number;
}

function resolveSettings(settings: unknown): Resolved {
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
  const { calibration, perChannel = true, minElements = 0 } = given;
  const isTensor = (tensor: unknown): boolean =>
    tensor instanceof ort.Tensor ||
    (typeof tensor === 'object' &&
      tensor !== null &&
      typeof (tensor as ValidationTensor).datatype === 'string' &&
      Array.isArray((tensor as ValidationTensor).shape) &&
      typeof (tensor as ValidationTensor).data === 'object');
  const isFeeds = (value: unknown): boolean =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isTensor);
  if (!Array.isArray(calibration) || calibration.length === 0 || !calibration.every(isFeeds)) {
    problems.push(
      'calibration: expected a non-empty array of { inputName: ort.Tensor | { datatype, shape, data } } batches',
    );
  }
  if (typeof perChannel !== 'boolean')
    problems.push(`perChannel: expected a boolean, got ${JSON.stringify(perChannel)}`);
  if (typeof minElements !== 'number' || !Number.isSafeInteger(minElements) || minElements < 0) {
    problems.push(`minElements: expected a non-negative integer, got ${JSON.stringify(minElements)}`);
  }
  if (problems.length > 0) throw new PassSettingsError(`${PASS_NAME}: ${problems.join('; ')}`);
  const feeds = (calibration as QuantizeInt8StaticConvSettings['calibration']).map((batch, index) =>
    Object.fromEntries(
      Object.entries(batch).map(([name, tensor]) => {
        if (tensor instanceof ort.Tensor) return [name, tensor];
        try {
          return [name, toOrtTensor(name, tensor as ValidationTensor)];
        } catch (err) {
          throw new PassSettingsError(`${PASS_NAME}: calibration[${index}]: ${(err as Error).message}`);
        }
      }),
    ),
  );
  return {
    calibration: feeds,
    perChannel: perChannel as boolean,
    minElements: minElements as number,
  };
}

interface ConvCandidate {
  node: NodeProto;
  label: string;
  input: string;
  weight: string;
  bias?: string;
  /** The Relu folded into the QLinearConv (output zero point 0 clamps negatives), if any. */
  relu?: NodeProto;
  /** The float tensor the rewritten node stands for: the Relu's output when fused, else the Conv's. */
  output: string;
}

/** Per-tensor uint8 quantization of an activation: `x ≈ (q − zeroPoint) · scale`. */
interface ActivationParams {
  scale: number;
  zeroPoint: number;
  scaleName: string;
  zeroPointName: string;
}

/**
 * Static int8 quantization of 2-D Conv: each Conv whose weight is a float32 initializer becomes an
 * onnxruntime `QLinearConv` (uint8 activations with per-tensor scales measured on `calibration`,
 * int8 symmetric weights in [-63, 63], per output channel by default, int32 bias), and a Relu that is the
 * Conv's only reader is folded in (output zero point 0). Consecutive quantized Convs pass uint8
 * tensors straight to each other; `QuantizeLinear`/`DequantizeLinear` appear only where float
 * operators read or feed them. MatMul and Gemm are left alone: run {@link quantizeInt8} after this
 * pass for them.
 *
 * Why static: `QLinearConv` needs the output's scale before it runs, which dynamic quantization
 * (scales measured per request by DynamicQuantizeLinear) cannot give; the dynamic alternative,
 * `ConvInteger`, runs several times slower than float Conv on onnxruntime CPU. The price is that
 * activations outside the calibrated ranges saturate, so calibrate on inputs like the served ones.
 *
 * @throws PassSettingsError when the settings are invalid or onnxruntime cannot run the model on a
 *   calibration batch (never worth retrying)
 * @throws OnnxFormatError when the bytes are not an ONNX model
 */
export async function quantizeInt8StaticConv(
  bytes: Uint8Array,
  settings: QuantizeInt8StaticConvSettings,
): Promise<PassResult> {
  const resolved = resolveSettings(settings);
  const model = decodeModel(bytes);
  const graph: GraphProto = model.graph ?? {};
  const nodes = graph.node ?? [];
  const report: PassReport = {
    pass: PASS_NAME,
    settings: {
      perChannel: resolved.perChannel,
      minElements: resolved.minElements,
      calibrationBatches: resolved.calibration.length,
    },
    sizeBefore: bytes.length,
    sizeAfter: bytes.length,
    changedNodes: [],
    skippedNodes: [],
    notes: [],
  };

  const onnxOpset = Number(
    model.opsetImport?.find((opset) => (opset.domain ?? '') === '' || opset.domain === 'ai.onnx')?.version ?? 0,
  );
  const initializers = new Map((graph.initializer ?? []).map((tensor) => [tensor.name ?? '', tensor]));
  const graphInputs = new Set((graph.input ?? []).map((input) => input.name ?? ''));
  const graphOutputs = new Set((graph.output ?? []).map((output) => output.name ?? ''));
  const readers = new Map<string, NodeProto[]>();
  for (const node of nodes)
    for (const name of node.input ?? []) readers.set(name, [...(readers.get(name) ?? []), node]);

  // 1. Candidates.
  const candidates: ConvCandidate[] = [];
  nodes.forEach((node, index) => {
    if (node.opType !== 'Conv' || !isDefaultDomain(node.domain)) return;
    const label = node.name !== undefined && node.name !== '' ? node.name : `Conv_${index}`;
    const reason = convProblem(node, onnxOpset, initializers, graphInputs, resolved.minElements);
    if (reason !== undefined) {
      report.skippedNodes.push({ name: label, opType: 'Conv', reason });
      return;
    }
    const [input = '', weight = '', bias = ''] = node.input ?? [];
    const output = node.output?.[0] ?? '';
    const next = readers.get(output);
    const relu =
      next?.length === 1 && next[0]?.opType === 'Relu' && isDefaultDomain(next[0].domain) && !graphOutputs.has(output)
        ? next[0]
        : undefined;
    candidates.push({
      node,
      label,
      input,
      weight,
      ...(bias === '' ? {} : { bias }),
      ...(relu === undefined ? {} : { relu }),
      output: relu?.output?.[0] ?? output,
    });
  });
  if (candidates.length === 0) {
    report.notes.push('no Conv was quantized; the model is returned unchanged');
    return { bytes, report };
  }

  // 2. Calibration: the range of every Conv input and (Relu) output over all batches.
  const observed = [...new Set(candidates.flatMap((candidate) => [candidate.input, candidate.output]))];
  const ranges = await calibrate(bytes, observed, resolved.calibration);

  // 3. Rewrite.
  const names = collectNames(graph);
  const newInitializers: TensorProto[] = [];
  const add = (tensor: TensorProto): string => {
    newInitializers.push(tensor);
    return tensor.name ?? '';
  };
  const params = new Map<string, ActivationParams>();
  const paramsOf = (tensor: string): ActivationParams => {
    let found = params.get(tensor);
    if (found === undefined) {
      const [min, max] = ranges.get(tensor) as [number, number];
      // The range must hold 0 exactly (zero padding, Relu); a constant-zero tensor gets scale 1.
      const low = Math.min(0, min);
      const high = Math.max(0, max);
      const scale = high > low ? (high - low) / UINT8_MAX : 1;
      const zeroPoint = Math.max(0, Math.min(UINT8_MAX, Math.round(-low / scale)));
      found = {
        scale,
        zeroPoint,
        scaleName: add(createTensor(uniqueName(names, `${tensor}_scale`), new Float32Array([scale]), [])),
        zeroPointName: add(createTensor(uniqueName(names, `${tensor}_zero_point`), new Uint8Array([zeroPoint]), [])),
      };
      params.set(tensor, found);
    }
    return found;
  };
  const quantizedTensor = new Map<string, string>();
  const byNode = new Map(candidates.map((candidate) => [candidate.node, candidate]));
  const fusedRelus = new Set(candidates.flatMap((candidate) => (candidate.relu === undefined ? [] : [candidate.relu])));
  const emittedDequantize = new Set<NodeProto>();
  const replaced = new Set<string>();
  const newNodes: NodeProto[] = [];

  for (const node of nodes) {
    if (fusedRelus.has(node)) continue;
    const candidate = byNode.get(node);
    if (candidate === undefined) {
      newNodes.push(node);
      continue;
    }
    const x = paramsOf(candidate.input);
    let xq = quantizedTensor.get(candidate.input);
    if (xq === undefined) {
      xq = uniqueName(names, `${candidate.input}_quantized`);
      newNodes.push({
        name: uniqueName(names, `${candidate.input}_QuantizeLinear`),
        opType: 'QuantizeLinear',
        input: [candidate.input, x.scaleName, x.zeroPointName],
        output: [xq],
      });
      quantizedTensor.set(candidate.input, xq);
    }
    const weight = quantizeWeight(
      initializers.get(candidate.weight) as TensorProto,
      'Conv',
      false,
      resolved.perChannel,
    );
    const channelDims = resolved.perChannel ? [weight.scales.length] : [];
    const inputs = [
      xq,
      x.scaleName,
      x.zeroPointName,
      add(createTensor(uniqueName(names, `${candidate.weight}_quantized`), weight.data, weight.dims)),
      add(createTensor(uniqueName(names, `${candidate.weight}_scale`), weight.scales, channelDims)),
      add(
        createTensor(
          uniqueName(names, `${candidate.weight}_zero_point`),
          new Int8Array(weight.scales.length),
          channelDims,
        ),
      ),
    ];
    replaced.add(candidate.weight);
    const y = paramsOf(candidate.output);
    inputs.push(y.scaleName, y.zeroPointName);
    if (candidate.bias !== undefined) {
      // The int32 bias shares the accumulator's scale: x scale × weight scale of its channel.
      const bias = readFloats(initializers.get(candidate.bias) as TensorProto) as Float32Array;
      const channels = weight.dims[0] as number;
      const quantizedBias = new Int32Array(channels);
      for (let m = 0; m < channels; m++) {
        const scale = x.scale * (weight.scales[resolved.perChannel ? m : 0] as number);
        quantizedBias[m] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round((bias[m] as number) / scale)));
      }
      inputs.push(add(createTensor(uniqueName(names, `${candidate.bias}_quantized`), quantizedBias, [channels])));
      replaced.add(candidate.bias);
    }
    const yq = uniqueName(names, `${candidate.output}_quantized`);
    newNodes.push({
      name: uniqueName(names, `${candidate.label}_QLinearConv`),
      opType: 'QLinearConv',
      input: inputs,
      output: [yq],
      ...(candidate.node.attribute === undefined ? {} : { attribute: candidate.node.attribute }),
    });
    quantizedTensor.set(candidate.output, yq);
    const dequantize: NodeProto = {
      name: uniqueName(names, `${candidate.output}_DequantizeLinear`),
      opType: 'DequantizeLinear',
      input: [yq, y.scaleName, y.zeroPointName],
      output: [candidate.output],
    };
    newNodes.push(dequantize);
    emittedDequantize.add(dequantize);
    report.changedNodes.push(candidate.label);
  }

  // A DequantizeLinear whose float output only quantized Convs read (they take the uint8 tensor) goes.
  graph.node = newNodes;
  const read = collectUses(graph);
  graph.node = newNodes.filter((node) => !emittedDequantize.has(node) || read.has(node.output?.[0] ?? ''));
  const stillRead = collectUses(graph);
  graph.initializer = [
    ...(graph.initializer ?? []).filter(
      (tensor) => !replaced.has(tensor.name ?? '') || stillRead.has(tensor.name ?? ''),
    ),
    ...newInitializers,
  ];
  model.graph = graph;

  const out = encodeModel(model);
  report.sizeAfter = out.length;
  const rows = resolved.calibration.reduce((sum, feeds) => sum + (Object.values(feeds)[0]?.dims[0] ?? 0), 0);
  report.notes.push(
    `${report.changedNodes.length} of ${report.changedNodes.length + report.skippedNodes.length} Conv node(s) quantized to QLinearConv` +
      (fusedRelus.size > 0 ? `, ${fusedRelus.size} Relu(s) folded in` : ''),
    `activations uint8 per tensor with static scales from ${resolved.calibration.length} calibration batch(es) (${rows} rows); ` +
      'values outside the calibrated ranges saturate',
    `weights int8 symmetric in [-63, 63] (zero point 0) ${resolved.perChannel ? 'per output channel' : 'per tensor'}; biases int32`,
  );
  return { bytes: out, report };
}

function convProblem(
  node: NodeProto,
  onnxOpset: number,
  initializers: ReadonlyMap<string, TensorProto>,
  graphInputs: ReadonlySet<string>,
  minElements: number,
): string | undefined {
  if (onnxOpset < MIN_OPSET)
    return `the model's ai.onnx opset is ${onnxOpset}; QLinearConv needs ${MIN_OPSET} or later`;
  const [input = '', weightName = '', biasName = ''] = node.input ?? [];
  if (input === '') return 'it has no input X';
  const weight = initializers.get(weightName);
  if (weight === undefined) return `its weight (input W) "${weightName}" is not an initializer`;
  if (graphInputs.has(weightName))
    return `its weight "${weightName}" is also a graph input, so it can be replaced at run time`;
  if (weight.dataType !== TENSOR_DATA_TYPE.FLOAT || readFloats(weight) === undefined)
    return `its weight "${weightName}" is not a float32 tensor stored in the model`;
  const dims = (weight.dims ?? []).map(Number);
  if (dims.length !== 4)
    return `its weight "${weightName}" has shape [${dims.join(', ')}]; only 2-D Conv (rank-4 W) is handled`;
  const elements = dims.reduce((count, dim) => count * dim, 1);
  if (elements < minElements)
    return `its weight "${weightName}" has ${elements} elements, fewer than minElements (${minElements})`;
  if (biasName !== '') {
    const bias = initializers.get(biasName);
    if (
      bias === undefined ||
      graphInputs.has(biasName) ||
      bias.dataType !== TENSOR_DATA_TYPE.FLOAT ||
      readFloats(bias) === undefined
    )
      return `its bias "${biasName}" is not a float32 initializer`;
  }
  return undefined;
}

/** Runs the model on every calibration batch and returns [min, max] of each observed tensor. */
async function calibrate(
  bytes: Uint8Array,
  observed: readonly string[],
  calibration: Resolved['calibration'],
): Promise<Map<string, [number, number]>> {
  const model = decodeModel(bytes);
  const graph = model.graph ?? {};
  const outputs = new Set((graph.output ?? []).map((output) => output.name ?? ''));
  graph.output = [
    ...(graph.output ?? []),
    ...observed
      .filter((name) => !outputs.has(name))
      .map((name) => ({ name, type: { tensorType: { elemType: TENSOR_DATA_TYPE.FLOAT } } })),
  ];
  model.graph = graph;
  const ranges = new Map<string, [number, number]>(observed.map((name) => [name, [Infinity, -Infinity]]));
  const session = await ort.InferenceSession.create(encodeModel(model));
  try {
    for (const [index, feeds] of calibration.entries()) {
      let results: ort.InferenceSession.OnnxValueMapType;
      try {
        results = await session.run(feeds, [...observed]);
      } catch (err) {
        throw new PassSettingsError(
          `${PASS_NAME}: calibration[${index}]: onnxruntime could not run the model on it (${(err as Error).message}); ` +
            `expected the model's inputs ${session.inputNames.join(', ')}`,
        );
      }
      for (const name of observed) {
        const range = ranges.get(name) as [number, number];
        for (const value of (results[name] as ort.Tensor).data as Float32Array) {
          if (value < range[0]) range[0] = value;
          if (value > range[1]) range[1] = value;
        }
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}
