import { attr, GraphBuilder } from '../graph-builder';
import { mulberry32, uniformFloat32 } from '../prng';
import type { BuiltModel } from './built-model';

/** Options of {@link buildCnn}. */
export interface CnnOptions {
  /** Channels of the input image. @default 3 */
  channels?: number;
  /** Image height; at least 6 so that the second (unpadded) convolution has room. @default 64 */
  height?: number;
  /** Image width; at least 6. @default 64 */
  width?: number;
  /** Number of output classes. @default 10 */
  classes?: number;
  /** Seed of the weights. @default 42 */
  seed?: number;
}

/** A weight tensor with its shape, and its bias. */
export interface CnnLayerWeights {
  /** Row-major, shaped as `dims`. */
  weight: Float32Array;
  dims: readonly number[];
  bias: Float32Array;
}

/** The weights a CNN was built with. */
export interface CnnWeights {
  /** Conv [8, channels, 3, 3], pads 1. */
  conv1: CnnLayerWeights;
  /** Conv [16, 8, 3, 3], no padding. */
  conv2: CnnLayerWeights;
  /** Gemm [classes, 16] (transB). */
  fc: CnnLayerWeights;
}

/** A CNN built by {@link buildCnn}: input `image` [batch, C, H, W] FP32, output `logits` [batch, classes] FP32. */
export interface CnnModel extends BuiltModel {
  inputName: 'image';
  outputName: 'logits';
  weights: CnnWeights;
}

const CONV1_CHANNELS = 8;
const CONV2_CHANNELS = 16;

/**
 * Builds a small image classifier with deterministic weights:
 * Conv(C→8, 3×3, pads 1) → Relu → MaxPool 2×2 → Conv(8→16, 3×3) → Relu → GlobalAveragePool →
 * Flatten → Gemm(16→classes). The batch dimension is dynamic ('batch').
 */
export function buildCnn(options: CnnOptions = {}): CnnModel {
  const { channels = 3, height = 64, width = 64, classes = 10, seed = 42 } = options;
  for (const [what, value, min] of [
    ['channels', channels, 1],
    ['height', height, 6],
    ['width', width, 6],
    ['classes', classes, 1],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`buildCnn: ${what} must be an integer of at least ${min}, got ${value}`);
    }
  }

  const random = mulberry32(seed);
  const layer = (dims: readonly number[], fanIn: number, limitScale: number): CnnLayerWeights => {
    const count = dims.reduce((a, b) => a * b, 1);
    const weight = uniformFloat32(random, count, Math.sqrt(limitScale / fanIn));
    return { weight, dims, bias: uniformFloat32(random, dims[0] as number, 0.1) };
  };
  const weights: CnnWeights = {
    conv1: layer([CONV1_CHANNELS, channels, 3, 3], channels * 9, 6),
    conv2: layer([CONV2_CHANNELS, CONV1_CHANNELS, 3, 3], CONV1_CHANNELS * 9, 6),
    fc: layer([classes, CONV2_CHANNELS], CONV2_CHANNELS, 3),
  };

  const builder = new GraphBuilder({ graphName: 'cnn' })
    .addInput('image', 'FLOAT', ['batch', channels, height, width])
    .addInitializer('conv1.weight', weights.conv1.weight, weights.conv1.dims)
    .addInitializer('conv1.bias', weights.conv1.bias, [CONV1_CHANNELS])
    .addInitializer('conv2.weight', weights.conv2.weight, weights.conv2.dims)
    .addInitializer('conv2.bias', weights.conv2.bias, [CONV2_CHANNELS])
    .addInitializer('fc.weight', weights.fc.weight, weights.fc.dims)
    .addInitializer('fc.bias', weights.fc.bias, [classes])
    .addNode('Conv', ['image', 'conv1.weight', 'conv1.bias'], ['conv1'], {
      attributes: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) },
    })
    .addNode('Relu', ['conv1'], ['relu1'])
    .addNode('MaxPool', ['relu1'], ['pool1'], {
      attributes: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) },
    })
    .addNode('Conv', ['pool1', 'conv2.weight', 'conv2.bias'], ['conv2'], {
      attributes: { kernel_shape: attr.ints([3, 3]) },
    })
    .addNode('Relu', ['conv2'], ['relu2'])
    .addNode('GlobalAveragePool', ['relu2'], ['gap'])
    .addNode('Flatten', ['gap'], ['features'], { attributes: { axis: attr.int(1) } })
    .addNode('Gemm', ['features', 'fc.weight', 'fc.bias'], ['logits'], {
      attributes: { transB: attr.int(1) },
    })
    .addOutput('logits', 'FLOAT', ['batch', classes]);

  return {
    bytes: builder.toBytes(),
    inputNames: ['image'],
    outputNames: ['logits'],
    inputName: 'image',
    outputName: 'logits',
    weights,
  };
}
