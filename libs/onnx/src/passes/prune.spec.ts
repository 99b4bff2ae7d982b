import * as ort from 'onnxruntime-node';
import { decodeModel, encodeModel } from '../model-codec';
import { mulberry32, uniformFloat32 } from '../prng';
import { buildCnn } from '../models/cnn';
import { buildMlp, MLP_LARGE, MLP_SMALL } from '../models/mlp';
import { PassSettingsError } from './pass';
import { prune } from './prune';
import type { PruneSettings } from './prune';

async function run(bytes: Uint8Array, data: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await session.run({ input: new ort.Tensor('float32', data, dims) })).output!;
  } finally {
    await session.release();
  }
}

async function medianMs(bytes: Uint8Array, data: Float32Array, dims: number[], runs: number): Promise<number> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { input: new ort.Tensor('float32', data, dims) };
    await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await session.run(feeds);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  } finally {
    await session.release();
  }
}

function dimsOf(bytes: Uint8Array): Record<string, number[]> {
  return Object.fromEntries(decodeModel(bytes).graph!.initializer!.map((t) => [t.name!, t.dims!.map(Number)]));
}

describe('prune (unstructured)', () => {
  it('zeros each weight tensor to the target sparsity (±1%) and still runs', async () => {
    const mlp = buildMlp(MLP_SMALL);
    const { bytes, report, sparsity } = prune(mlp.bytes, { mode: 'unstructured', sparsity: 0.6 });
    expect(sparsity.map((s) => s.tensor)).toEqual(['layer0.weight', 'layer1.weight']);
    for (const item of sparsity) expect(Math.abs(item.sparsity - 0.6)).toBeLessThanOrEqual(0.01);
    expect(report.changedNodes).toEqual(['MatMul_0', 'MatMul_3']);
    expect(Math.abs(report.sizeAfter - report.sizeBefore)).toBeLessThan(100); // dense storage: same size
    const out = await run(bytes, uniformFloat32(mulberry32(1), 4 * 64, 1), [4, 64]);
    expect(out.dims).toEqual([4, 10]);
    expect(Array.from(out.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('prunes Conv and Gemm weights of the CNN', () => {
    const { sparsity } = prune(buildCnn().bytes, { mode: 'unstructured', sparsity: 0.5 });
    expect(sparsity.map((s) => s.tensor)).toEqual(['conv1.weight', 'conv2.weight', 'fc.weight']);
    for (const item of sparsity) expect(Math.abs(item.sparsity - 0.5)).toBeLessThanOrEqual(0.01);
  });
});

describe('prune (structured)', () => {
  it('removes half the hidden units of MLP-large: 1024 → 512, file more than halves, still runs', async () => {
    const mlp = buildMlp(MLP_LARGE);
    const { bytes, report } = prune(mlp.bytes, { mode: 'structured', sparsity: 0.5 });
    expect(dimsOf(bytes)).toEqual({
      'layer0.weight': [1024, 512],
      'layer0.bias': [512],
      'layer1.weight': [512, 512],
      'layer1.bias': [512],
      'layer2.weight': [512, 512],
      'layer2.bias': [512],
      'layer3.weight': [512, 10],
      'layer3.bias': [10],
    });
    const ratio = mlp.bytes.byteLength / bytes.byteLength;
    expect(ratio).toBeGreaterThanOrEqual(1.9);
    expect(report.changedNodes).toEqual(['MatMul_0', 'MatMul_3', 'MatMul_6', 'MatMul_9']);
    expect(report.skippedNodes).toEqual([]);

    const batch = 32;
    const input = uniformFloat32(mulberry32(2), batch * 1024, 1);
    const out = await run(bytes, input, [batch, 1024]);
    expect(out.dims).toEqual([batch, 10]);
    // A printed figure only: wall-clock time is not asserted.
    const before = await medianMs(mlp.bytes, input, [batch, 1024], 20);
    const after = await medianMs(bytes, input, [batch, 1024], 20);
    console.log(
      `structured 50% MLP-large: ${mlp.bytes.byteLength} → ${bytes.byteLength} bytes (${ratio.toFixed(2)}×), ` +
        `batch 32 median ${before.toFixed(2)} → ${after.toFixed(2)} ms (${(before / after).toFixed(2)}×)`,
    );
  });

  it('keeps the units with the largest importance', () => {
    const mlp = buildMlp({ inputSize: 4, hiddenSizes: [4], outputSize: 2 });
    const model = decodeModel(mlp.bytes);
    // Make unit 2 dominant in W1 and W2, so it must survive a 75% prune.
    const layer0 = mlp.weights.layers[0]!;
    const w1 = Float32Array.from(layer0.weight, (v, i) => (i % 4 === 2 ? v * 100 : v));
    model.graph!.initializer![0]!.rawData = new Uint8Array(w1.buffer);
    const { bytes } = prune(encodeModel(model), { mode: 'structured', sparsity: 0.75 });
    const pruned = decodeModel(bytes).graph!.initializer![0]!;
    expect(pruned.dims!.map(Number)).toEqual([4, 1]);
    const kept = new Float32Array(pruned.rawData!.slice().buffer);
    expect(Array.from(kept)).toEqual([0, 1, 2, 3].map((row) => w1[row * 4 + 2]));
  });

  it('skips layers that are not in a dense chain, with the reason', () => {
    const { report } = prune(buildCnn().bytes, { mode: 'structured', sparsity: 0.5 });
    expect(report.changedNodes).toEqual([]);
    expect(report.skippedNodes).toEqual([
      { name: 'Gemm_7', opType: 'Gemm', reason: 'its output is a model output, which is never shrunk' },
    ]);
  });
});

describe('prune settings', () => {
  it.each([
    [{ mode: 'unstructured', sparsity: 1.5 }],
    [{ mode: 'unstructured', sparsity: -0.1 }],
    [{ mode: 'structured', sparsity: Number.NaN }],
    [{ mode: 'channel', sparsity: 0.5 }],
  ])('rejects %j with PassSettingsError', (settings) => {
    expect(() => prune(buildMlp(MLP_SMALL).bytes, settings as PruneSettings)).toThrow(PassSettingsError);
  });
});
