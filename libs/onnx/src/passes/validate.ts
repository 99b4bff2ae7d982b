import * as ort from 'onnxruntime-node';
import { datatypeToOrtType } from '../datatypes';
import type { Datatype } from '../datatypes';
import { inspectModel } from '../inspect-model';
import type { ModelSignature, TensorSignature } from '../inspect-model';
import { mulberry32 } from '../prng';
import { float32ToFloat16Bits } from './fp16-weights';
import { PassSettingsError } from './pass';

/** One input tensor of a validation sample, as a user dataset gives it. */
export interface ValidationTensor {
  datatype: Datatype;
  shape: readonly number[];
  /** Row-major elements: numbers (bigints for 64-bit ints), booleans or strings. */
  data: ArrayLike<number | bigint | boolean | string>;
}

/** A feed: one tensor per input name. */
export type ValidationSample = Record<string, ValidationTensor>;

/** Thresholds a candidate must meet on every output; an absent one is not checked. */
export interface ValidationThresholds {
  /** Largest allowed |source − candidate| over all elements. */
  maxAbsError?: number;
  /** Largest allowed Σ|source − candidate| / Σ|source| (relative L1 error). */
  meanRelError?: number;
  /** Smallest allowed cosine similarity of the flattened outputs. */
  minCosine?: number;
  /** Smallest allowed share of rows with the same arg-max, for classifier outputs. */
  minTop1Agreement?: number;
}

/** Options of {@link validateCandidate}. */
export interface ValidateOptions {
  /** A user dataset: the samples both models are run on. When given, nothing is generated. */
  inputs?: readonly ValidationSample[];
  /** Samples generated from the source's signature when no dataset is given. @default 4 */
  samples?: number;
  /** Rows per generated sample, used for the first symbolic dimension (others are 1). @default 8 */
  batchSize?: number;
  /** Seed of generated inputs. @default 1234 */
  seed?: number;
  thresholds: ValidationThresholds;
}

/** How far a candidate's output is from the source's, over all samples. */
export interface OutputMetrics {
  maxAbsError: number;
  /** Σ|source − candidate| / Σ|source| (0 when both are all zeros). */
  meanRelError: number;
  /** Cosine similarity of the flattened outputs (1 when both are all zeros). */
  cosine: number;
  /** Share of rows with the same arg-max; only for [batch, classes > 1] float outputs. */
  top1Agreement?: number;
  /** Share of elements that differ, for string outputs (which have no numeric distance). */
  mismatchRate?: number;
}

/** The outcome of {@link validateCandidate}. */
export interface ValidationResult {
  passed: boolean;
  metrics: Record<string, OutputMetrics>;
  /** Each failure names the output, the metric, its value and the threshold. */
  failures: string[];
}

/** What {@link validateCandidate} generates when it is given no inputs. */
export const GENERATED_INPUT_DEFAULTS = Object.freeze({ samples: 4, batchSize: 8, seed: 1234 });
const DEFAULT_SAMPLES = GENERATED_INPUT_DEFAULTS.samples;
const DEFAULT_BATCH = GENERATED_INPUT_DEFAULTS.batchSize;
const DEFAULT_SEED = GENERATED_INPUT_DEFAULTS.seed;

/**
 * Generated inputs for a model signature: the first symbolic dimension of each input is
 * `batchSize`, other symbolic ones are 1. Floats are uniform in [-1, 1), integers in [0, 10)
 * (small enough to be valid indices for most Gather/Embedding tables of size ≥ 10), booleans
 * fair coins, strings short words. The same seed gives the same values.
 */
export function generateInputs(
  signature: ModelSignature,
  options: { batchSize?: number; seed?: number } = {},
): ValidationSample {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const random = mulberry32(options.seed ?? DEFAULT_SEED);
  const sample: ValidationSample = {};
  for (const input of signature.inputs) {
    const shape = input.shape.map((dim, i) => (typeof dim === 'number' ? dim : i === 0 ? batchSize : 1));
    const count = shape.reduce((a, b) => a * b, 1);
    sample[input.name] = { datatype: input.datatype, shape, data: randomData(input.datatype, count, random) };
  }
  return sample;
}

