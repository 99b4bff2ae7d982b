import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTensor, GraphBuilder } from './graph-builder';
import { inspectModelFile } from './inspect-model-file';
import { inspectModel } from './inspect-model';
import { writeLargeModelFile } from './large-model-file';
import { encodeModel } from './model-codec';
import { OnnxFormatError } from './onnx-format-error';
import { TENSOR_DATA_LOCATION, TENSOR_DATA_TYPE } from './onnx-types';
import type { ModelProto, TensorProto } from './onnx-types';
import { buildCnn } from './models/cnn';
import { buildIdentityModel } from './models/identity-model';
import { buildFixedBatchModel, buildMlp, MLP_LARGE, MLP_SMALL } from './models/mlp';
import { buildMultiIoModel } from './models/multi-io-model';
import { buildStringModel } from './models/string-model';

const MB = 1024 * 1024;

let dir: string;
let fileCount = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-model-file-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeTemp(bytes: Uint8Array): string {
  const file = path.join(dir, `model-${++fileCount}.onnx`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** What inspectModel says of the bytes: the signature, or the error class name. */
function expected(bytes: Uint8Array): unknown {
  try {
    return inspectModel(bytes);
  } catch (err) {
    return { rejected: (err as Error).name };
  }
}

async function actual(file: string): Promise<unknown> {
  try {
    return await inspectModelFile(file);
  } catch (err) {
    return { rejected: (err as Error).name };
  }
}

const external = (name: string, location: string): TensorProto => ({
  name,
  dims: [256, 4],
  dataType: TENSOR_DATA_TYPE.FLOAT16,
  dataLocation: TENSOR_DATA_LOCATION.EXTERNAL,
  externalData: [
    { key: 'location', value: location },
    { key: 'offset', value: '4096' },
  ],
});

/** A model with a bit of everything inspectModel looks at, tensor payloads in every place. */
function kitchenSinkModel(): ModelProto {
  const constant = createTensor('value', new Float32Array(300).fill(1.5), [3, 100]);
  return {
    irVersion: 8,
    opsetImport: [{ version: 17 }, { domain: 'ai.onnx.ml', version: 3 }],
    producerName: 'spec',
    producerVersion: '1',
    docString: 'doc',
    metadataProps: [{ key: 'license', value: 'MIT' }],
    graph: {
      name: 'sink',
      node: [
        { opType: 'Constant', output: ['c'], attribute: [{ name: 'value', type: 4, t: constant }] },
        {
          opType: 'If',
          input: ['cond'],
          output: ['z'],
          attribute: [
            {
              name: 'then_branch',
              type: 5,
              g: {
                initializer: [external('d', 'branch.bin'), createTensor('e', new Int32Array(50), [50])],
                node: [
                  {
                    opType: 'Constant',
                    output: ['k'],
                    attribute: [{ name: 'value', t: { ...external('k', 'const.bin'), dims: [1] } }],
                  },
                ],
              },
            },
            { name: 'tensors', type: 9, tensors: [createTensor('t', new Float64Array(20), [20])] },
          ],
        },
      ],
      initializer: [
        external('a', 'weights.bin'),
        external('b', 'weights.bin'),
        createTensor('w', new Float32Array(1000).fill(0.25), [10, 100]),
        // Typed-field storage rather than raw_data.
        { name: 'f', dims: [4], dataType: TENSOR_DATA_TYPE.FLOAT, floatData: [1, 2, 3, 4] },
        { name: 'i64', dims: [3], dataType: TENSOR_DATA_TYPE.INT64, int64Data: [1, -2, 2 ** 40] },
        { name: 'u64', dims: [2], dataType: TENSOR_DATA_TYPE.UINT64, uint64Data: [1, 2] },
        { name: 'd', dims: [2], dataType: TENSOR_DATA_TYPE.DOUBLE, doubleData: [0.5, 1.5] },
        { name: 'i32', dims: [2], dataType: TENSOR_DATA_TYPE.INT32, int32Data: [7, -7] },
        createTensor('s', ['hello', 'wörld', ''], [3]),
        // An unknown element type: inspectModel counts its stored raw bytes.
        { name: 'odd', dims: [5], dataType: 99, rawData: new Uint8Array(37) },
        { name: 'untyped', dims: [2], rawData: new Uint8Array(11) },
        // A scalar (no dims).
        { name: 'scalar', dataType: TENSOR_DATA_TYPE.FLOAT, rawData: new Uint8Array(4) },
      ],
      sparseInitializer: [
        {
          values: { name: 'sv', dims: [3], dataType: TENSOR_DATA_TYPE.FLOAT, rawData: new Uint8Array(12) },
          indices: { name: 'si', dims: [3], dataType: TENSOR_DATA_TYPE.INT64, int64Data: [0, 5, 9] },
          dims: [10],
        },
        {
          values: { name: 'sv2', dims: [2], dataType: TENSOR_DATA_TYPE.STRING, stringData: [new Uint8Array(9)] },
        },
      ],
      input: [
        { name: 'cond', type: { tensorType: { elemType: TENSOR_DATA_TYPE.BOOL, shape: { dim: [] } } } },
        { name: 'w', type: { tensorType: { elemType: TENSOR_DATA_TYPE.FLOAT, shape: { dim: [{ dimValue: 10 }] } } } },
        { name: 'c64', type: { tensorType: { elemType: TENSOR_DATA_TYPE.COMPLEX64 } } },
      ],
      output: [
        {
          name: 'z',
          type: { tensorType: { elemType: TENSOR_DATA_TYPE.FLOAT, shape: { dim: [{ dimParam: 'n' }, {}] } } },
        },
        { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: 1 } } } } },
      ],
    },
    functions: [
      {
        name: 'fn',
        domain: 'local',
        node: [{ opType: 'Constant', attribute: [{ name: 'value', t: external('fc', 'function.bin') }] }],
      },
    ],
    trainingInfo: [{ initialization: { initializer: [external('ti', 'training.bin')] } }],
  };
}

