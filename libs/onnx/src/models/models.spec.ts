import * as ort from 'onnxruntime-node';
import { datatypeToOrtType, ORT_DATATYPES } from '../datatypes';
import type { Datatype, OrtTensorType } from '../datatypes';
import { mulberry32 } from '../prng';
import { buildCnn } from './cnn';
import type { CnnWeights } from './cnn';
import { buildIdentityModel, identityInputName, identityOutputName } from './identity-model';
import { buildFixedBatchModel, buildMlp, MLP_LARGE, MLP_SMALL, mlpReference } from './mlp';
import { buildMultiIoModel } from './multi-io-model';
import { buildStringModel } from './string-model';

async function withSession<T>(
  bytes: Uint8Array,
  use: (session: ort.InferenceSession) => Promise<T>,
): Promise<T> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await use(session);
  } finally {
    await session.release();
  }
}

function randomInput(length: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length }, () => random() * 2 - 1);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe('buildMlp', () => {
  it.each([
    ['MLP_SMALL', MLP_SMALL, 1],
    ['MLP_SMALL', MLP_SMALL, 5],
    ['MLP_LARGE', MLP_LARGE, 3],
  ] as const)(
    '%s with batch %i matches the JavaScript reference within 1e-4',
    async (_name, options, batch) => {
      const mlp = buildMlp(options);
      const input = randomInput(batch * options.inputSize, 7);
      const expected = mlpReference(mlp.weights, input, batch);
      const actual = await withSession(mlp.bytes, async (session) => {
        const result = await session.run({
          [mlp.inputName]: new ort.Tensor('float32', input, [batch, options.inputSize]),
        });
        const output = result[mlp.outputName];
        expect(output?.dims).toEqual([batch, options.outputSize]);
        return output?.data as Float32Array;
      });
      expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-4);
      // Outputs of order 1: neither vanishing nor exploding through the layers.
      const largest = Math.max(...Array.from(expected, Math.abs));
      expect(largest).toBeGreaterThan(0.05);
      expect(largest).toBeLessThan(20);
    },
  );

  it('has three 1024-wide Relu layers in MLP_LARGE', () => {
    const { weights } = buildMlp(MLP_LARGE);
    expect(weights.layers.map((layer) => [layer.inputSize, layer.outputSize, layer.relu])).toEqual([
      [1024, 1024, true],
      [1024, 1024, true],
      [1024, 1024, true],
      [1024, 10, false],
    ]);
  });

  it('gives identical bytes for the same seed and different bytes for another', () => {
    const first = buildMlp({ ...MLP_SMALL, seed: 3 }).bytes;
    const again = buildMlp({ ...MLP_SMALL, seed: 3 }).bytes;
    const other = buildMlp({ ...MLP_SMALL, seed: 4 }).bytes;
    expect(Buffer.from(first).equals(Buffer.from(again))).toBe(true);
    expect(Buffer.from(first).equals(Buffer.from(other))).toBe(false);
    expect(Buffer.from(buildMlp(MLP_SMALL).bytes).equals(Buffer.from(buildMlp(MLP_SMALL).bytes))).toBe(true);
  });

  it('rejects sizes that are not positive integers', () => {
    expect(() => buildMlp({ inputSize: 0, hiddenSizes: [], outputSize: 1 })).toThrow(/inputSize/);
    expect(() => buildMlp({ inputSize: 2, hiddenSizes: [2.5], outputSize: 1 })).toThrow(/hiddenSizes\[0\]/);
  });

  it('checks the input length in mlpReference', () => {
    const { weights } = buildMlp(MLP_SMALL);
    expect(() => mlpReference(weights, new Float32Array(63), 1)).toThrow(/needs 64 values, got 63/);
  });
});

describe('buildFixedBatchModel', () => {
  it('runs with batch 1 and matches the reference', async () => {
    const model = buildFixedBatchModel();
    const input = randomInput(8, 11);
    const output = await withSession(model.bytes, async (session) => {
      const result = await session.run({ input: new ort.Tensor('float32', input, [1, 8]) });
      return result.output;
    });
    expect(output?.dims).toEqual([1, 4]);
    expect(maxAbsDiff(output?.data as Float32Array, mlpReference(model.weights, input, 1))).toBeLessThan(
      1e-5,
    );
  });

  it('cannot run with batch 2', async () => {
    await withSession(buildFixedBatchModel().bytes, async (session) => {
      await expect(
        session.run({ input: new ort.Tensor('float32', new Float32Array(16), [2, 8]) }),
      ).rejects.toThrow(/dimension|Got invalid dimensions/i);
    });
  });
});