function randomData(datatype: Datatype, count: number, random: () => number): ValidationTensor['data'] {
  const ints = (low: number, high: number): number[] =>
    Array.from({ length: count }, () => low + Math.floor(random() * (high - low)));
  switch (datatype) {
    case 'FP16':
    case 'FP32':
    case 'FP64':
    case 'BF16':
      return Array.from({ length: count }, () => random() * 2 - 1);
    case 'BOOL':
      return Array.from({ length: count }, () => random() < 0.5);
    case 'BYTES':
      return Array.from({ length: count }, () => `w${Math.floor(random() * 100)}`);
    case 'INT64':
    case 'UINT64':
      return ints(0, 10).map(BigInt);
    default:
      return ints(0, 10);
  }
}

/** An onnxruntime tensor from a {@link ValidationTensor}. */
export function toOrtTensor(name: string, tensor: ValidationTensor): ort.Tensor {
  const type = datatypeToOrtType(tensor.datatype);
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new Error(
      `input "${name}": shape [${tensor.shape.join(',')}] needs ${count} elements, got ${tensor.data.length}`,
    );
  }
  const items = Array.from(tensor.data);
  const dims = [...tensor.shape];
  switch (type) {
    case undefined:
      throw new Error(`input "${name}": ${tensor.datatype} cannot be fed to onnxruntime`);
    case 'string':
      return new ort.Tensor('string', items.map(String), dims);
    case 'bool':
      return new ort.Tensor(
        'bool',
        Uint8Array.from(items, (v) => (v === true || Number(v) !== 0 ? 1 : 0)),
        dims,
      );
    case 'int64':
      return new ort.Tensor(
        'int64',
        BigInt64Array.from(items, (v) => BigInt(v as number | bigint)),
        dims,
      );
    case 'uint64':
      return new ort.Tensor(
        'uint64',
        BigUint64Array.from(items, (v) => BigInt(v as number | bigint)),
        dims,
      );
    case 'float16':
      return new ort.Tensor(
        'float16',
        Uint16Array.from(items, (v) => float32ToFloat16Bits(Number(v))),
        dims,
      );
    default: {
      const arrays = {
        float32: Float32Array,
        float64: Float64Array,
        int8: Int8Array,
        uint8: Uint8Array,
        int16: Int16Array,
        uint16: Uint16Array,
        int32: Int32Array,
        uint32: Uint32Array,
      } as const;
      const numbers = items.map(Number);
      return new ort.Tensor(type, arrays[type].from(numbers), dims);
    }
  }
}

function sameSignature(source: TensorSignature[], candidate: TensorSignature[], role: string): string[] {
  const failures: string[] = [];
  for (const expected of source) {
    const found = candidate.find((item) => item.name === expected.name);
    if (found === undefined) failures.push(`${role} "${expected.name}": missing from the candidate`);
    else if (found.datatype !== expected.datatype) {
      failures.push(`${role} "${expected.name}": expected ${expected.datatype}, candidate has ${found.datatype}`);
    }
  }
  if (role === 'input') {
    for (const extra of candidate.filter((item) => !source.some((s) => s.name === item.name))) {
      failures.push(`input "${extra.name}": the candidate needs an input the source does not have`);
    }
  }
  return failures;
}

