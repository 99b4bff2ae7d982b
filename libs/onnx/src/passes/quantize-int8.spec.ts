import * as ort from 'onnxruntime-node';
import { attr, GraphBuilder } from '../graph-builder';
import { decodeModel } from '../model-codec';
import { TENSOR_DATA_TYPE } from '../onnx-types';
import { mulberry32, uniformFloat32 } from '../prng';
import { buildCnn } from '../models/cnn';
import { buildConvNet, CNN_BENCH } from '../models/conv-net';
import { buildMlp, MLP_LARGE, MLP_SMALL } from '../models/mlp';
import { buildMultiIoModel } from '../models/multi-io-model';
import { PassSettingsError } from './pass';
import { quantizeInt8 } from './quantize-int8';

/** Runs a one-input model on float32 data and returns its first output. */
async function runModel(bytes: Uint8Array, input: string, data: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const outputs = await session.run({ [input]: new ort.Tensor('float32', data, dims) });
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

function meanAbsError(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

function argmaxRows(values: Float32Array, classes: number): number[] {
  const rows: number[] = [];
  for (let row = 0; row * classes < values.length; row++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (values[row * classes + j]! > values[row * classes + best]!) best = j;
    rows.push(best);
  }
  return rows;
}

function top1Agreement(a: Float32Array, b: Float32Array, classes: number): number {
  const left = argmaxRows(a, classes);
  const right = argmaxRows(b, classes);
  return left.filter((label, i) => label === right[i]).length / left.length;
}

const inputs = (dims: number[], seed = 7): Float32Array =>
  uniformFloat32(
    mulberry32(seed),
    dims.reduce((a, b) => a * b, 1),
    1,
  );

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

const opTypesOf = (bytes: Uint8Array): string[] =>
  (decodeModel(bytes).graph?.node ?? []).map((node) => node.opType ?? '');

describe('quantizeInt8', () => {
  describe.each([
    { label: 'MLP-small', model: buildMlp(MLP_SMALL), dims: [256, 64], matmuls: 2 },
    { label: 'MLP-large', model: buildMlp(MLP_LARGE), dims: [128, 1024], matmuls: 4 },
  ])('$label', ({ model, dims, matmuls }) => {
    const data = inputs(dims);
    let reference: Float32Array;
    beforeAll(async () => {
      reference = await runModel(model.bytes, 'input', data, dims);
    });

    it.each([false, true])('perChannel=%s: loads, runs and stays close to the source', async (perChannel) => {
      const { bytes, report } = quantizeInt8(model.bytes, { perChannel });
      const output = await runModel(bytes, 'input', data, dims);

      expect(output).toHaveLength(reference.length);
      // Measured 0.99993–0.99995 on these models; 0.999 leaves margin above the 0.99 goal.
      expect(cosine(reference, output)).toBeGreaterThanOrEqual(0.999);
      // Measured 0.984–1.0.
      expect(top1Agreement(reference, output, 10)).toBeGreaterThanOrEqual(0.95);
      expect(report.changedNodes).toHaveLength(matmuls);
      expect(report.skippedNodes).toEqual([]);
      const ops = opTypesOf(bytes);
      expect(ops.filter((op) => op === 'MatMulInteger')).toHaveLength(matmuls);
      // One DynamicQuantizeLinear per distinct activation: here one per layer.
      expect(ops.filter((op) => op === 'DynamicQuantizeLinear')).toHaveLength(matmuls);
      expect(ops).not.toContain('MatMul');
    });
  });

  it('makes MLP-large at least 3.5× smaller, with no float weights left', () => {
    const model = buildMlp(MLP_LARGE);
    for (const perChannel of [false, true]) {
      const { bytes, report } = quantizeInt8(model.bytes, { perChannel });
      expect(report.sizeBefore).toBe(model.bytes.length);
      expect(report.sizeAfter).toBe(bytes.length);
      // Measured 3.985× per tensor, 3.969× per channel (biases stay float32).
      expect(report.sizeBefore / report.sizeAfter).toBeGreaterThanOrEqual(3.5);
      const initializers = decodeModel(bytes).graph?.initializer ?? [];
      const weights = initializers.filter((tensor) => tensor.name?.endsWith('.weight'));
      expect(weights).toEqual([]);
      const int8 = initializers.filter(
        (tensor) => tensor.dataType === TENSOR_DATA_TYPE.INT8 && (tensor.dims ?? []).length === 2,
      );
      expect(int8.map((tensor) => tensor.dims?.map(Number))).toEqual([
        [1024, 1024],
        [1024, 1024],
        [1024, 1024],
        [1024, 10],
      ]);
    }
  });

  it('keeps every weight within [-63, 63], the largest of each channel at ±63 (no int16 saturation in onnxruntime AVX2 kernels)', () => {
    for (const perChannel of [false, true]) {
      const { bytes } = quantizeInt8(buildMlp(MLP_SMALL).bytes, { perChannel });
      const weights = (decodeModel(bytes).graph?.initializer ?? []).filter(
        (tensor) => tensor.dataType === TENSOR_DATA_TYPE.INT8 && (tensor.dims ?? []).length === 2,
      );
      expect(weights.length).toBeGreaterThan(0);
      for (const tensor of weights) {
        const raw = tensor.rawData!;
        const values = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
        const columns = Number(tensor.dims![1]);
        const channelMax = new Array<number>(perChannel ? columns : 1).fill(0);
        values.forEach((value, i) => {
          const channel = perChannel ? i % columns : 0;
          channelMax[channel] = Math.max(channelMax[channel]!, Math.abs(value));
        });
        expect(Math.min(...values)).toBeGreaterThanOrEqual(-63);
        expect(Math.max(...values)).toBeLessThanOrEqual(63);
        expect(new Set(channelMax)).toEqual(new Set([63]));
      }
    }
  });

  // 120 s: two MLP-large quantizations and runs are slow on a loaded 2-core machine.
  it('per-channel is at least as accurate as per-tensor on MLP-large', async () => {
    const model = buildMlp(MLP_LARGE);
    const quantized = (perChannel: boolean): Uint8Array => quantizeInt8(model.bytes, { perChannel }).bytes;

    // Weights: every column's scale is at most the tensor's, so rounding error can only shrink.
    const weightError = (bytes: Uint8Array): number => {
      const initializers = new Map((decodeModel(bytes).graph?.initializer ?? []).map((t) => [t.name, t]));
      let error = 0;
      model.weights.layers.forEach((layer, i) => {
        const q = new Int8Array(toArrayBuffer(initializers.get(`layer${i}.weight_quantized`)!.rawData!));
        const scales = new Float32Array(toArrayBuffer(initializers.get(`layer${i}.weight_scale`)!.rawData!));
        for (let k = 0; k < q.length; k++) {
          const scale = scales.length === 1 ? scales[0]! : scales[k % layer.outputSize]!;
          error += (q[k]! * scale - layer.weight[k]!) ** 2;
        }
      });
      return error;
    };
    expect(weightError(quantized(true))).toBeLessThan(weightError(quantized(false)));

    // Outputs: MLP-large's weights are uniform, so every column has nearly the same range and the
    // two are statistically tied (measured cosine 0.99993–0.99994 either way, depending on the
    // inputs); allow the per-channel figure to trail by run-to-run noise only.
    const dims = [128, 1024];
    for (const seed of [7, 11]) {
      const data = inputs(dims, seed);
      const reference = await runModel(model.bytes, 'input', data, dims);
      const perTensor = cosine(reference, await runModel(quantized(false), 'input', data, dims));
      const perChannel = cosine(reference, await runModel(quantized(true), 'input', data, dims));
      expect(perChannel).toBeGreaterThanOrEqual(perTensor - 1e-4);
    }
  }, 120_000);

  it('per-channel is clearly more accurate when output columns have different ranges', async () => {
    const size = 256;
    const random = mulberry32(21);
    const weight = uniformFloat32(random, size * size, 1);
    // Column j spans ±10^(-2 + 2j/size): a per-tensor scale wastes most levels on small columns.
    for (let k = 0; k < weight.length; k++) weight[k] = weight[k]! * 10 ** (-2 + (2 * (k % size)) / size);
    const bytes = new GraphBuilder()
      .addInput('input', 'FLOAT', ['batch', size])
      .addInitializer('w', weight, [size, size])
      .addNode('MatMul', ['input', 'w'], ['output'])
      .addOutput('output', 'FLOAT', ['batch', size])
      .toBytes();
    const dims = [64, size];
    const data = inputs(dims);
    const reference = await runModel(bytes, 'input', data, dims);
    const perTensor = await runModel(quantizeInt8(bytes).bytes, 'input', data, dims);
    const perChannel = await runModel(quantizeInt8(bytes, { perChannel: true }).bytes, 'input', data, dims);

    // Relative error on the smallest columns is where it shows.
    const smallColumnError = (output: Float32Array): number => {
      let error = 0;
      let norm = 0;
      for (let row = 0; row < dims[0]!; row++) {
        for (let j = 0; j < size / 8; j++) {
          error += (output[row * size + j]! - reference[row * size + j]!) ** 2;
          norm += reference[row * size + j]! ** 2;
        }
      }
      return Math.sqrt(error / norm);
    };
    expect(smallColumnError(perChannel)).toBeLessThan(smallColumnError(perTensor) / 2);
    expect(cosine(reference, perChannel)).toBeGreaterThanOrEqual(cosine(reference, perTensor));
  });

  describe('CNN', () => {
    const model = buildCnn();
    const dims = [8, 3, 64, 64];
    const data = inputs(dims);
    let reference: Float32Array;
    beforeAll(async () => {
      reference = await runModel(model.bytes, 'image', data, dims);
    });

    it.each([false, true])(
      'perChannel=%s: Conv and Gemm (transB) quantized, close to the source',
      async (perChannel) => {
        const { bytes, report } = quantizeInt8(model.bytes, { perChannel, opTypes: ['MatMul', 'Gemm', 'Conv'] });
        const output = await runModel(bytes, 'image', data, dims);

        // Measured 0.99998–0.99999.
        expect(cosine(reference, output)).toBeGreaterThanOrEqual(0.999);
        expect(top1Agreement(reference, output, 10)).toBe(1);
        expect(report.changedNodes).toEqual(['Conv_0', 'Conv_3', 'Gemm_7']);
        const ops = opTypesOf(bytes);
        expect(ops.filter((op) => op === 'ConvInteger')).toHaveLength(2);
        expect(ops).not.toContain('Conv');
        expect(ops).not.toContain('Gemm');
        // Weights shrink 4×, but this CNN is mostly graph and biases: measured 1.62× / 1.57×.
        expect(report.sizeAfter).toBeLessThan(report.sizeBefore / 1.4);
      },
    );

    it('by default quantizes only MatMul and Gemm, and minElements leaves small weights alone', async () => {
      const byDefault = quantizeInt8(model.bytes);
      expect(byDefault.report.changedNodes).toEqual(['Gemm_7']);
      expect(opTypesOf(byDefault.bytes).filter((op) => op === 'Conv')).toHaveLength(2);
      expect(cosine(reference, await runModel(byDefault.bytes, 'image', data, dims))).toBeGreaterThanOrEqual(0.999);

      const { bytes, report } = quantizeInt8(model.bytes, { opTypes: ['Conv', 'Gemm'], minElements: 500 });
      expect(report.changedNodes).toEqual(['Conv_3']);
      expect(report.skippedNodes).toEqual([
        {
          name: 'Conv_0',
          opType: 'Conv',
          reason: 'its weight "conv1.weight" has 216 elements, fewer than minElements (500)',
        },
        {
          name: 'Gemm_7',
          opType: 'Gemm',
          reason: 'its weight "fc.weight" has 160 elements, fewer than minElements (500)',
        },
      ]);
      expect(cosine(reference, await runModel(bytes, 'image', data, dims))).toBeGreaterThanOrEqual(0.999);
    });
  });

  describe('CNN_BENCH', () => {
    const model = buildConvNet(CNN_BENCH);
    const dims = [16, 3, 32, 32];
    const data = inputs(dims);
    let reference: Float32Array;
    beforeAll(async () => {
      reference = await runModel(model.bytes, 'image', data, dims);
    });

    it('by default quantizes the three Gemms: ≥ 3.5× smaller (the dense weights dominate), close to the source', async () => {
      const { bytes, report } = quantizeInt8(model.bytes, { perChannel: true });
      expect(report.changedNodes).toEqual(['fc1', 'fc2', 'fc3']);
      // Measured 3.71×: the convolutions' 56k float weights stay.
      expect(model.bytes.length / bytes.length).toBeGreaterThanOrEqual(3.5);
      // Measured 0.99995.
      expect(cosine(reference, await runModel(bytes, 'image', data, dims))).toBeGreaterThanOrEqual(0.999);
      expect(report.notes.join(' ')).not.toMatch(/ConvInteger/);
    });

    it('with Conv, uses ConvInteger and says it is smaller, not faster', async () => {
      const { bytes, report } = quantizeInt8(model.bytes, { perChannel: true, opTypes: ['Gemm', 'Conv'] });
      expect(report.changedNodes).toEqual(['conv1', 'conv2', 'conv3', 'fc1', 'fc2', 'fc3']);
      expect(opTypesOf(bytes).filter((op) => op === 'ConvInteger')).toHaveLength(3);
      expect(report.notes).toContain(
        'Conv runs as ConvInteger, which onnxruntime CPU executes slower than float Conv: smaller, not faster',
      );
      expect(cosine(reference, await runModel(bytes, 'image', data, dims))).toBeGreaterThanOrEqual(0.999);
    });
  });

  it('handles Gemm alpha, beta and transB, and skips transA with the reason', async () => {
    const random = mulberry32(3);
    const weight = uniformFloat32(random, 32 * 16, 0.5);
    const bias = uniformFloat32(random, 16, 0.5);
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 32])
      .addInput('xt', 'FLOAT', [32, 'batch'])
      .addInitializer('w', weight, [16, 32])
      .addInitializer('wt', uniformFloat32(random, 32 * 16, 0.5), [32, 16])
      .addInitializer('c', bias, [16])
      .addNode('Gemm', ['x', 'w', 'c'], ['y'], {
        name: 'scaled',
        attributes: { transB: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) },
      })
      .addNode('Gemm', ['xt', 'wt'], ['z'], { name: 'transposed_a', attributes: { transA: attr.int(1) } })
      .addOutput('y', 'FLOAT', ['batch', 16])
      .addOutput('z', 'FLOAT', ['batch', 16])
      .toBytes();

    const { bytes: quantized, report } = quantizeInt8(bytes, { perChannel: true });
    expect(report.changedNodes).toEqual(['scaled']);
    expect(report.skippedNodes).toEqual([
      {
        name: 'transposed_a',
        opType: 'Gemm',
        reason: 'Gemm with transA=1 is not quantized (the activation would need a Transpose)',
      },
    ]);

    const dims = [64, 32];
    const x = inputs(dims);
    const xt = inputs([32, 64], 5);
    const run = async (model: Uint8Array): Promise<Float32Array> => {
      const session = await ort.InferenceSession.create(model);
      try {
        const out = await session.run({
          x: new ort.Tensor('float32', x, dims),
          xt: new ort.Tensor('float32', xt, [32, 64]),
        });
        return out.y!.data as Float32Array;
      } finally {
        await session.release();
      }
    };
    const reference = await run(bytes);
    const output = await run(quantized);
    expect(cosine(reference, output)).toBeGreaterThanOrEqual(0.999);
    // Without alpha and beta folded in, the outputs would be off by far more than int8 noise.
    expect(meanAbsError(reference, output)).toBeLessThan(0.02);
  });

  it('lists nodes whose weight is not a quantizable initializer, and leaves them float', async () => {
    const random = mulberry32(9);
    const shared = uniformFloat32(random, 8 * 8, 1);
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 8])
      .addInput('runtime_weight', 'FLOAT', [8, 8])
      .addInitializer('shared', shared, [8, 8])
      .addInitializer('own', uniformFloat32(random, 8 * 8, 1), [8, 8])
      .addInitializer('cube', uniformFloat32(random, 2 * 8 * 8, 1), [2, 8, 8])
      .addNode('MatMul', ['x', 'runtime_weight'], ['a'], { name: 'from_input' })
      .addNode('MatMul', ['a', 'shared'], ['b'], { name: 'uses_shared' })
      .addNode('Add', ['b', 'shared'], ['c'], { name: 'reads_shared' })
      .addNode('MatMul', ['c', 'own'], ['d'], { name: 'plain' })
      .addNode('MatMul', ['d', 'cube'], ['e'], { name: 'batched' })
      .addOutput('e', 'FLOAT')
      .toBytes();

    const { bytes: quantized, report } = quantizeInt8(bytes);
    expect(report.changedNodes).toEqual(['plain']);
    expect(report.skippedNodes).toEqual([
      { name: 'from_input', opType: 'MatMul', reason: 'its weight (input B) "runtime_weight" is not an initializer' },
      {
        name: 'batched',
        opType: 'MatMul',
        reason: 'its weight "cube" has shape [2, 8, 8]; MatMul weights must be 2-D',
      },
      {
        name: 'uses_shared',
        opType: 'MatMul',
        reason: 'weight "shared" is also used by node "reads_shared" (Add), which stays float',
      },
    ]);
    const graph = decodeModel(quantized).graph!;
    expect(graph.initializer?.map((tensor) => tensor.name)).toContain('shared');
    expect(graph.initializer?.map((tensor) => tensor.name)).not.toContain('own');

    const session = await ort.InferenceSession.create(quantized);
    const out = await session.run({
      // Add(b, shared) needs b as [8, 8] too.
      x: new ort.Tensor('float32', inputs([8, 8]), [8, 8]),
      runtime_weight: new ort.Tensor('float32', inputs([8, 8], 2), [8, 8]),
    });
    await session.release();
    expect(out.e!.dims).toEqual([2, 8, 8]);
  });

  it('quantizes a weight shared by two MatMuls once', () => {
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 16])
      .addInitializer('w', uniformFloat32(mulberry32(1), 256, 1), [16, 16])
      .addNode('MatMul', ['x', 'w'], ['a'])
      .addNode('MatMul', ['a', 'w'], ['b'])
      .addOutput('b', 'FLOAT')
      .toBytes();
    const { bytes: quantized, report } = quantizeInt8(bytes);
    expect(report.changedNodes).toHaveLength(2);
    const int8 = (decodeModel(quantized).graph?.initializer ?? []).filter(
      (t) => t.dataType === TENSOR_DATA_TYPE.INT8 && t.dims?.length === 2,
    );
    expect(int8).toHaveLength(1);
  });

  it('leaves models below opset 11 unchanged, saying why', () => {
    const bytes = new GraphBuilder({ opsetVersion: 10 })
      .addInput('x', 'FLOAT', ['batch', 4])
      .addInitializer('w', new Float32Array(16).fill(0.5), [4, 4])
      .addNode('MatMul', ['x', 'w'], ['y'], { name: 'mm' })
      .addOutput('y', 'FLOAT')
      .toBytes();
    const result = quantizeInt8(bytes);
    expect(result.bytes).toBe(bytes);
    expect(result.report.skippedNodes).toEqual([
      {
        name: 'mm',
        opType: 'MatMul',
        reason: "the model's ai.onnx opset is 10; DynamicQuantizeLinear needs 11 or later",
      },
    ]);
  });

  it('returns a model without candidates unchanged and does not touch its input', () => {
    const source = buildMultiIoModel().bytes;
    const result = quantizeInt8(source);
    expect(result.bytes).toBe(source);
    expect(result.report.changedNodes).toEqual([]);
    expect(result.report.notes).toContain('no node was quantized; the model is returned unchanged');

    const mlp = buildMlp(MLP_SMALL).bytes;
    const copy = Uint8Array.from(mlp);
    quantizeInt8(mlp, { perChannel: true });
    expect(mlp).toEqual(copy);
  });

  it('reports the settings it ran with, defaults filled in', () => {
    const { report } = quantizeInt8(buildMlp(MLP_SMALL).bytes);
    expect(report.pass).toBe('quantize-int8');
    expect(report.settings).toEqual({ perChannel: false, opTypes: ['MatMul', 'Gemm'], minElements: 0 });
  });

  it.each([
    [{ opTypes: ['MatMul', 'LSTM'] }, /opTypes: expected only MatMul, Gemm, Conv, got "LSTM"/],
    [{ opTypes: [] }, /opTypes: expected a non-empty array/],
    [{ minElements: -1 }, /minElements: expected a non-negative integer, got -1/],
    [{ minElements: 1.5 }, /minElements/],
    [{ perChannel: 'yes' }, /perChannel: expected a boolean/],
    [{ perchannel: true }, /unknown setting\(s\) "perchannel"/],
  ])('rejects bad settings %j with PassSettingsError', (settings, message) => {
    const attempt = (): unknown => quantizeInt8(buildMlp(MLP_SMALL).bytes, settings as never);
    expect(attempt).toThrow(PassSettingsError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (err) {
      expect((err as Error).name).toBe('PassSettingsError');
    }
  });
});
