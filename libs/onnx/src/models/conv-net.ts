import { attr, GraphBuilder } from '../graph-builder';
import { mulberry32, uniformFloat32 } from '../prng';
import type { BuiltModel } from './built-model';

/** One convolution of {@link buildConvNet}: a square kernel, then Relu. */
export interface ConvLayerSpec {
  /** Output feature maps. */
  outChannels: number;
  /** Kernel height and width. */
  kernel: number;
  /** @default 1 */
  stride?: number;
  /** Zero padding on every side. @default 0 */
  pad?: number;
}

/** Options of {@link buildConvNet}. */
export interface ConvNetOptions {
  /** Channels of the input image. */
  channels: number;
  height: number;
  width: number;
  /** Convolutions (each Conv + Relu), in order; at least one. */
  convLayers: readonly ConvLayerSpec[];
  /** Width of each hidden dense layer (Gemm + Relu) after Flatten, in order; may be empty. */
  hiddenSizes: readonly number[];
  /** Number of output classes (the last Gemm, no activation). */
  classes: number;
  /** Seed of the weights. @default 42 */
  seed?: number;
}

/** One layer's weights as built: Conv W [M, C, k, k] or Gemm B [out, in] (transB), and its bias. */
export interface ConvNetLayer {
  kind: 'conv' | 'dense';
  /** Row-major, shaped as `dims`. */
  weight: Float32Array;
  dims: readonly number[];
  bias: Float32Array;
  /** Conv only: stride and padding; dense layers have 1 and 0. */
  stride: number;
  pad: number;
  relu: boolean;
}

/** A network built by {@link buildConvNet}: input `image` [batch, C, H, W] FP32, output `logits` [batch, classes] FP32. */
export interface ConvNetModel extends BuiltModel {
  inputName: 'image';
  outputName: 'logits';
  /** Conv layers first, then dense layers, in graph order. */
  layers: readonly ConvNetLayer[];
  /** Number of weights and biases. */
  parameters: number;
}

/**
 * The benchmark CNN: 3×32×32 images, Conv 3→32 (3×3, pad 1), Conv 32→64 (3×3, stride 2, pad 1),
 * Conv 64→64 (3×3, stride 2, pad 1), each with Relu, Flatten (64×8×8 = 4096), Gemm 4096→512 → Relu →
 * Gemm 512→256 → Relu → Gemm 256→10: about 2.29M parameters, 9.2 MB of float32 weights, most of the
 * bytes in the dense layers and most of the arithmetic in the convolutions.
 */
export const CNN_BENCH: Readonly<ConvNetOptions> = Object.freeze({
  channels: 3,
  height: 32,
  width: 32,
  convLayers: Object.freeze([
    Object.freeze({ outChannels: 32, kernel: 3, stride: 1, pad: 1 }),
    Object.freeze({ outChannels: 64, kernel: 3, stride: 2, pad: 1 }),
    Object.freeze({ outChannels: 64, kernel: 3, stride: 2, pad: 1 }),
  ]),
  hiddenSizes: Object.freeze([512, 256]),
  classes: 10,
});

function checkInteger(what: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`buildConvNet: ${what} must be an integer of at least ${min}, got ${value}`);
  }
}