/** The CNN's logits for an all-zero image, worked out from the weights. */
function cnnZeroImageLogits(weights: CnnWeights): number[] {
  // Conv1 of zeros (padding is zeros too) is its bias everywhere; Relu and MaxPool keep that.
  const pooled = Array.from(weights.conv1.bias, (b) => Math.max(0, b));
  const conv2 = Array.from(weights.conv2.bias, (bias, o) => {
    let sum = bias;
    for (let c = 0; c < pooled.length; c++) {
      for (let k = 0; k < 9; k++)
        sum += (weights.conv2.weight[(o * pooled.length + c) * 9 + k] as number) * (pooled[c] as number);
    }
    return Math.max(0, sum);
  });
  return Array.from(weights.fc.bias, (bias, j) =>
    conv2.reduce((sum, h, o) => sum + h * (weights.fc.weight[j * conv2.length + o] as number), bias),
  );
}

describe('buildCnn', () => {
  it('gives logits [batch, 10] that match the weights for a zero image', async () => {
    const cnn = buildCnn();
    const image = new Float32Array(2 * 3 * 64 * 64);
    image.set(randomInput(3 * 64 * 64, 5), 3 * 64 * 64); // second image random, first all zeros
    const logits = await withSession(cnn.bytes, async (session) => {
      const result = await session.run({ image: new ort.Tensor('float32', image, [2, 3, 64, 64]) });
      return result.logits;
    });
    expect(logits?.dims).toEqual([2, 10]);
    const data = logits?.data as Float32Array;
    expect(maxAbsDiff(data.subarray(0, 10), cnnZeroImageLogits(cnn.weights))).toBeLessThan(1e-5);
    expect(maxAbsDiff(data.subarray(0, 10), data.subarray(10, 20))).toBeGreaterThan(1e-3);
  });

  it('gives each image in a batch the logits it gets alone', async () => {
    const cnn = buildCnn({ height: 16, width: 20, classes: 4, seed: 9 });
    const images = randomInput(3 * 3 * 16 * 20, 21);
    await withSession(cnn.bytes, async (session) => {
      const all = (await session.run({ image: new ort.Tensor('float32', images, [3, 3, 16, 20]) })).logits;
      expect(all?.dims).toEqual([3, 4]);
      const second = images.slice(3 * 16 * 20, 2 * 3 * 16 * 20);
      const alone = (await session.run({ image: new ort.Tensor('float32', second, [1, 3, 16, 20]) })).logits;
      expect(
        maxAbsDiff((all?.data as Float32Array).subarray(4, 8), alone?.data as Float32Array),
      ).toBeLessThan(1e-5);
    });
  });

  it('is deterministic per seed', () => {
    expect(Buffer.from(buildCnn().bytes).equals(Buffer.from(buildCnn().bytes))).toBe(true);
    expect(Buffer.from(buildCnn().bytes).equals(Buffer.from(buildCnn({ seed: 1 }).bytes))).toBe(false);
  });

  it('rejects images too small for the second convolution', () => {
    expect(() => buildCnn({ height: 5 })).toThrow(/height must be an integer of at least 6/);
  });
});

describe('buildMultiIoModel', () => {
  it('adds, doubles and negates', async () => {
    const result = await withSession(buildMultiIoModel().bytes, (session) =>
      session.run({
        a: new ort.Tensor('float32', Float32Array.from([0.5, 1, 1.5, 2, -1, -2, -3, -4]), [2, 4]),
        b: new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 3n, 4n, 10n, 20n, 30n, -40n]), [2, 4]),
        flag: new ort.Tensor('bool', Uint8Array.from([1, 0]), [2, 1]),
      }),
    );
    expect(Array.from(result.sum?.data as Float32Array)).toEqual([1.5, 3, 4.5, 6, 9, 18, 27, -44]);
    expect(result.b_doubled?.type).toBe('int64');
    expect(Array.from(result.b_doubled?.data as BigInt64Array)).toEqual([
      2n,
      4n,
      6n,
      8n,
      20n,
      40n,
      60n,
      -80n,
    ]);
    expect(result.not_flag?.type).toBe('bool');
    expect(Array.from(result.not_flag?.data as Uint8Array)).toEqual([0, 1]);
    expect(result.not_flag?.dims).toEqual([2, 1]);
  });
});