function checkOptions(options: ValidateOptions): void {
  const { samples, batchSize, thresholds } = options;
  if (samples !== undefined && (!Number.isSafeInteger(samples) || samples < 1)) {
    throw new PassSettingsError(`validate: samples must be a positive integer, got ${samples}`);
  }
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
    throw new PassSettingsError(`validate: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (typeof thresholds !== 'object' || thresholds === null) {
    throw new PassSettingsError('validate: thresholds must be an object');
  }
  for (const [key, value] of Object.entries(thresholds)) {
    if (!['maxAbsError', 'meanRelError', 'minCosine', 'minTop1Agreement'].includes(key)) {
      throw new PassSettingsError(`validate: unknown threshold "${key}"`);
    }
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new PassSettingsError(`validate: threshold ${key} must be a non-negative number, got ${String(value)}`);
    }
  }
  if (options.inputs !== undefined && options.inputs.length === 0) {
    throw new PassSettingsError('validate: the dataset has no samples');
  }
}

interface Accumulator {
  maxAbs: number;
  absDiff: number;
  absSource: number;
  dot: number;
  normSource: number;
  normCandidate: number;
  rows: number;
  agreeingRows: number;
  classifier: boolean;
  strings: number;
  mismatches: number;
}

function accumulate(acc: Accumulator, source: ort.Tensor, candidate: ort.Tensor): void {
  if (source.type === 'string') {
    const a = source.data as string[];
    const b = candidate.data as string[];
    a.forEach((value, i) => {
      acc.strings++;
      if (value !== b[i]) acc.mismatches++;
    });
    return;
  }
  const a = Array.from(source.data as ArrayLike<number | bigint>, Number);
  const b = Array.from(candidate.data as ArrayLike<number | bigint>, Number);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const diff = Math.abs(x - y);
    acc.maxAbs = Math.max(acc.maxAbs, Number.isNaN(diff) ? Infinity : diff);
    acc.absDiff += diff;
    acc.absSource += Math.abs(x);
    acc.dot += x * y;
    acc.normSource += x * x;
    acc.normCandidate += y * y;
  }
  const dims = source.dims;
  const classes = dims[1] ?? 0;
  if (
    dims.length === 2 &&
    classes > 1 &&
    (source.type === 'float32' || source.type === 'float16' || source.type === 'float64')
  ) {
    acc.classifier = true;
    for (let row = 0; row < (dims[0] ?? 0); row++) {
      acc.rows++;
      if (argMax(a, row * classes, classes) === argMax(b, row * classes, classes)) acc.agreeingRows++;
    }
  }
}

function argMax(values: number[], start: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if ((values[start + i] as number) > (values[start + best] as number)) best = i;
  return best;
}

function metricsOf(acc: Accumulator): OutputMetrics {
  const metrics: OutputMetrics = {
    maxAbsError: acc.maxAbs,
    meanRelError: acc.absSource === 0 ? (acc.absDiff === 0 ? 0 : Infinity) : acc.absDiff / acc.absSource,
    cosine:
      acc.normSource === 0 && acc.normCandidate === 0
        ? 1
        : acc.normSource === 0 || acc.normCandidate === 0
          ? 0
          : acc.dot / Math.sqrt(acc.normSource * acc.normCandidate),
  };
  if (Number.isNaN(metrics.cosine)) metrics.cosine = 0;
  if (acc.classifier) metrics.top1Agreement = acc.rows === 0 ? 1 : acc.agreeingRows / acc.rows;
  if (acc.strings > 0) metrics.mismatchRate = acc.mismatches / acc.strings;
  return metrics;
}

function fmt(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(4)).toString() : String(value);
}

/**
 * Runs the source and the candidate model in onnxruntime-node on the same inputs (a user dataset,
 * or samples generated from the source's signature) and compares every source output.
 * Problems with the candidate (it fails to load or run, its signature differs, an output's shape
 * differs) are failures, not exceptions, so a job can report them.
 *
 * @throws PassSettingsError for invalid options (unknown threshold, negative value, empty dataset)
 */
export async function validateCandidate(
  sourceBytes: Uint8Array,
  candidateBytes: Uint8Array,
  options: ValidateOptions,
): Promise<ValidationResult> {
  checkOptions(options);
  const failures: string[] = [];
  const metrics: Record<string, OutputMetrics> = {};
  const fail = (message: string): ValidationResult => ({ passed: false, metrics, failures: [...failures, message] });

  const sourceSignature = inspectModel(sourceBytes);
  let candidateSignature: ModelSignature;
  try {
    candidateSignature = inspectModel(candidateBytes);
  } catch (error) {
    return fail(`candidate: not a valid ONNX model: ${(error as Error).message}`);
  }
  failures.push(
    ...sameSignature(sourceSignature.inputs, candidateSignature.inputs, 'input'),
    ...sameSignature(sourceSignature.outputs, candidateSignature.outputs, 'output'),
  );
  if (failures.length > 0) return { passed: false, metrics, failures };

  const samples =
    options.inputs ??
    Array.from({ length: options.samples ?? DEFAULT_SAMPLES }, (_, i) =>
      generateInputs(sourceSignature, { batchSize: options.batchSize, seed: (options.seed ?? DEFAULT_SEED) + i }),
    );

  let source: ort.InferenceSession | undefined;
  let candidate: ort.InferenceSession | undefined;
  try {
    source = await ort.InferenceSession.create(sourceBytes);
    try {
      candidate = await ort.InferenceSession.create(candidateBytes);
    } catch (error) {
      return fail(`candidate: onnxruntime cannot load it: ${(error as Error).message}`);
    }
    const outputNames = sourceSignature.outputs.map((output) => output.name);
    const accumulators = new Map<string, Accumulator>(
      outputNames.map((name) => [
        name,
        {
          maxAbs: 0,
          absDiff: 0,
          absSource: 0,
          dot: 0,
          normSource: 0,
          normCandidate: 0,
          rows: 0,
          agreeingRows: 0,
          classifier: false,
          strings: 0,
          mismatches: 0,
        },
      ]),
    );
    for (const [index, sample] of samples.entries()) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of sourceSignature.inputs) {
        const tensor = sample[input.name];
        if (tensor === undefined) return fail(`sample ${index}: input "${input.name}" is missing`);
        feeds[input.name] = toOrtTensor(input.name, tensor);
      }
      const expected = await source.run(feeds);
      let actual: ort.InferenceSession.ReturnType;
      try {
        actual = await candidate.run(feeds);
      } catch (error) {
        return fail(`candidate: failed to run sample ${index}: ${(error as Error).message}`);
      }
      for (const name of outputNames) {
        const a = expected[name];
        const b = actual[name];
        if (a === undefined || b === undefined) return fail(`output "${name}": not produced`);
        if (a.dims.join(',') !== b.dims.join(',')) {
          return fail(`output "${name}": shape [${b.dims.join(',')}] differs from the source's [${a.dims.join(',')}]`);
        }
        accumulate(accumulators.get(name) as Accumulator, a, b);
      }
    }
    const { maxAbsError, meanRelError, minCosine, minTop1Agreement } = options.thresholds;
    for (const [name, acc] of accumulators) {
      const m = metricsOf(acc);
      metrics[name] = m;
      if (m.mismatchRate !== undefined && m.mismatchRate > 0) {
        failures.push(`output "${name}": mismatchRate ${fmt(m.mismatchRate)} > 0 (strings must match exactly)`);
      }
      if (maxAbsError !== undefined && !(m.maxAbsError <= maxAbsError)) {
        failures.push(`output "${name}": maxAbsError ${fmt(m.maxAbsError)} > threshold ${maxAbsError}`);
      }
      if (meanRelError !== undefined && !(m.meanRelError <= meanRelError)) {
        failures.push(`output "${name}": meanRelError ${fmt(m.meanRelError)} > threshold ${meanRelError}`);
      }
      if (minCosine !== undefined && acc.strings === 0 && !(m.cosine >= minCosine)) {
        failures.push(`output "${name}": cosine ${fmt(m.cosine)} < threshold ${minCosine}`);
      }
      if (minTop1Agreement !== undefined && m.top1Agreement !== undefined && !(m.top1Agreement >= minTop1Agreement)) {
        failures.push(`output "${name}": top1Agreement ${fmt(m.top1Agreement)} < threshold ${minTop1Agreement}`);
      }
    }
    return { passed: failures.length === 0, metrics, failures };
  } finally {
    await candidate?.release();
    await source?.release();
  }
}