/** Output size of a convolution along one axis. */
function convOutputSize(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * Builds a feed-forward image classifier with deterministic weights (the same options give the
 * same bytes): `convLayers` × (Conv + Relu) → Flatten → `hiddenSizes` × (Gemm transB + Relu) →
 * Gemm to `classes`. Weights are uniform with He scaling (±√(6/fan_in)) before Relu, ±√(3/fan_in)
 * on the last layer, biases ±0.1, so outputs stay of order 1. The batch dimension is dynamic.
 *
 * @throws RangeError when a size is not a positive integer or a convolution leaves no output pixels
 */
export function buildConvNet(options: ConvNetOptions): ConvNetModel {
  const { channels, height, width, convLayers, hiddenSizes, classes, seed = 42 } = options;
  checkInteger('channels', channels, 1);
  checkInteger('height', height, 1);
  checkInteger('width', width, 1);
  checkInteger('classes', classes, 1);
  if (convLayers.length === 0) throw new RangeError('buildConvNet: convLayers must list at least one convolution');
  hiddenSizes.forEach((size, i) => checkInteger(`hiddenSizes[${i}]`, size, 1));

  const random = mulberry32(seed);
  const layers: ConvNetLayer[] = [];
  let [c, h, w] = [channels, height, width];
  convLayers.forEach((spec, i) => {
    const { outChannels, kernel, stride = 1, pad = 0 } = spec;
    checkInteger(`convLayers[${i}].outChannels`, outChannels, 1);
    checkInteger(`convLayers[${i}].kernel`, kernel, 1);
    checkInteger(`convLayers[${i}].stride`, stride, 1);
    checkInteger(`convLayers[${i}].pad`, pad, 0);
    const [nextH, nextW] = [convOutputSize(h, kernel, stride, pad), convOutputSize(w, kernel, stride, pad)];
    if (nextH < 1 || nextW < 1) {
      throw new RangeError(
        `buildConvNet: convLayers[${i}] (kernel ${kernel}, stride ${stride}, pad ${pad}) leaves no output pixels of a ${h}×${w} input`,
      );
    }
    const fanIn = c * kernel * kernel;
    const weight = uniformFloat32(random, outChannels * fanIn, Math.sqrt(6 / fanIn));
    const bias = uniformFloat32(random, outChannels, 0.1);
    layers.push({ kind: 'conv', weight, dims: [outChannels, c, kernel, kernel], bias, stride, pad, relu: true });
    [c, h, w] = [outChannels, nextH, nextW];
  });
  const widths = [c * h * w, ...hiddenSizes, classes];
  for (let i = 0; i + 1 < widths.length; i++) {
    const [fanIn, fanOut] = [widths[i] as number, widths[i + 1] as number];
    const relu = i + 2 < widths.length;
    const weight = uniformFloat32(random, fanIn * fanOut, Math.sqrt((relu ? 6 : 3) / fanIn));
    const bias = uniformFloat32(random, fanOut, 0.1);
    layers.push({ kind: 'dense', weight, dims: [fanOut, fanIn], bias, stride: 1, pad: 0, relu });
  }

  const builder = new GraphBuilder({ graphName: 'conv_net' }).addInput('image', 'FLOAT', [
    'batch',
    channels,
    height,
    width,
  ]);
  let current = 'image';
  let convIndex = 0;
  let denseIndex = 0;
  for (const layer of layers) {
    const last = layer === layers[layers.length - 1];
    const name = layer.kind === 'conv' ? `conv${++convIndex}` : `fc${++denseIndex}`;
    builder
      .addInitializer(`${name}.weight`, layer.weight, layer.dims)
      .addInitializer(`${name}.bias`, layer.bias, [layer.dims[0] as number]);
    if (layer.kind === 'conv') {
      const kernel = layer.dims[2] as number;
      builder.addNode('Conv', [current, `${name}.weight`, `${name}.bias`], [name], {
        name,
        attributes: {
          kernel_shape: attr.ints([kernel, kernel]),
          strides: attr.ints([layer.stride, layer.stride]),
          pads: attr.ints([layer.pad, layer.pad, layer.pad, layer.pad]),
        },
      });
    } else {
      if (denseIndex === 1) {
        builder.addNode('Flatten', [current], ['features'], { name: 'flatten', attributes: { axis: attr.int(1) } });
        current = 'features';
      }
      builder.addNode('Gemm', [current, `${name}.weight`, `${name}.bias`], [last ? 'logits' : name], {
        name,
        attributes: { transB: attr.int(1) },
      });
    }
    current = name;
    if (layer.relu) {
      builder.addNode('Relu', [name], [`${name}.relu`], { name: `${name}.relu` });
      current = `${name}.relu`;
    }
  }
  builder.addOutput('logits', 'FLOAT', ['batch', classes]);

  return {
    bytes: builder.toBytes(),
    inputNames: ['image'],
    outputNames: ['logits'],
    inputName: 'image',
    outputName: 'logits',
    layers,
    parameters: layers.reduce((sum, layer) => sum + layer.weight.length + layer.bias.length, 0),
  };
}

/**
 * Computes a {@link buildConvNet} network's logits in plain JavaScript (float64 accumulation), to
 * check a runtime's answers. Slow: meant for small images and batches.
 *
 * @param image row-major [batch, channels, height, width]
 * @returns row-major [batch, classes]
 */
export function convNetReference(
  model: Pick<ConvNetModel, 'layers'>,
  image: Float32Array,
  batch: number,
  imageShape: readonly [channels: number, height: number, width: number],
): Float32Array {
  let [c, h, w] = imageShape;
  if (image.length !== batch * c * h * w) {
    throw new RangeError(
      `convNetReference: input [${batch}, ${c}, ${h}, ${w}] needs ${batch * c * h * w} values, got ${image.length}`,
    );
  }
  let x: Float64Array = Float64Array.from(image);
  for (const layer of model.layers) {
    const outC = layer.dims[0] as number;
    if (layer.kind === 'conv') {
      const k = layer.dims[2] as number;
      if ((layer.dims[1] as number) !== c)
        throw new RangeError(`convNetReference: a conv layer expects ${layer.dims[1]} channels, got ${c}`);
      const outH = convOutputSize(h, k, layer.stride, layer.pad);
      const outW = convOutputSize(w, k, layer.stride, layer.pad);
      const y = new Float64Array(batch * outC * outH * outW);
      for (let n = 0; n < batch; n++) {
        for (let m = 0; m < outC; m++) {
          for (let oy = 0; oy < outH; oy++) {
            for (let ox = 0; ox < outW; ox++) {
              let sum = layer.bias[m] as number;
              for (let ci = 0; ci < c; ci++) {
                for (let ky = 0; ky < k; ky++) {
                  const iy = oy * layer.stride - layer.pad + ky;
                  if (iy < 0 || iy >= h) continue;
                  for (let kx = 0; kx < k; kx++) {
                    const ix = ox * layer.stride - layer.pad + kx;
                    if (ix < 0 || ix >= w) continue;
                    sum +=
                      (layer.weight[((m * c + ci) * k + ky) * k + kx] as number) *
                      (x[((n * c + ci) * h + iy) * w + ix] as number);
                  }
                }
              }
              y[((n * outC + m) * outH + oy) * outW + ox] = layer.relu ? Math.max(0, sum) : sum;
            }
          }
        }
      }
      [x, c, h, w] = [y, outC, outH, outW];
    } else {
      // Flatten is a no-op on the row-major layout: [batch, c, h, w] is already [batch, c·h·w].
      const inSize = layer.dims[1] as number;
      if (inSize !== c * h * w)
        throw new RangeError(`convNetReference: a dense layer expects ${inSize} features, got ${c * h * w}`);
      const y = new Float64Array(batch * outC);
      for (let n = 0; n < batch; n++) {
        for (let j = 0; j < outC; j++) {
          let sum = layer.bias[j] as number;
          for (let i = 0; i < inSize; i++)
            sum += (layer.weight[j * inSize + i] as number) * (x[n * inSize + i] as number);
          y[n * outC + j] = layer.relu ? Math.max(0, sum) : sum;
        }
      }
      [x, c, h, w] = [y, outC, 1, 1];
    }
  }
  return Float32Array.from(x);
}
