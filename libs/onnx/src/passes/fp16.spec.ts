import * as ort from 'onnxruntime-node';
import { attr, GraphBuilder } from '../graph-builder';
import { inspectModel } from '../inspect-model';
import { decodeModel } from '../model-codec';
import { TENSOR_DATA_TYPE } from '../onnx-types';
import { mulberry32, uniformFloat32 } from '../prng';
import { buildCnn } from '../models/cnn';
import { buildMlp, MLP_SMALL } from '../models/mlp';
import { buildMultiIoModel } from '../models/multi-io-model';
import { convertFp16 } from './fp16';
import { PassSettingsError } from './pass';

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const outputs = await session.run(feeds);
    return outputs[session.outputNames[0]!]!;
  } finally {
    await session.release();
  }
}

function maxAbsError(a: Float32Array, b: Float32Array): number {
  return Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));
}

// onnxruntime-node 1.30's CPU provider loads and runs these float16 graphs: where an op has no
// float16 CPU kernel, onnxruntime inserts its own Casts to float32 around it, so the numbers are
// float16-rounded but the speed is not float16's (that gain is on GPUs).
describe('convertFp16', () => {
  it('converts the MLP to float16 with float32 IO, within float16 tolerance', async () => {
    const mlp = buildMlp(MLP_SMALL);
    const { bytes, report } = convertFp16(mlp.bytes);
    const model = decodeModel(bytes);
    expect(model.graph!.initializer!.every((t) => t.dataType === TENSOR_DATA_TYPE.FLOAT16)).toBe(true);
    const signature = inspectModel(bytes);
    expect(signature.inputs.map((i) => i.datatype)).toEqual(['FP32']);
    expect(signature.outputs.map((o) => o.datatype)).toEqual(['FP32']);
    expect(report.changedNodes).toContain('MatMul_0');
    expect(report.sizeAfter).toBeLessThan(report.sizeBefore * 0.6);

    const input = new ort.Tensor('float32', uniformFloat32(mulberry32(3), 8 * 64, 1), [8, 64]);
    const expected = (await run(mlp.bytes, { input })).data as Float32Array;
    const actual = await run(bytes, { input });
    expect(actual.type).toBe('float32');
    const range = Math.max(...expected) - Math.min(...expected);
    const error = maxAbsError(expected, actual.data as Float32Array);
    console.log(`fp16 MLP-small: max abs error ${error.toExponential(3)} (range ${range.toFixed(3)})`);
    expect(error).toBeLessThanOrEqual(1e-2 * range);
  });

  it('converts the CNN (Conv, MaxPool, GlobalAveragePool, Gemm) and it runs on CPU', async () => {
    const cnn = buildCnn();
    const { bytes } = convertFp16(cnn.bytes);
    const image = new ort.Tensor('float32', uniformFloat32(mulberry32(5), 2 * 3 * 64 * 64, 1), [2, 3, 64, 64]);
    const expected = (await run(cnn.bytes, { image })).data as Float32Array;
    const actual = await run(bytes, { image });
    expect(actual.type).toBe('float32');
    expect(actual.dims).toEqual([2, 10]);
    const range = Math.max(...expected) - Math.min(...expected);
    const error = maxAbsError(expected, actual.data as Float32Array);
    console.log(`fp16 CNN: max abs error ${error.toExponential(3)} (range ${range.toFixed(3)})`);
    expect(error).toBeLessThanOrEqual(1e-2 * range);
  });

  it('keeps blocked ops in float32 with Casts around them', async () => {
    const mlp = buildMlp(MLP_SMALL);
    const { bytes, report } = convertFp16(mlp.bytes, { blockList: ['Relu'] });
    expect(report.skippedNodes).toEqual([
      { name: 'Relu_2', opType: 'Relu', reason: 'in the block list; kept float32' },
    ]);
    const nodes = decodeModel(bytes).graph!.node!;
    const relu = nodes.find((n) => n.opType === 'Relu')!;
    const producer = nodes.find((n) => n.output!.includes(relu.input![0]!))!;
    expect(producer.opType).toBe('Cast');
    expect(producer.attribute![0]!.i).toBe(TENSOR_DATA_TYPE.FLOAT);
    const input = new ort.Tensor('float32', new Float32Array(64).fill(0.25), [1, 64]);
    expect((await run(bytes, { input })).dims).toEqual([1, 10]);
  });

  it('makes IO float16 when keepIoTypes is false', async () => {
    const { bytes } = convertFp16(buildMlp(MLP_SMALL).bytes, { keepIoTypes: false });
    const signature = inspectModel(bytes);
    expect(signature.inputs[0]!.datatype).toBe('FP16');
    expect(signature.outputs[0]!.datatype).toBe('FP16');
    const input = new ort.Tensor('float16', new Uint16Array(64).fill(0x3c00), [1, 64]);
    expect((await run(bytes, { input })).type).toBe('float16');
  });

  it('switches Cast targets, Constant tensors and ConstantOfShape values to float16', async () => {
    const model = new GraphBuilder()
      .addInput('x', 'FLOAT', ['batch', 4])
      .addInput('n', 'INT64', ['batch', 4])
      .addNode('Constant', [], ['c'], { attributes: { value_floats: attr.floats([1, 2, 3, 4]) } })
      .addNode('Add', ['x', 'c'], ['xc'])
      .addNode('Shape', ['x'], ['shape'])
      .addNode('ConstantOfShape', ['shape'], ['zeros'])
      .addNode('Add', ['xc', 'zeros'], ['xz'])
      .addNode('Cast', ['n'], ['nf'], { attributes: { to: attr.int(TENSOR_DATA_TYPE.FLOAT) } })
      .addNode('Mul', ['xz', 'nf'], ['y'])
      .addOutput('y', 'FLOAT', ['batch', 4])
      .toBytes();
    const { bytes } = convertFp16(model);
    const nodes = decodeModel(bytes).graph!.node!;
    expect(nodes.find((n) => n.opType === 'Constant')!.attribute![0]!.t!.dataType).toBe(TENSOR_DATA_TYPE.FLOAT16);
    expect(nodes.find((n) => n.opType === 'ConstantOfShape')!.attribute![0]!.t!.dataType).toBe(
      TENSOR_DATA_TYPE.FLOAT16,
    );
    expect(nodes.find((n) => n.opType === 'Cast' && n.input?.[0] === 'n')!.attribute![0]!.i).toBe(
      TENSOR_DATA_TYPE.FLOAT16,
    );
    const feeds = {
      x: new ort.Tensor('float32', Float32Array.from([0.5, 1, 1.5, 2]), [1, 4]),
      n: new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 3n, 4n]), [1, 4]),
    };
    const y = await run(bytes, feeds);
    expect(Array.from(y.data as Float32Array)).toEqual([1.5, 6, 13.5, 24]);
  });

  it('leaves non-float parts of a multi-input model working', async () => {
    const { bytes } = convertFp16(buildMultiIoModel().bytes);
    const session = await ort.InferenceSession.create(bytes);
    try {
      const out = await session.run({
        a: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]),
        b: new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 3n, 4n]), [1, 4]),
        flag: new ort.Tensor('bool', Uint8Array.from([1]), [1, 1]),
      });
      expect(Array.from(out.sum!.data as Float32Array)).toEqual([2, 4, 6, 8]);
      expect(Array.from(out.b_doubled!.data as BigInt64Array)).toEqual([2n, 4n, 6n, 8n]);
    } finally {
      await session.release();
    }
  });

  it('rejects bad settings with PassSettingsError', () => {
    const bytes = buildMlp(MLP_SMALL).bytes;
    expect(() => convertFp16(bytes, { blockList: 'Relu' as unknown as string[] })).toThrow(PassSettingsError);
    expect(() => convertFp16(bytes, { keepIoTypes: 'yes' as unknown as boolean })).toThrow(PassSettingsError);
  });
});