describe('inspectModelFile', () => {
  const builders: [string, () => Uint8Array][] = [
    ['the small MLP', () => buildMlp(MLP_SMALL).bytes],
    ['the large MLP', () => buildMlp(MLP_LARGE).bytes],
    ['the CNN', () => buildCnn().bytes],
    ['the multi-input model', () => buildMultiIoModel().bytes],
    ['the string model', () => buildStringModel().bytes],
    ['the identity model', () => buildIdentityModel(['FP32', 'FP16', 'BF16', 'UINT64', 'BYTES', 'BOOL']).bytes],
    ['the fixed-batch model', () => buildFixedBatchModel().bytes],
    ['a model with external data, a Constant tensor and every kind of storage', () => encodeModel(kitchenSinkModel())],
  ];

  it.each(builders)('reads %s as inspectModel does', async (_name, build) => {
    const bytes = build();
    const signature = await inspectModelFile(writeTemp(bytes));
    expect(signature).toEqual(inspectModel(bytes));
  });

  it('counts what it skipped exactly (external data, Constant tensors, strings, unknown types)', async () => {
    const signature = await inspectModelFile(writeTemp(encodeModel(kitchenSinkModel())));
    expect(signature.externalDataLocations).toEqual([
      'weights.bin',
      'branch.bin',
      'const.bin',
      'function.bin',
      'training.bin',
    ]);
    // a, b: 1024 each; w 1000; f 4; i64 3; u64 2; d 2; i32 2; s 3; odd 5; untyped 2; scalar 1; sparse 3 + 2
    expect(signature.parameterCount).toBe(2048 + 1000 + 4 + 3 + 2 + 2 + 2 + 3 + 5 + 2 + 1 + 3 + 2);
    // FLOAT16 2048·2; w 4000; f 16; i64 24; u64 16; d 16; i32 8; s 'hello'+'wörld' 5+6; odd 37 raw;
    // untyped 11 raw; scalar 4; sparse: sv 12 + si 24, sv2 9 string bytes
    expect(signature.initializerBytes).toBe(4096 + 4000 + 16 + 24 + 16 + 16 + 8 + 11 + 37 + 11 + 4 + 12 + 24 + 9);
    expect(signature.unsupported.map((value) => value.name)).toEqual(['c64', 'seq']);
  });

  it('handles payload fields written unpacked and in any order, and unknown fields', async () => {
    // float_data (4) as two unpacked fixed32 values, then dims after the data, plus an unknown varint field 99.
    const tensor = Buffer.from([
      0x25,
      0,
      0,
      0x80,
      0x3f, // float_data 1.0, unpacked
      0x25,
      0,
      0,
      0,
      0x40, // float_data 2.0, unpacked
      0x08,
      0x02, // dims 2
      0x10,
      0x01, // data_type FLOAT
      0x98,
      0x06,
      0x2a, // field 99, varint 42
    ]);
    const model = encodeModel({ irVersion: 8, opsetImport: [{ version: 17 }], graph: { name: 'g' } });
    const graph = Buffer.concat([Buffer.from([0x2a, tensor.length]), tensor]);
    const bytes = Buffer.concat([Buffer.from(model), Buffer.from([0x3a, graph.length]), graph]);
    const signature = await inspectModelFile(writeTemp(bytes));
    expect(signature).toEqual(inspectModel(bytes));
    expect(signature.parameterCount).toBe(2);
  });

  it('rejects or accepts every prefix of a model exactly as inspectModel does', async () => {
    const bytes = encodeModel(kitchenSinkModel());
    let rejected = 0;
    // Every prefix of the first 1.5 KiB and every 5th beyond covers cuts in every kind of field.
    for (let length = 0; length < bytes.length; length += length < 1536 ? 1 : 5) {
      const prefix = bytes.subarray(0, length);
      const outcome = await actual(writeTemp(prefix));
      expect([length, outcome]).toEqual([length, expected(prefix)]);
      if ((outcome as { rejected?: string }).rejected === 'OnnxFormatError') rejected++;
    }
    expect(rejected).toBeGreaterThan(100);
  });

  it('rejects every prefix of the small MLP that cuts into the graph', async () => {
    const bytes = buildMlp(MLP_SMALL).bytes;
    for (let length = 0; length < bytes.length; length += 11) {
      await expect(inspectModelFile(writeTemp(bytes.subarray(0, length)))).rejects.toThrow(OnnxFormatError);
    }
  });

  it('rejects garbage, an empty file and protobuf that is not a model, as inspectModel does', async () => {
    const cases: [string, Uint8Array][] = [
      ['three bytes', new Uint8Array([1, 2, 3])],
      ['an empty file', new Uint8Array(0)],
      ['text', new TextEncoder().encode('this is not an ONNX model at all')],
      ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
      ['no graph', encodeModel({ irVersion: 8, opsetImport: [{ version: 17 }] })],
      ['no ir_version', encodeModel({ opsetImport: [{ version: 17 }], graph: { name: 'g' } })],
      ['no opset_import', encodeModel({ irVersion: 8, graph: { name: 'g' } })],
      ['an invalid wire type', new Uint8Array([0x0f, 0x01])],
      ['a length past the end', new Uint8Array([0x3a, 0x7f, 0x0a])],
    ];
    for (const [name, bytes] of cases) {
      const outcome = await actual(writeTemp(bytes));
      expect([name, outcome]).toEqual([name, { rejected: 'OnnxFormatError' }]);
      expect([name, outcome]).toEqual([name, expected(bytes)]);
    }
    await expect(inspectModelFile(writeTemp(new Uint8Array([0x3a, 0x7f, 0x0a])))).rejects.toThrow(
      /truncated: a field runs past the end of the 3 bytes/,
    );
    await expect(
      inspectModelFile(writeTemp(encodeModel({ irVersion: 8, opsetImport: [{ version: 17 }] }))),
    ).rejects.toThrow(/no graph \(ModelProto field 7\)/);
  });

  it('agrees with inspectModel on randomly corrupted models', async () => {
    const models = [buildMlp({ ...MLP_SMALL, hiddenSizes: [4], inputSize: 8 }).bytes, encodeModel(kitchenSinkModel())];
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const bytes = models[i % models.length] ?? new Uint8Array(0);
      const corrupt = Uint8Array.from(bytes);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
        corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256);
      }
      const outcome = await actual(writeTemp(corrupt));
      expect([i, outcome]).toEqual([i, expected(corrupt)]);
      if (!('rejected' in (outcome as object))) accepted++;
    }
    // Most single-byte changes land in weights and leave a valid model.
    expect(accepted).toBeGreaterThan(0);
  });

  it('reads a 200 MB model without holding its weights', async () => {
    const file = path.join(dir, 'large.onnx');
    const parameters = 50 * 1024 * 1024;
    const written = await writeLargeModelFile(file, { parameters });
    expect(fs.statSync(file).size).toBe(written.size);
    expect(written.size).toBeGreaterThan(200 * MB);

    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let signature;
    try {
      signature = await inspectModelFile(file);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = (peak - before) / MB;
    console.log(
      `inspectModelFile of a ${(written.size / MB).toFixed(0)} MB model: RSS growth ${growthMb.toFixed(1)} MB`,
    );
    expect(signature).toMatchObject({
      irVersion: 8,
      graphName: 'big',
      parameterCount: parameters,
      initializerBytes: parameters * 4,
      inputs: [{ name: 'x', datatype: 'FP32', shape: ['batch', parameters] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: ['batch', parameters] }],
    });
    // The goal is < 64 MB for the registry; the margin absorbs the test runner's own allocations.
    expect(growthMb).toBeLessThan(100);
  });

  it('writes a large model that inspectModel reads the same way', async () => {
    const file = path.join(dir, 'medium.onnx');
    const written = await writeLargeModelFile(file, { parameters: 300_001, chunkBytes: 65_537 });
    const bytes = fs.readFileSync(file);
    expect(bytes.length).toBe(written.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(written.sha256);
    expect(await inspectModelFile(file)).toEqual(inspectModel(bytes));
    expect(inspectModel(bytes).parameterCount).toBe(300_001);
  });
});

describe('GraphBuilder models through a file', () => {
  it('match for a model with IR 3 initializers listed as inputs', async () => {
    const model = new GraphBuilder({ irVersion: 3 })
      .addInput('x', 'FLOAT', ['n', 2])
      .addInitializer('w', new Float32Array(4), [2, 2])
      .addNode('MatMul', ['x', 'w'], ['y'])
      .addOutput('y', 'FLOAT', ['n', 2])
      .toModel();
    model.graph?.input?.push({
      name: 'w',
      type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }, { dimValue: 2 }] } } },
    });
    const bytes = encodeModel(model);
    expect(await inspectModelFile(writeTemp(bytes))).toEqual(inspectModel(bytes));
  });
});
