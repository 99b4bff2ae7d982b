import * as ort from 'onnxruntime-node';
import { decodeModel } from '../model-codec';
import { mulberry32, uniformFloat32 } from '../prng';
import { buildConvNet, CNN_BENCH, convNetReference } from './conv-net';
import type { ConvNetOptions } from './conv-net';

async function run(bytes: Uint8Array, image: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run({ image: new ort.Tensor('float32', image, dims) });
    return result.logits!;
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Odd sizes, a stride, no padding on one layer and two hidden dense layers: every code path of the reference. */
const SMALL: ConvNetOptions = {
  channels: 2,
  height: 9,
  width: 7,
  convLayers: [
    { outChannels: 4, kernel: 3, stride: 1, pad: 1 },
    { outChannels: 5, kernel: 3, stride: 2 },
  ],
  hiddenSizes: [6, 5],
  classes: 3,
  seed: 5,
};

describe('buildConvNet', () => {
  it('matches the JavaScript reference on a small network with odd shapes', async () => {
    const model = buildConvNet(SMALL);
    const batch = 3;
    const image = uniformFloat32(mulberry32(1), batch * 2 * 9 * 7, 1);
    const logits = await run(model.bytes, image, [batch, 2, 9, 7]);
    expect(logits.dims).toEqual([batch, 3]);
    const expected = convNetReference(model, image, batch, [2, 9, 7]);
    expect(maxAbsDiff(logits.data as Float32Array, expected)).toBeLessThan(1e-5);
    // Images differ, so their logits do too (the reference is not trivially constant).
    expect(maxAbsDiff(expected.subarray(0, 3), expected.subarray(3, 6))).toBeGreaterThan(1e-3);
  });

  it('CNN_BENCH: 3 conv + 3 dense layers, 2.29M parameters, outputs matching the reference', async () => {
    const model = buildConvNet(CNN_BENCH);
    expect(model.layers.map((layer) => [layer.kind, ...layer.dims])).toEqual([
      ['conv', 32, 3, 3, 3],
      ['conv', 64, 32, 3, 3],
      ['conv', 64, 64, 3, 3],
      ['dense', 512, 4096],
      ['dense', 256, 512],
      ['dense', 10, 256],
    ]);
    expect(model.parameters).toBe(2_287_882);
    // The weights dominate the file: a few hundred bytes of graph on top of 4 bytes per parameter.
    expect(model.bytes.length).toBeGreaterThan(model.parameters * 4);
    expect(model.bytes.length).toBeLessThan(model.parameters * 4 + 4096);
    const ops = (decodeModel(model.bytes).graph?.node ?? []).map((node) => node.opType);
    expect(ops).toEqual([
      'Conv',
      'Relu',
      'Conv',
      'Relu',
      'Conv',
      'Relu',
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
      'Relu',
      'Gemm',
    ]);

    const batch = 2;
    const image = uniformFloat32(mulberry32(3), batch * 3 * 32 * 32, 1);
    const logits = await run(model.bytes, image, [batch, 3, 32, 32]);
    expect(logits.dims).toEqual([batch, 10]);
    const expected = convNetReference(model, image, batch, [3, 32, 32]);
    expect(maxAbsDiff(logits.data as Float32Array, expected)).toBeLessThan(1e-4);
    // Outputs of order 1: neither vanishing nor exploding through six layers.
    const largest = Math.max(...Array.from(expected, Math.abs));
    expect(largest).toBeGreaterThan(0.05);
    expect(largest).toBeLessThan(20);
  }, 60_000);

  it('gives identical bytes for the same seed and different bytes for another', () => {
    const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));
    expect(same(buildConvNet(SMALL).bytes, buildConvNet(SMALL).bytes)).toBe(true);
    expect(same(buildConvNet(SMALL).bytes, buildConvNet({ ...SMALL, seed: 6 }).bytes)).toBe(false);
  });

  it('rejects bad sizes and convolutions that leave no pixels, saying which', () => {
    expect(() => buildConvNet({ ...SMALL, convLayers: [] })).toThrow(/convLayers must list at least one/);
    expect(() => buildConvNet({ ...SMALL, channels: 0 })).toThrow(/channels must be an integer of at least 1, got 0/);
    expect(() => buildConvNet({ ...SMALL, hiddenSizes: [4, 2.5] })).toThrow(/hiddenSizes\[1\]/);
    expect(() => buildConvNet({ ...SMALL, convLayers: [{ outChannels: 4, kernel: 3, pad: -1 }] })).toThrow(
      /convLayers\[0\]\.pad must be an integer of at least 0, got -1/,
    );
    expect(() => buildConvNet({ ...SMALL, convLayers: [{ outChannels: 4, kernel: 11 }] })).toThrow(
      /convLayers\[0\] \(kernel 11, stride 1, pad 0\) leaves no output pixels of a 9×7 input/,
    );
  });

  it('checks the input length and layer shapes in convNetReference', () => {
    const model = buildConvNet(SMALL);
    expect(() => convNetReference(model, new Float32Array(10), 1, [2, 9, 7])).toThrow(
      /input \[1, 2, 9, 7\] needs 126 values, got 10/,
    );
    expect(() => convNetReference(model, new Float32Array(3 * 9 * 7), 1, [3, 9, 7])).toThrow(
      /a conv layer expects 2 channels, got 3/,
    );
  });
});
