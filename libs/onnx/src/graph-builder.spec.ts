import * as ort from 'onnxruntime-node';
import { attr, createTensor, GraphBuilder, GraphBuilderError } from './graph-builder';
import { decodeModel } from './model-codec';
import { ATTRIBUTE_TYPE, TENSOR_DATA_TYPE } from './onnx-types';

describe('createTensor', () => {
  it('stores typed arrays as little-endian raw_data with the matching type', () => {
    const tensor = createTensor('w', Float32Array.from([1, -2]), [2]);
    expect(tensor.dataType).toBe(TENSOR_DATA_TYPE.FLOAT);
    expect([...(tensor.rawData ?? [])]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    expect(createTensor('i', BigInt64Array.from([1n]), [1]).dataType).toBe(TENSOR_DATA_TYPE.INT64);
    expect(createTensor('u', new BigUint64Array(1), [1]).dataType).toBe(TENSOR_DATA_TYPE.UINT64);
    expect(createTensor('b', Buffer.from([1, 2]), [2]).dataType).toBe(TENSOR_DATA_TYPE.UINT8);
    expect(createTensor('h', new Uint16Array([0x3c00]), [1], 'FLOAT16').dataType).toBe(
      TENSOR_DATA_TYPE.FLOAT16,
    );
  });

  it('copies the data', () => {
    const data = Float32Array.from([1]);
    const tensor = createTensor('w', data, [1]);
    data[0] = 5;
    expect(new Float32Array(tensor.rawData?.slice().buffer ?? new ArrayBuffer(0))[0]).toBe(1);
  });

  it('builds from plain arrays: strings, booleans, numbers with a type', () => {
    const strings = createTensor('s', ['a', 'ß'], [2]);
    expect(strings.dataType).toBe(TENSOR_DATA_TYPE.STRING);
    expect(strings.stringData?.map((s) => Buffer.from(s).toString())).toEqual(['a', 'ß']);
    expect(createTensor('b', [true, false], [2]).rawData).toEqual(new Uint8Array([1, 0]));
    const shape = createTensor('shape', [1, -1], [2], 'INT64');
    expect(shape.dataType).toBe(TENSOR_DATA_TYPE.INT64);
    expect(Array.from(new BigInt64Array(shape.rawData?.slice().buffer ?? new ArrayBuffer(0)))).toEqual([
      1n,
      -1n,
    ]);
  });

  it('rejects data that does not fit', () => {
    expect(() => createTensor('w', new Float32Array(5), [2, 2])).toThrow(
      /dims \[2,2\] need 4 elements, got 5/,
    );
    expect(() => createTensor('w', new Float32Array(2), [2], 'INT64')).toThrow(GraphBuilderError);
    expect(() => createTensor('w', [1, 2], [2])).toThrow(/give elemType/);
    expect(() => createTensor('w', [1, 2], [2], 'FLOAT16')).toThrow(/raw bits/);
    expect(() => createTensor('w', [1.5], [1], 'INT64')).toThrow(/1.5 is not an integer/);
    expect(() => createTensor('w', [], [-1])).toThrow(/dimension -1 is not a size/);
  });
});

describe('GraphBuilder', () => {
  it('writes inputs, outputs, initializers, nodes, attributes and the opset', () => {
    const model = new GraphBuilder({ graphName: 'g', opsetVersion: 13 })
      .addInput('x', 'FLOAT', ['batch', 2])
      .addInitializer('w', new Float32Array(4), [2, 2])
      .addNode('Gemm', ['x', 'w'], ['y'], {
        name: 'gemm',
        attributes: {
          alpha: attr.float(0.5),
          transB: attr.int(1),
          perm: attr.ints([1, 0]),
          tags: attr.strings(['a']),
        },
      })
      .addOutput('y', 'FLOAT', ['batch', 2])
      .setOpset(3, 'ai.onnx.ml')
      .setMetadata('k', 'v')
      .toModel();
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([
      { domain: '', version: 13 },
      { domain: 'ai.onnx.ml', version: 3 },
    ]);
    expect(model.metadataProps).toEqual([{ key: 'k', value: 'v' }]);
    expect(model.graph?.input?.map((input) => input.name)).toEqual(['x']);
    const node = model.graph?.node?.[0];
    expect(node?.name).toBe('gemm');
    expect(node?.attribute).toEqual([
      { name: 'alpha', type: ATTRIBUTE_TYPE.FLOAT, f: 0.5 },
      { name: 'transB', type: ATTRIBUTE_TYPE.INT, i: 1 },
      { name: 'perm', type: ATTRIBUTE_TYPE.INTS, ints: [1, 0] },
      { name: 'tags', type: ATTRIBUTE_TYPE.STRINGS, strings: [new TextEncoder().encode('a')] },
    ]);
    expect(model.graph?.input?.[0]?.type?.tensorType?.shape?.dim).toEqual([
      { dimParam: 'batch' },
      { dimValue: 2 },
    ]);
  });

  it('gives the same bytes for the same calls', () => {
    const build = (): Uint8Array =>
      new GraphBuilder()
        .addInput('x', 'INT32', [3])
        .addNode('Neg', ['x'], ['y'])
        .addOutput('y', 'INT32', [3])
        .toBytes();
    expect(Buffer.from(build()).equals(Buffer.from(build()))).toBe(true);
    expect(decodeModel(build()).graph?.node?.[0]?.opType).toBe('Neg');
  });

  it('rejects duplicate names', () => {
    const builder = new GraphBuilder().addInput('x', 'FLOAT', [1]);
    expect(() => builder.addInput('x', 'FLOAT', [1])).toThrow(/"x": the name is already used/);
    expect(() => builder.addInitializer('x', new Float32Array(1), [1])).toThrow(GraphBuilderError);
    builder.addOutput('x', 'FLOAT', [1]);
    expect(() => builder.addOutput('x', 'FLOAT', [1])).toThrow(/declared twice/);
  });

  it('rejects a node that reads a value nothing produced yet', () => {
    const builder = new GraphBuilder()
      .addInput('x', 'FLOAT', [1])
      .addNode('Relu', ['h'], ['y'])
      .addNode('Relu', ['x'], ['h'])
      .addOutput('y', 'FLOAT', [1]);
    expect(() => builder.toBytes()).toThrow(/node "Relu_0" \(Relu\): input "h" is not a graph input/);
  });

  it('rejects an output no node produces, and a value produced twice', () => {
    const missing = new GraphBuilder().addInput('x', 'FLOAT', [1]).addOutput('y', 'FLOAT', [1]);
    expect(() => missing.toModel()).toThrow(/output "y" is not produced/);
    const twice = new GraphBuilder().addInput('x', 'FLOAT', [1]).addNode('Relu', ['x'], ['x']);
    expect(() => twice.toModel()).toThrow(/output "x" is already defined/);
  });

  it('rejects non-integer sizes and attribute ints', () => {
    expect(() => new GraphBuilder().addInput('x', 'FLOAT', [1.5])).toThrow(/dimension 1.5 is not a size/);
    expect(() => new GraphBuilder().addNode('Relu', [], [], { attributes: { k: attr.int(0.5) } })).toThrow(
      /attribute "k": 0.5 is not an integer/,
    );
  });

  it('builds a model onnxruntime runs: Constant from a tensor attribute, Gemm with float and int attributes', async () => {
    const bytes = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 2])
      .addNode('Constant', [], ['w'], {
        attributes: { value: attr.tensor(createTensor('w', Float32Array.from([1, 2, 3, 4]), [2, 2])) },
      })
      .addNode('Gemm', ['x', 'w'], ['y'], { attributes: { alpha: attr.float(0.5), transB: attr.int(1) } })
      .addOutput('y', 'FLOAT', ['batch', 2])
      .toBytes();
    const session = await ort.InferenceSession.create(bytes);
    try {
      const result = await session.run({
        x: new ort.Tensor('float32', Float32Array.from([1, 1, 2, 0]), [2, 2]),
      });
      // y = 0.5 · x · wᵀ, w = [[1, 2], [3, 4]]
      expect(Array.from(result.y?.data as Float32Array)).toEqual([1.5, 3.5, 1, 3]);
    } finally {
      await session.release();
    }
  });
});
