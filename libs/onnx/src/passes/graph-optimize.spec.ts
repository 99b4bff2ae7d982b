import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '../model-codec';
import { mulberry32, uniformFloat32 } from '../prng';
import { buildCnn } from '../models/cnn';
import { buildMlp, MLP_LARGE, MLP_SMALL } from '../models/mlp';
import { graphOptimize } from './graph-optimize';
import { PassSettingsError } from './pass';
import { quantizeInt8 } from './quantize-int8';

async function runModel(bytes: Uint8Array, input: string, data: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const outputs = await session.run({ [input]: new ort.Tensor('float32', data, dims) });
    return outputs[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
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

const inputs = (dims: number[], seed = 7): Float32Array =>
  uniformFloat32(
    mulberry32(seed),
    dims.reduce((a, b) => a * b, 1),
    1,
  );

const domainsAndOps = (bytes: Uint8Array): string[] =>
  (decodeModel(bytes).graph?.node ?? []).map((node) => `${node.domain ?? ''}:${node.opType ?? ''}`);

describe('graphOptimize', () => {
  let tempDir: string;
  beforeEach(() => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-optimize-spec-'));
  });
  afterEach(() => {
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  describe.each([
    { label: 'MLP-small', model: buildMlp(MLP_SMALL), dims: [32, 64] },
    { label: 'MLP-large', model: buildMlp(MLP_LARGE), dims: [32, 1024] },
    { label: 'CNN', model: buildCnn(), dims: [4, 3, 64, 64] },
  ])('$label', ({ model, dims }) => {
    const data = inputs(dims);
    let reference: Float32Array;
    beforeAll(async () => {
      reference = await runModel(model.bytes, model.inputNames[0]!, data, dims);
    });

    it.each(['basic', 'extended'] as const)('%s: loads, gives the same outputs, leaves no temp file', async (level) => {
      const { bytes, report } = await graphOptimize(model.bytes, { level }, { tempDir });
      const output = await runModel(bytes, model.inputNames[0]!, data, dims);

      expect(maxAbsDiff(reference, output)).toBeLessThanOrEqual(1e-5);
      expect(report).toMatchObject({ pass: 'graph-optimize', settings: { level }, sizeBefore: model.bytes.length });
      expect(report.sizeAfter).toBe(bytes.length);
      expect(fs.readdirSync(tempDir)).toEqual([]);
    });
  });

  it('fuses MatMul + Add at basic and into com.microsoft operators at extended, and says so', async () => {
    const source = buildMlp(MLP_SMALL).bytes;
    const basic = await graphOptimize(source, { level: 'basic' }, { tempDir });
    expect(domainsAndOps(basic.bytes)).toEqual([':Gemm', ':Relu', ':Gemm']);
    expect(basic.report.changedNodes).toEqual(['MatMul_0', 'Add_1', 'MatMul_3', 'Add_4']);

    const extended = await graphOptimize(source, { level: 'extended' }, { tempDir });
    expect(domainsAndOps(extended.bytes)).toContain('com.microsoft:FusedGemm');
    expect(extended.report.notes.join('\n')).toMatch(/same kind of hardware/);
    expect(extended.report.notes.join('\n')).toMatch(/com\.microsoft operators in the result: FusedGemm/);
  });

  it('uses os.tmpdir() by default and cleans up there too', async () => {
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('graph-optimize-'));
    await graphOptimize(buildMlp(MLP_SMALL).bytes, { level: 'basic' });
    const after = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('graph-optimize-'));
    expect(after.filter((name) => !before.includes(name))).toEqual([]);
  });

  it('removes the temp folder when onnxruntime rejects the model', async () => {
    await expect(graphOptimize(new Uint8Array([1, 2, 3, 4]), { level: 'basic' }, { tempDir })).rejects.toThrow();
    expect(fs.readdirSync(tempDir)).toEqual([]);
  });

  it.each([{ level: 'all' }, { level: 'layout' }, {}, { level: 'basic', extra: 1 }, null])(
    'rejects settings %j with PassSettingsError',
    async (settings) => {
      const attempt = graphOptimize(buildMlp(MLP_SMALL).bytes, settings as never, { tempDir });
      await expect(attempt).rejects.toThrow(PassSettingsError);
      await expect(attempt).rejects.toMatchObject({ name: 'PassSettingsError' });
      expect(fs.readdirSync(tempDir)).toEqual([]);
    },
  );

  describe('after quantizeInt8', () => {
    const model = buildMlp(MLP_LARGE);
    const dims = [64, 1024];
    const data = inputs(dims, 3);

    it.each(['basic', 'extended'] as const)('%s: still loads, small and close to the float source', async (level) => {
      const quantized = quantizeInt8(model.bytes, { perChannel: true });
      const { bytes, report } = await graphOptimize(quantized.bytes, { level }, { tempDir });
      const reference = await runModel(model.bytes, 'input', data, dims);
      const quantizedOutput = await runModel(quantized.bytes, 'input', data, dims);
      const output = await runModel(bytes, 'input', data, dims);

      // Measured ≈ 0.99994; 0.999 leaves margin above the 0.99 goal.
      expect(cosine(reference, output)).toBeGreaterThanOrEqual(0.999);
      // Fusion does not change the int8 arithmetic beyond float rounding.
      expect(cosine(quantizedOutput, output)).toBeGreaterThanOrEqual(0.99999);
      expect(model.bytes.length / report.sizeAfter).toBeGreaterThanOrEqual(3.5);
      if (level === 'extended') expect(domainsAndOps(bytes)).toContain('com.microsoft:DynamicQuantizeMatMul');
      expect(fs.readdirSync(tempDir)).toEqual([]);
    });
  });
});
