import { GraphBuilder } from './graph-builder';
import { inspectModel } from './inspect-model';
import { decodeModel, encodeModel } from './model-codec';
import { OnnxFormatError } from './onnx-format-error';
import { TENSOR_DATA_LOCATION, TENSOR_DATA_TYPE } from './onnx-types';
import type { ModelProto } from './onnx-types';
import { buildCnn } from './models/cnn';
import { buildIdentityModel } from './models/identity-model';
import { buildFixedBatchModel, buildMlp, MLP_LARGE, MLP_SMALL } from './models/mlp';
import { buildMultiIoModel } from './models/multi-io-model';
import { buildStringModel } from './models/string-model';

describe('inspectModel', () => {
  it('describes the small MLP', () => {
    const signature = inspectModel(buildMlp(MLP_SMALL).bytes);
    expect(signature).toMatchObject({
      irVersion: 8,
      opsets: [{ domain: 'ai.onnx', version: 17 }],
      producerName: '@aiaas/onnx',
      producerVersion: '0.1.0',
      graphName: 'mlp',
      inputs: [{ name: 'input', onnxType: 'FLOAT', datatype: 'FP32', shape: ['batch', 64], rankKnown: true }],
      outputs: [
        { name: 'output', onnxType: 'FLOAT', datatype: 'FP32', shape: ['batch', 10], rankKnown: true },
      ],
      unsupported: [],
      externalDataLocations: [],
    });
    // 64·64 + 64 + 64·10 + 10
    expect(signature.parameterCount).toBe(4810);
    expect(signature.initializerBytes).toBe(4810 * 4);
  });

  it('counts the large MLP parameters', () => {
    const signature = inspectModel(buildMlp(MLP_LARGE).bytes);
    expect(signature.parameterCount).toBe(3 * (1024 * 1024 + 1024) + 1024 * 10 + 10);
    expect(signature.inputs[0]?.shape).toEqual(['batch', 1024]);
  });

  it('describes the CNN', () => {
    const signature = inspectModel(buildCnn().bytes);
    expect(signature.inputs).toEqual([
      { name: 'image', onnxType: 'FLOAT', datatype: 'FP32', shape: ['batch', 3, 64, 64], rankKnown: true },
    ]);
    expect(signature.outputs).toEqual([
      { name: 'logits', onnxType: 'FLOAT', datatype: 'FP32', shape: ['batch', 10], rankKnown: true },
    ]);
    // conv1 8·3·9 + 8, conv2 16·8·9 + 16, fc 10·16 + 10
    expect(signature.parameterCount).toBe(224 + 1168 + 170);
  });

  it('describes the multi-input model', () => {
    const signature = inspectModel(buildMultiIoModel().bytes);
    expect(
      signature.inputs.map(({ name, onnxType, datatype, shape }) => [name, onnxType, datatype, shape]),
    ).toEqual([
      ['a', 'FLOAT', 'FP32', ['batch', 4]],
      ['b', 'INT64', 'INT64', ['batch', 4]],
      ['flag', 'BOOL', 'BOOL', ['batch', 1]],
    ]);
    expect(signature.outputs.map(({ name, datatype, shape }) => [name, datatype, shape])).toEqual([
      ['sum', 'FP32', ['batch', 4]],
      ['b_doubled', 'INT64', ['batch', 4]],
      ['not_flag', 'BOOL', ['batch', 1]],
    ]);
    expect(signature.parameterCount).toBe(0);
  });

  it('describes the string model; its shape constants are not inputs', () => {
    const signature = inspectModel(buildStringModel().bytes);
    expect(signature.inputs).toEqual([
      { name: 'text', onnxType: 'STRING', datatype: 'BYTES', shape: ['batch', 1], rankKnown: true },
    ]);
    expect(signature.outputs.map((output) => [output.name, output.datatype])).toEqual([
      ['text_out', 'BYTES'],
      ['upper', 'BYTES'],
    ]);
    expect(signature.parameterCount).toBe(4);
    expect(signature.initializerBytes).toBe(32);
  });

  it('describes every identity datatype, BF16 included', () => {
    const signature = inspectModel(buildIdentityModel(['FP16', 'BF16', 'UINT64', 'BYTES']).bytes);
    expect(
      signature.inputs.map((input) => [input.name, input.onnxType, input.datatype, input.shape]),
    ).toEqual([
      ['in_fp16', 'FLOAT16', 'FP16', ['batch', 3]],
      ['in_bf16', 'BFLOAT16', 'BF16', ['batch', 3]],
      ['in_uint64', 'UINT64', 'UINT64', ['batch', 3]],
      ['in_bytes', 'STRING', 'BYTES', ['batch', 3]],
    ]);
    expect(signature.outputs.map((output) => output.name)).toEqual([
      'out_fp16',
      'out_bf16',
      'out_uint64',
      'out_bytes',
    ]);
  });

  it('shows a fixed first dimension as a number', () => {
    const signature = inspectModel(buildFixedBatchModel().bytes);
    expect(signature.inputs[0]?.shape).toEqual([1, 8]);
    expect(signature.outputs[0]?.shape).toEqual([1, 4]);
  });

  it('leaves out graph inputs that are initializers (models older than IR 4 list both)', () => {
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
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.graph?.input?.map((input) => input.name)).toEqual(['x', 'w']);
    expect(inspectModel(encodeModel(model)).inputs.map((input) => input.name)).toEqual(['x']);
  });

  it("reports '?' for a dimension with neither size nor name, and an unknown rank", () => {
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['?', 3, 'seq'])
      .addNode('Identity', ['x'], ['y'])
      .addOutput('y', 'FLOAT')
      .toBytes();
    const signature = inspectModel(bytes);
    expect(signature.inputs[0]).toMatchObject({ shape: ['?', 3, 'seq'], rankKnown: true });
    expect(signature.outputs[0]).toMatchObject({ shape: [], rankKnown: false });
  });

  it('lists inputs and outputs the protocol cannot carry', () => {
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ version: 17 }, { domain: 'ai.onnx.ml', version: 3 }],
      graph: {
        input: [
          {
            name: 'x',
            type: { tensorType: { elemType: TENSOR_DATA_TYPE.FLOAT, shape: { dim: [{ dimValue: 1 }] } } },
          },
          { name: 'c', type: { tensorType: { elemType: TENSOR_DATA_TYPE.COMPLEX64, shape: { dim: [] } } } },
        ],
        output: [
          {
            name: 'probabilities',
            type: {
              sequenceType: {
                elemType: { mapType: { keyType: 7, valueType: { tensorType: { elemType: 1 } } } },
              },
            },
          },
          { name: 'untyped' },
        ],
      },
    };
    const signature = inspectModel(model);
    expect(signature.opsets).toEqual([
      { domain: 'ai.onnx', version: 17 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    expect(signature.inputs.map((input) => input.name)).toEqual(['x']);
    expect(signature.outputs).toEqual([]);
    expect(signature.unsupported).toEqual([
      {
        name: 'c',
        role: 'input',
        type: 'tensor(COMPLEX64)',
        reason: 'element type COMPLEX64 has no KServe V2 datatype',
      },
      {
        name: 'probabilities',
        role: 'output',
        type: 'sequence(map(INT64, tensor(FLOAT)))',
        reason: 'not a tensor',
      },
      { name: 'untyped', role: 'output', type: 'unknown', reason: 'the model gives no type' },
    ]);
  });

  it('lists external data locations once each, including those in subgraphs', () => {
    const external = (name: string, location: string) => ({
      name,
      dims: [256, 4],
      dataType: TENSOR_DATA_TYPE.FLOAT16,
      dataLocation: TENSOR_DATA_LOCATION.EXTERNAL,
      externalData: [
        { key: 'location', value: location },
        { key: 'offset', value: '4096' },
      ],
    });
    const model: ModelProto = {
      irVersion: 8,
      opsetImport: [{ version: 17 }],
      metadataProps: [{ key: 'license', value: 'MIT' }],
      graph: {
        initializer: [
          external('a', 'weights.bin'),
          external('b', 'weights.bin'),
          external('c', 'more/extra.bin'),
        ],
        node: [
          {
            opType: 'If',
            attribute: [{ name: 'then_branch', g: { initializer: [external('d', 'branch.bin')] } }],
          },
        ],
      },
    };
    const signature = inspectModel(encodeModel(model));
    expect(signature.externalDataLocations).toEqual(['weights.bin', 'more/extra.bin', 'branch.bin']);
    expect(signature.parameterCount).toBe(3 * 1024);
    expect(signature.initializerBytes).toBe(3 * 1024 * 2);
    expect(signature.metadata).toEqual({ license: 'MIT' });
  });

  it('throws OnnxFormatError for bytes that are not a model', () => {
    expect(() => inspectModel(new Uint8Array([1, 2, 3]))).toThrow(OnnxFormatError);
  });
});
