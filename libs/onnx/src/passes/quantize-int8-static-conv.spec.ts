import * as ort from 'onnxruntime-node';
import { attr, GraphBuilder } from '../graph-builder';
import { decodeModel } from '../model-codec';
import { buildCnn } from '../models/cnn';
import { buildConvNet, CNN_BENCH } from '../models/conv-net';
import { buildMlp, MLP_SMALL } from '../models/mlp';
import { mulberry32, uniformFloat32 } from '../prng';
import { PassSettingsError } from './pass';
import { quantizeInt8 } from './quantize-int8';
import { quantizeInt8StaticConv } from './quantize-int8-static-conv';

const imageFeeds = (dims: number[], seed: number, name = 'image'): Record<string, ort.Tensor> => ({
  [name]: new ort.Tensor(
    'float32',
    uniformFloat32(
      mulberry32(seed),
      dims.reduce((a, b) => a * b, 1),
      1,
    ),
    dims,
  ),
});

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const outputs = await session.run(feeds);
    return outputs[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(normA * normB);
}

function maxAbs(values: Float32Array): number {
  return values.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
}

const opTypesOf = (bytes: Uint8Array): string[] =>
  (decodeModel(bytes).graph?.node ?? []).map((node) => node.opType ?? '');

describe('quantizeInt8StaticConv', () => {
  it('turns the CNN_BENCH convolutions into chained QLinearConvs that stay close to the source', async () => {
    const model = buildConvNet(CNN_BENCH);
    const dims = [16, 3, 32, 32];
    const calibration = [imageFeeds(dims, 101), imageFeeds(dims, 102)];
    const { bytes, report } = await quantizeInt8StaticConv(model.bytes, { calibration });

    expect(report.changedNodes).toEqual(['conv1', 'conv2', 'conv3']);
    expect(report.skippedNodes).toEqual([]);
    expect(report.settings).toEqual({ perChannel: true, minElements: 0, calibrationBatches: 2 });
    // Relus folded in; uint8 tensors pass from one QLinearConv to the next without a round trip.
    expect(opTypesOf(bytes)).toEqual([
      'QuantizeLinear',
      'QLinearConv',
      'QLinearConv',
      'QLinearConv',
      'DequantizeLinear',
      'Flatten',
      'Gemm',
      'Relu',
      'Gemm',
      'Relu',
      'Gemm',
    ]);
    const initializers = (decodeModel(bytes).graph?.initializer ?? []).map((tensor) => tensor.name);
    expect(initializers).not.toContain('conv1.weight');
    expect(initializers).not.toContain('conv3.bias');

    // Accuracy on inputs the calibration never saw. Measured cosine 0.99995.
    const held = imageFeeds([32, 3, 32, 32], 7);
    const reference = await run(model.bytes, held);
    const output = await run(bytes, held);
    expect(cosine(reference, output)).toBeGreaterThanOrEqual(0.999);

    // With the dense layers quantized too (dynamic), the model is ≥ 3.5× smaller and still close.
    const both = quantizeInt8(bytes, { perChannel: true });
    expect(model.bytes.length / both.bytes.length).toBeGreaterThanOrEqual(3.5);
    expect(opTypesOf(both.bytes)).not.toContain('Gemm');
    expect(cosine(reference, await run(both.bytes, held))).toBeGreaterThanOrEqual(0.99);
  }, 120_000);

  it('quantizes around float operators between convolutions (MaxPool, GlobalAveragePool) in the small CNN', async () => {
    const model = buildCnn();
    const dims = [4, 3, 64, 64];
    const { bytes, report } = await quantizeInt8StaticConv(model.bytes, {
      calibration: [imageFeeds(dims, 1)],
      perChannel: false,
    });
    expect(report.changedNodes).toEqual(['Conv_0', 'Conv_3']);
    expect(opTypesOf(bytes)).toEqual([
      'QuantizeLinear',
      'QLinearConv',
      'DequantizeLinear',
      'MaxPool',
      'QuantizeLinear',
      'QLinearConv',
      'DequantizeLinear',
      'GlobalAveragePool',
      'Flatten',
      'Gemm',
    ]);
    const held = imageFeeds(dims, 2);
    expect(cosine(await run(model.bytes, held), await run(bytes, held))).toBeGreaterThanOrEqual(0.999);
  });

  it('handles a Conv without bias or Relu whose output is a graph output, with negative outputs', async () => {
    const random = mulberry32(4);
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 2, 8, 8])
      .addInitializer('w', uniformFloat32(random, 4 * 2 * 3 * 3, 0.5), [4, 2, 3, 3])
      .addNode('Conv', ['x', 'w'], ['y'], { name: 'plain', attributes: { pads: attr.ints([1, 1, 1, 1]) } })
      .addOutput('y', 'FLOAT', ['batch', 4, 8, 8])
      .toBytes();
    const { bytes: quantized, report } = await quantizeInt8StaticConv(bytes, {
      calibration: [imageFeeds([8, 2, 8, 8], 5, 'x')],
    });
    expect(report.changedNodes).toEqual(['plain']);
    expect(opTypesOf(quantized)).toEqual(['QuantizeLinear', 'QLinearConv', 'DequantizeLinear']);
    // On the calibration input itself nothing saturates, so what is left is rounding: the input
    // step (2/255) through 18 weights of up to 0.5, the weight steps and half an output step.
    const calibrated = imageFeeds([8, 2, 8, 8], 5, 'x');
    const reference = await run(bytes, calibrated);
    const output = await run(quantized, calibrated);
    expect(Math.min(...reference)).toBeLessThan(-0.5); // the asymmetric output range keeps negatives
    expect(cosine(reference, output)).toBeGreaterThanOrEqual(0.999);
    let worst = 0;
    for (let i = 0; i < output.length; i++) worst = Math.max(worst, Math.abs(output[i]! - reference[i]!));
    // Measured 0.018 of a largest |output| of 2.49 (0.7%).
    expect(worst).toBeLessThan(0.02 * maxAbs(reference));
  });

  it('saturates inputs outside the calibrated range (why calibration must match the served inputs)', async () => {
    const model = buildConvNet({ ...CNN_BENCH, hiddenSizes: [] });
    const dims = [4, 3, 32, 32];
    const calibration = imageFeeds(dims, 3);
    const small = calibration['image']!.data as Float32Array;
    for (let i = 0; i < small.length; i++) small[i] = small[i]! * 0.1; // calibrate on ±0.1
    const { bytes } = await quantizeInt8StaticConv(model.bytes, { calibration: [calibration] });
    const held = imageFeeds(dims, 4); // ±1
    expect(cosine(await run(model.bytes, held), await run(bytes, held))).toBeLessThan(0.99);
  });

  it('skips convolutions it cannot quantize, saying why, and leaves models without candidates unchanged', async () => {
    const random = mulberry32(8);
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 2, 16])
      .addInput('runtime_w', 'FLOAT', [2, 2, 3])
      .addInitializer('w1d', uniformFloat32(random, 2 * 2 * 3, 1), [2, 2, 3])
      .addNode('Conv', ['x', 'w1d'], ['a'], { name: 'one_d' })
      .addNode('Conv', ['a', 'runtime_w'], ['b'], { name: 'from_input' })
      .addOutput('b', 'FLOAT')
      .toBytes();
    const calibration = [
      {
        x: new ort.Tensor('float32', new Float32Array(32), [1, 2, 16]),
        runtime_w: new ort.Tensor('float32', new Float32Array(12), [2, 2, 3]),
      },
    ];
    const result = await quantizeInt8StaticConv(bytes, { calibration });
    expect(result.bytes).toBe(bytes);
    expect(result.report.skippedNodes).toEqual([
      {
        name: 'one_d',
        opType: 'Conv',
        reason: 'its weight "w1d" has shape [2, 2, 3]; only 2-D Conv (rank-4 W) is handled',
      },
      { name: 'from_input', opType: 'Conv', reason: 'its weight (input W) "runtime_w" is not an initializer' },
    ]);
    expect(result.report.notes).toContain('no Conv was quantized; the model is returned unchanged');

    const mlp = buildMlp(MLP_SMALL).bytes;
    const noConv = await quantizeInt8StaticConv(mlp, { calibration: [imageFeeds([1, 64], 1, 'input')] });
    expect(noConv.bytes).toBe(mlp);
  });

  it.each([
    [{}, /calibration: expected a non-empty array/],
    [{ calibration: [] }, /calibration: expected a non-empty array/],
    [{ calibration: [{ image: [1, 2] }] }, /calibration: expected a non-empty array/],
    [{ calibration: [imageFeeds([1, 3, 64, 64], 1)], perChannel: 1 }, /perChannel: expected a boolean, got 1/],
    [{ calibration: [imageFeeds([1, 3, 64, 64], 1)], minElements: -2 }, /minElements: expected a non-negative integer/],
    [{ calibration: [imageFeeds([1, 3, 64, 64], 1)], scale: 2 }, /unknown setting\(s\) "scale"/],
    [
      { calibration: [imageFeeds([1, 3, 64, 64], 1, 'pixels')] },
      /calibration\[0\]: onnxruntime could not run the model/,
    ],
    [{ calibration: [imageFeeds([1, 3, 64, 64], 1), imageFeeds([1, 3, 5, 5], 1)] }, /calibration\[1\]/],
  ])('rejects bad settings %# with PassSettingsError', async (settings, message) => {
    const attempt = quantizeInt8StaticConv(buildCnn().bytes, settings as never);
    await expect(attempt).rejects.toThrow(PassSettingsError);
    await expect(quantizeInt8StaticConv(buildCnn().bytes, settings as never)).rejects.toThrow(message);
  });

  it('takes calibration batches as plain { datatype, shape, data } tensors (a job dataset) with the same result', async () => {
    const dims = [2, 3, 64, 64];
    const feeds = imageFeeds(dims, 9);
    const plain = {
      image: { datatype: 'FP32' as const, shape: dims, data: Array.from(feeds['image']!.data as Float32Array) },
    };
    const fromOrt = await quantizeInt8StaticConv(buildCnn().bytes, { calibration: [feeds] });
    const fromPlain = await quantizeInt8StaticConv(buildCnn().bytes, { calibration: [plain] });
    expect(Buffer.from(fromPlain.bytes).equals(Buffer.from(fromOrt.bytes))).toBe(true);
    const short = { image: { ...plain.image, data: plain.image.data.slice(1) } };
    const attempt = quantizeInt8StaticConv(buildCnn().bytes, { calibration: [plain, short] });
    await expect(attempt).rejects.toThrow(PassSettingsError);
    await expect(quantizeInt8StaticConv(buildCnn().bytes, { calibration: [plain, short] })).rejects.toThrow(
      /calibration\[1\]: input "image": shape \[2,3,64,64\] needs 24576 elements, got 24575/,
    );
  });

  it('uses minElements to leave small convolutions in float', async () => {
    const { bytes, report } = await quantizeInt8StaticConv(buildCnn().bytes, {
      calibration: [imageFeeds([2, 3, 64, 64], 1)],
      minElements: 500,
    });
    expect(report.changedNodes).toEqual(['Conv_3']);
    expect(report.skippedNodes).toEqual([
      {
        name: 'Conv_0',
        opType: 'Conv',
        reason: 'its weight "conv1.weight" has 216 elements, fewer than minElements (500)',
      },
    ]);
    expect(opTypesOf(bytes).filter((op) => op === 'Conv')).toHaveLength(1);
  });
});
