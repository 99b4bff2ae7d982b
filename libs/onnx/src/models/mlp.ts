import { GraphBuilder } from '../graph-builder';
import type { ShapeDim } from '../graph-builder';
import { mulberry32, uniformFloat32 } from '../prng';
import type { BuiltModel } from './built-model';

/** Options of {@link buildMlp}. */
export interface MlpOptions {
  /** Features per input row. */
  inputSize: number;
  /** Width of each hidden layer (MatMul + Add + Relu), in order; may be empty. */
  hiddenSizes: readonly number[];
  /** Width of the output layer (MatMul + Add, no activation). */
  outputSize: number;
  /** Seed of the weights. @default 42 */
  seed?: number;
  /** First dimension of `input` and `output`: a name makes it dynamic, a number fixes it. @default 'batch' */
  batchDim?: ShapeDim;
}

/** One dense layer: `y = x · weight + bias`, then Relu when `relu` is set. */
export interface MlpLayer {
  inputSize: number;
  outputSize: number;
  /** Row-major [inputSize, outputSize], the MatMul right-hand side. */
  weight: Float32Array;
  /** [outputSize]. */
  bias: Float32Array;
  relu: boolean;
}

/** The weights an MLP was built with, for {@link mlpReference}. */
export interface MlpWeights {
  layers: readonly MlpLayer[];
}

/** An MLP built by {@link buildMlp}: input `input` [batch, inputSize] FP32, output `output` [batch, outputSize] FP32. */
export interface MlpModel extends BuiltModel {
  inputName: 'input';
  outputName: 'output';
  weights: MlpWeights;
}

/** A small MLP: 64 → 64 → 10 (about 4.8k parameters). */
export const MLP_SMALL: Readonly<MlpOptions> = Object.freeze({
  inputSize: 64,
  hiddenSizes: Object.freeze([64]),
  outputSize: 10,
});

/** A large MLP: 1024 → 1024 → 1024 → 1024 → 10 (about 3.16M parameters, 12.6 MB of weights). */
export const MLP_LARGE: Readonly<MlpOptions> = Object.freeze({
  inputSize: 1024,
  hiddenSizes: Object.freeze([1024, 1024, 1024]),
  outputSize: 10,
});

const DEFAULT_SEED = 42;

function checkSize(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`buildMlp: ${what} must be a positive integer, got ${value}`);
}

/**
 * Builds a multi-layer perceptron with deterministic weights: the same options give the same
 * bytes. Weights are uniform with He scaling (±√(6/fan_in)) on Relu layers and ±√(3/fan_in) on
 * the last, biases ±0.1, so outputs stay of order 1 for inputs of order 1 however wide the layers.
 */
export function buildMlp(options: MlpOptions): MlpModel {
  const { inputSize, hiddenSizes, outputSize, seed = DEFAULT_SEED, batchDim = 'batch' } = options;
  checkSize('inputSize', inputSize);
  hiddenSizes.forEach((size, i) => checkSize(`hiddenSizes[${i}]`, size));
  checkSize('outputSize', outputSize);

  const random = mulberry32(seed);
  const widths = [inputSize, ...hiddenSizes, outputSize];
  const layers: MlpLayer[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const fanIn = widths[i] as number;
    const fanOut = widths[i + 1] as number;
    const relu = i + 2 < widths.length;
    const limit = Math.sqrt((relu ? 6 : 3) / fanIn);
    const weight = uniformFloat32(random, fanIn * fanOut, limit);
    const bias = uniformFloat32(random, fanOut, 0.1);
    layers.push({ inputSize: fanIn, outputSize: fanOut, weight, bias, relu });
  }

  const builder = new GraphBuilder({ graphName: 'mlp' }).addInput('input', 'FLOAT', [batchDim, inputSize]);
  let current = 'input';
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    builder
      .addInitializer(`layer${i}.weight`, layer.weight, [layer.inputSize, layer.outputSize])
      .addInitializer(`layer${i}.bias`, layer.bias, [layer.outputSize])
      .addNode('MatMul', [current, `layer${i}.weight`], [`layer${i}.matmul`])
      .addNode('Add', [`layer${i}.matmul`, `layer${i}.bias`], [last ? 'output' : `layer${i}.add`]);
    if (!last) builder.addNode('Relu', [`layer${i}.add`], [`layer${i}.relu`]);
    current = `layer${i}.relu`;
  });
  builder.addOutput('output', 'FLOAT', [batchDim, outputSize]);

  return {
    bytes: builder.toBytes(),
    inputNames: ['input'],
    outputNames: ['output'],
    inputName: 'input',
    outputName: 'output',
    weights: { layers },
  };
}

/**
 * Builds an MLP whose batch dimension is fixed at 1 (input `input` [1, 8] FP32, output `output`
 * [1, 4] FP32), for testing that servers refuse to batch requests into it.
 */
export function buildFixedBatchModel(seed = DEFAULT_SEED): MlpModel {
  return buildMlp({ inputSize: 8, hiddenSizes: [8], outputSize: 4, batchDim: 1, seed });
}

/**
 * Computes an MLP's output in plain JavaScript (float64 accumulation), to check a runtime's answers.
 *
 * @param input row-major [batch, inputSize]
 * @returns row-major [batch, outputSize]
 */
export function mlpReference(weights: MlpWeights, input: Float32Array, batch: number): Float32Array {
  const first = weights.layers[0];
  if (first === undefined) throw new RangeError('mlpReference: the MLP has no layers');
  if (input.length !== batch * first.inputSize) {
    throw new RangeError(
      `mlpReference: input [${batch}, ${first.inputSize}] needs ${batch * first.inputSize} values, got ${input.length}`,
    );
  }
  let activations: Float64Array = Float64Array.from(input);
  for (const layer of weights.layers) {
    const next = new Float64Array(batch * layer.outputSize);
    for (let row = 0; row < batch; row++) {
      const inOffset = row * layer.inputSize;
      const outOffset = row * layer.outputSize;
      for (let j = 0; j < layer.outputSize; j++) next[outOffset + j] = layer.bias[j] as number;
      for (let k = 0; k < layer.inputSize; k++) {
        const x = activations[inOffset + k] as number;
        if (x === 0) continue;
        const weightRow = k * layer.outputSize;
        for (let j = 0; j < layer.outputSize; j++) {
          next[outOffset + j] = (next[outOffset + j] as number) + x * (layer.weight[weightRow + j] as number);
        }
      }
      if (layer.relu) {
        for (let j = 0; j < layer.outputSize; j++)
          next[outOffset + j] = Math.max(0, next[outOffset + j] as number);
      }
    }
    activations = next;
  }
  return Float32Array.from(activations);
}