describe('buildStringModel', () => {
  it('returns the text and its upper case for any batch size', async () => {
    await withSession(buildStringModel().bytes, async (session) => {
      for (const texts of [['hello'], ['a', 'Mixed Case', '', 'ok 123']]) {
        const result = await session.run({ text: new ort.Tensor('string', texts, [texts.length, 1]) });
        expect(result.text_out?.data).toEqual(texts);
        expect(result.upper?.data).toEqual(texts.map((text) => text.toUpperCase()));
        expect(result.upper?.dims).toEqual([texts.length, 1]);
      }
    });
  });

  it('fails to load with a locale the system lacks, which is why the default is C', async () => {
    const bytes = buildStringModel({ locale: 'xx_NOWHERE.UTF-8' }).bytes;
    // Severity 4 (fatal only): the failure is expected, so keep onnxruntime's log line out of the test output.
    await expect(ort.InferenceSession.create(bytes, { logSeverityLevel: 4 })).rejects.toThrow(/locale/);
  });
});

/** Three sample values of each datatype, as onnxruntime-node wants them. */
function sampleData(datatype: Exclude<Datatype, 'BF16'>): ort.Tensor['data'] {
  switch (datatype) {
    case 'BOOL':
      return Uint8Array.from([1, 0, 1]);
    case 'UINT8':
      return Uint8Array.from([0, 7, 255]);
    case 'UINT16':
      return Uint16Array.from([0, 7, 65535]);
    case 'UINT32':
      return Uint32Array.from([0, 7, 4294967295]);
    case 'UINT64':
      return BigUint64Array.from([0n, 7n, 18446744073709551615n]);
    case 'INT8':
      return Int8Array.from([-128, 7, 127]);
    case 'INT16':
      return Int16Array.from([-32768, 7, 32767]);
    case 'INT32':
      return Int32Array.from([-2147483648, 7, 2147483647]);
    case 'INT64':
      return BigInt64Array.from([-9223372036854775808n, 7n, 9223372036854775807n]);
    case 'FP16':
      return Uint16Array.from([0x3c00, 0xc000, 0x7bff]); // 1, -2, 65504
    case 'FP32':
      return Float32Array.from([1.5, -2, 3.25]);
    case 'FP64':
      return Float64Array.from([Math.PI, -Math.E, 1e300]);
    case 'BYTES':
      return ['', 'a', 'ünïcode'];
  }
}

describe('buildIdentityModel', () => {
  it('passes every onnxruntime-servable datatype through unchanged', async () => {
    const model = buildIdentityModel(ORT_DATATYPES);
    expect(model.inputNames).toContain('in_fp32');
    expect(model.outputNames).toContain('out_bytes');
    const feeds: Record<string, ort.Tensor> = {};
    for (const datatype of ORT_DATATYPES) {
      const ortType: OrtTensorType = datatypeToOrtType(datatype);
      feeds[identityInputName(datatype)] = new ort.Tensor(ortType, sampleData(datatype), [1, 3]);
    }
    const result = await withSession(model.bytes, (session) => session.run(feeds));
    for (const datatype of ORT_DATATYPES) {
      const output = result[identityOutputName(datatype)];
      expect([datatype, output?.type]).toEqual([datatype, datatypeToOrtType(datatype)]);
      expect(output?.dims).toEqual([1, 3]);
      expect(Array.from(output?.data as ArrayLike<unknown>)).toEqual(
        Array.from(sampleData(datatype) as ArrayLike<unknown>),
      );
    }
  });

  it('cannot be loaded by onnxruntime-node with a BF16 input (its JS binding has no bfloat16)', async () => {
    await expect(ort.InferenceSession.create(buildIdentityModel(['BF16']).bytes)).rejects.toThrow(
      /Unsupported data type: 16/,
    );
  });

  it('rejects an empty or repeated datatype list', () => {
    expect(() => buildIdentityModel([])).toThrow(/at least one/);
    expect(() => buildIdentityModel(['FP32', 'FP32'])).toThrow(/FP32 is listed twice/);
  });
});
