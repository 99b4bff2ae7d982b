import * as ort from 'onnxruntime-node';
import { decodeModel, encodeModel } from '../model-codec';
import { mulberry32, uniformFloat32 } from '../prng';
import { attr, GraphBuilder } from '../graph-builder';
import { buildCnn } from '../models/cnn';
import { buildConvNet, CNN_BENCH, convNetReference } from '../models/conv-net';
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

async function runImage(bytes: Uint8Array, data: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) });
    return outputs[session.outputNames[0]!]!;
  } finally {
    await session.release();
  }
}

describe('prune (structured, convChannels)', () => {
  it('halves every Conv and hidden layer of CNN_BENCH, down to the Gemm rows after Flatten; still runs', async () => {
    const model = buildConvNet(CNN_BENCH);
    const { bytes, report } = prune(model.bytes, { mode: 'structured', sparsity: 0.5, convChannels: true });
    expect(dimsOf(bytes)).toEqual({
      'conv1.weight': [16, 3, 3, 3],
      'conv1.bias': [16],
      'conv2.weight': [32, 16, 3, 3],
      'conv2.bias': [32],
      'conv3.weight': [32, 32, 3, 3],
      'conv3.bias': [32],
      // Gemm transB: [out, in]; 32 channels × 8 × 8 pixels after Flatten.
      'fc1.weight': [256, 2048],
      'fc1.bias': [256],
      'fc2.weight': [128, 256],
      'fc2.bias': [128],
      'fc3.weight': [10, 128],
      'fc3.bias': [10],
    });
    expect(report.changedNodes).toEqual(['conv1', 'conv2', 'conv3', 'fc1', 'fc2', 'fc3']);
    expect(report.skippedNodes).toEqual([]);
    expect(report.settings).toEqual({ mode: 'structured', sparsity: 0.5, convChannels: true });
    expect(report.notes.join('\n')).toMatch(/removed Conv output channels: conv1\.relu: 32 → 16, conv2\.relu: 64 → 32/);
    const out = await runImage(bytes, uniformFloat32(mulberry32(3), 4 * 3 * 32 * 32, 1), [4, 3, 32, 32]);
    expect(out.dims).toEqual([4, 10]);
    expect(Array.from(out.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('removes exactly the dead channels (zero weights and bias) and keeps the outputs equal', async () => {
    // 2×6×6 → Conv 2→4 (3×3, pad 1) → Relu → Conv 4→4 (3×3, stride 2, pad 1) → Relu → Flatten (4×3×3) → Gemm 36→3.
    const model = buildConvNet({
      channels: 2,
      height: 6,
      width: 6,
      convLayers: [
        { outChannels: 4, kernel: 3, pad: 1 },
        { outChannels: 4, kernel: 3, stride: 2, pad: 1 },
      ],
      hiddenSizes: [],
      classes: 3,
      seed: 7,
    });
    const [conv1, conv2, fc] = model.layers as [
      (typeof model.layers)[0],
      (typeof model.layers)[0],
      (typeof model.layers)[0],
    ];
    // Channels 1 and 3 of conv1 and 0 and 2 of conv2 produce only zeros after Relu: nothing flows from them.
    const dead = (layer: typeof conv1, channels: number[]): void => {
      const per = layer.weight.length / (layer.dims[0] as number);
      for (const c of channels) {
        layer.weight.fill(0, c * per, (c + 1) * per);
        layer.bias[c] = 0;
      }
    };
    dead(conv1, [1, 3]);
    dead(conv2, [0, 2]);
    const source = decodeModel(model.bytes);
    for (const tensor of source.graph!.initializer!) {
      const layer = {
        'conv1.weight': conv1.weight,
        'conv1.bias': conv1.bias,
        'conv2.weight': conv2.weight,
        'conv2.bias': conv2.bias,
      }[tensor.name as string];
      if (layer !== undefined) {
        tensor.rawData = new Uint8Array(layer.slice().buffer);
        delete tensor.floatData;
      }
    }
    const sourceBytes = encodeModel(source);
    const { bytes, report } = prune(sourceBytes, { mode: 'structured', sparsity: 0.5, convChannels: true });
    expect(report.changedNodes).toEqual(['conv1', 'conv2', 'fc1']);

    const kept = Object.fromEntries(
      decodeModel(bytes).graph!.initializer!.map((t) => [t.name!, new Float32Array(t.rawData!.slice().buffer)]),
    );
    expect(dimsOf(bytes)['conv1.weight']).toEqual([2, 2, 3, 3]);
    expect(Array.from(kept['conv1.bias']!)).toEqual([conv1.bias[0], conv1.bias[2]]);
    expect(dimsOf(bytes)['conv2.weight']).toEqual([2, 2, 3, 3]);
    // conv2 keeps output channels 1 and 3, and of each only input channels 0 and 2.
    const w2 = (o: number, c: number): number[] =>
      Array.from(conv2.weight.subarray((o * 4 + c) * 9, (o * 4 + c + 1) * 9));
    expect(Array.from(kept['conv2.weight']!)).toEqual([...w2(1, 0), ...w2(1, 2), ...w2(3, 0), ...w2(3, 2)]);
    // Gemm [3, 36] keeps the rows of channels 1 and 3: inputs 9–17 and 27–35.
    expect(dimsOf(bytes)['fc1.weight']).toEqual([3, 18]);
    expect(Array.from(kept['fc1.weight']!.subarray(0, 18))).toEqual([
      ...Array.from(fc.weight.subarray(9, 18)),
      ...Array.from(fc.weight.subarray(27, 36)),
    ]);

    const image = uniformFloat32(mulberry32(11), 5 * 2 * 6 * 6, 1);
    const before = (await runImage(sourceBytes, image, [5, 2, 6, 6])).data as Float32Array;
    const after = (await runImage(bytes, image, [5, 2, 6, 6])).data as Float32Array;
    const reference = convNetReference({ layers: [conv1, conv2, fc] }, image, 5, [2, 6, 6]);
    expect(after).toHaveLength(15);
    for (let i = 0; i < 15; i++) {
      expect(after[i]).toBeCloseTo(before[i]!, 5);
      expect(after[i]).toBeCloseTo(reference[i]!, 4);
    }
  });

  it('prunes through MaxPool and GlobalAveragePool (the small CNN), and the output layer only loses inputs', async () => {
    const { bytes, report } = prune(buildCnn().bytes, { mode: 'structured', sparsity: 0.5, convChannels: true });
    expect(dimsOf(bytes)).toMatchObject({
      'conv1.weight': [4, 3, 3, 3],
      'conv2.weight': [8, 4, 3, 3],
      'fc.weight': [10, 8],
      'fc.bias': [10],
    });
    expect(report.changedNodes).toHaveLength(3);
    expect(report.skippedNodes).toEqual([]);
    const out = await runImage(bytes, uniformFloat32(mulberry32(4), 2 * 3 * 64 * 64, 1), [2, 3, 64, 64]);
    expect(out.dims).toEqual([2, 10]);
  });

  it('leaves Convs before a grouped Conv, an Add, a fan-out or a model output as they are, with the reason', async () => {
    const random = mulberry32(5);
    const w = (dims: number[]): Float32Array =>
      uniformFloat32(
        random,
        dims.reduce((a, b) => a * b, 1),
        0.5,
      );
    const one = { kernel_shape: attr.ints([1, 1]) };
    const bytes = new GraphBuilder({ graphName: 'skips' })
      .addInput('image', 'FLOAT', ['batch', 2, 5, 5])
      .addInitializer('a.weight', w([4, 2, 1, 1]), [4, 2, 1, 1])
      .addInitializer('g.weight', w([4, 2, 1, 1]), [4, 2, 1, 1])
      .addInitializer('b.weight', w([4, 4, 1, 1]), [4, 4, 1, 1])
      .addInitializer('o.weight', w([3, 4, 1, 1]), [3, 4, 1, 1])
      .addNode('Conv', ['image', 'a.weight'], ['a'], { name: 'convA', attributes: one })
      .addNode('Relu', ['a'], ['a.relu'], { name: 'reluA' })
      .addNode('Conv', ['a.relu', 'g.weight'], ['g'], { name: 'convG', attributes: { ...one, group: attr.int(2) } })
      .addNode('Conv', ['g', 'b.weight'], ['b'], { name: 'convB', attributes: one })
      .addNode('Add', ['b', 'g'], ['sum'], { name: 'residual' })
      .addNode('Conv', ['sum', 'o.weight'], ['out'], { name: 'convOut', attributes: one })
      .addOutput('out', 'FLOAT', ['batch', 3, 5, 5])
      .toBytes();
    const { bytes: pruned, report } = prune(bytes, { mode: 'structured', sparsity: 0.5, convChannels: true });
    expect(report.changedNodes).toEqual([]);
    expect(report.skippedNodes).toEqual([
      {
        name: 'convA',
        opType: 'Conv',
        reason: 'the next Conv cannot be shrunk: grouped convolution (group 2): its channels are tied to the groups',
      },
      { name: 'convG', opType: 'Conv', reason: 'grouped convolution (group 2): its channels are tied to the groups' },
      {
        name: 'convB',
        opType: 'Conv',
        reason: 'the next op Add "residual" is not a per-channel op, a Conv or a Flatten → MatMul/Gemm',
      },
      { name: 'convOut', opType: 'Conv', reason: 'its channels reach a model output ("out"), which is never shrunk' },
    ]);
    expect(dimsOf(pruned)).toEqual(dimsOf(bytes));
    const image = uniformFloat32(mulberry32(6), 2 * 2 * 5 * 5, 1);
    const before = (await runImage(bytes, image, [2, 2, 5, 5])).data as Float32Array;
    const after = (await runImage(pruned, image, [2, 2, 5, 5])).data as Float32Array;
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('reports a fan-out: a Conv whose output two nodes read', () => {
    const random = mulberry32(8);
    const bytes = new GraphBuilder({ graphName: 'fanout' })
      .addInput('image', 'FLOAT', ['batch', 1, 4, 4])
      .addInitializer('a.weight', uniformFloat32(random, 2, 1), [2, 1, 1, 1])
      .addInitializer('b.weight', uniformFloat32(random, 4, 1), [2, 2, 1, 1])
      .addNode('Conv', ['image', 'a.weight'], ['a'], { name: 'convA' })
      .addNode('Conv', ['a', 'b.weight'], ['b'], { name: 'convB' })
      .addNode('Relu', ['a'], ['side'], { name: 'side' })
      .addOutput('b', 'FLOAT')
      .addOutput('side', 'FLOAT')
      .toBytes();
    const { report } = prune(bytes, { mode: 'structured', sparsity: 0.5, convChannels: true });
    expect(report.skippedNodes[0]).toEqual({
      name: 'convA',
      opType: 'Conv',
      reason: 'its output "a" is read by 2 nodes (Conv, Relu)',
    });
  });

  it('leaves Convs alone unless convChannels is on, and says so', () => {
    const model = buildConvNet(CNN_BENCH);
    const { bytes, report } = prune(model.bytes, { mode: 'structured', sparsity: 0.5, convChannels: false });
    expect(dimsOf(bytes)['conv1.weight']).toEqual([32, 3, 3, 3]);
    expect(report.changedNodes).toEqual(['fc1', 'fc2', 'fc3']);
    expect(report.notes).toContain('3 Conv node(s) left as they are: convChannels is off');
  });

  it.each([
    [{ mode: 'structured', sparsity: 0.5, convChannels: 'yes' }, /convChannels must be a boolean/],
    [{ mode: 'unstructured', sparsity: 0.5, convChannels: true }, /convChannels applies to mode 'structured' only/],
  ])('rejects %j with PassSettingsError', (settings, message) => {
    expect(() => prune(buildCnn().bytes, settings as PruneSettings)).toThrow(message);
    expect(() => prune(buildCnn().bytes, settings as PruneSettings)).toThrow(PassSettingsError);
  });
});
