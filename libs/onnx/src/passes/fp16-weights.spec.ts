import * as ort from 'onnxruntime-node';
import { decodeModel } from '../model-codec';
import { TENSOR_DATA_TYPE } from '../onnx-types';
import { mulberry32, uniformFloat32 } from '../prng';
import { buildMlp, MLP_LARGE, MLP_SMALL } from '../models/mlp';
import { convertFp16Weights, float16BitsToFloat32, float32ToFloat16Bits } from './fp16-weights';
import { PassSettingsError } from './pass';

async function run(bytes: Uint8Array, data: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const outputs = await session.run({ input: new ort.Tensor('float32', data, dims) });
    return outputs.output!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('float32ToFloat16Bits', () => {
  it('round-trips every finite float16 value and infinities', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const exponent = (bits >> 10) & 0x1f;
      if (exponent === 0x1f && (bits & 0x3ff) !== 0) continue; // NaN payloads
      expect(float32ToFloat16Bits(float16BitsToFloat32(bits))).toBe(bits);
    }
  });

  it('rounds halfway cases to even and just-above-halfway up', () => {
    for (let bits = 0; bits < 0x7bff; bits++) {
      const low = float16BitsToFloat32(bits);
      const high = float16BitsToFloat32(bits + 1);
      const middle = (low + high) / 2; // exact in float32: float16 has 13 fewer mantissa bits
      expect(float32ToFloat16Bits(middle)).toBe(bits % 2 === 0 ? bits : bits + 1);
      const above = middle + (high - low) / 64;
      expect(float32ToFloat16Bits(above)).toBe(bits + 1);
    }
  });

  it('clamps finite values beyond ±65504 instead of overflowing, keeps NaN', () => {
    expect(float32ToFloat16Bits(65520)).toBe(0x7bff);
    expect(float32ToFloat16Bits(1e9)).toBe(0x7bff);
    expect(float32ToFloat16Bits(-70000)).toBe(0xfbff);
    expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0); // tie with the smallest subnormal: even is 0
    expect(float32ToFloat16Bits(2 ** -25 * 1.01)).toBe(1);
  });
});

describe('convertFp16Weights', () => {
  it('halves MLP-large and keeps its outputs within 1e-2 of their range', async () => {
    const mlp = buildMlp(MLP_LARGE);
    const { bytes, report } = convertFp16Weights(mlp.bytes);
    const ratio = mlp.bytes.byteLength / bytes.byteLength;
    console.log(`fp16-weights MLP-large: ${mlp.bytes.byteLength} → ${bytes.byteLength} bytes (${ratio.toFixed(3)}×)`);
    expect(ratio).toBeGreaterThanOrEqual(1.9);
    expect(report).toMatchObject({
      pass: 'fp16-weights',
      sizeBefore: mlp.bytes.byteLength,
      sizeAfter: bytes.byteLength,
    });

    const model = decodeModel(bytes);
    const weights = model.graph!.initializer!.filter((t) => t.name!.endsWith('weight_fp16'));
    expect(weights).toHaveLength(4);
    expect(weights.every((t) => t.dataType === TENSOR_DATA_TYPE.FLOAT16)).toBe(true);
    // 4 weights and 3 biases; layer3.bias has 10 elements, under the default minElements of 16
    expect(model.graph!.node!.filter((n) => n.opType === 'Cast')).toHaveLength(7);

    const batch = 8;
    const input = uniformFloat32(mulberry32(7), batch * MLP_LARGE.inputSize, 1);
    const expected = await run(mlp.bytes, input, [batch, MLP_LARGE.inputSize]);
    const actual = await run(bytes, input, [batch, MLP_LARGE.inputSize]);
    const range = Math.max(...expected) - Math.min(...expected);
    const maxAbs = Math.max(...expected.map((value, i) => Math.abs(value - actual[i]!)));
    console.log(`fp16-weights MLP-large: max abs error ${maxAbs.toExponential(3)}, output range ${range.toFixed(3)}`);
    expect(maxAbs).toBeLessThanOrEqual(1e-2 * range);
    expect(maxAbs).toBeGreaterThan(0); // the weights really changed
  });

  it('keeps initializers under minElements in float32', () => {
    const mlp = buildMlp(MLP_SMALL);
    const model = decodeModel(convertFp16Weights(mlp.bytes, { minElements: 100 }).bytes);
    const byName = new Map(model.graph!.initializer!.map((t) => [t.name!, t.dataType]));
    expect(byName.get('layer0.bias')).toBe(TENSOR_DATA_TYPE.FLOAT); // 64 elements
    expect(byName.get('layer0.weight_fp16')).toBe(TENSOR_DATA_TYPE.FLOAT16);
  });

  it('rejects a negative minElements with PassSettingsError', () => {
    expect(() => convertFp16Weights(buildMlp(MLP_SMALL).bytes, { minElements: -1 })).toThrow(PassSettingsError);
  });
});
