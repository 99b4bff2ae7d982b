import { GraphBuilder } from '../graph-builder';
import { decodeModel, encodeModel } from '../model-codec';
import { buildCnn } from '../models/cnn';
import { buildMlp, MLP_SMALL } from '../models/mlp';
import { convertFp16 } from './fp16';
import { readFloat32Tensor, littleEndianBytes } from './fp16-weights';
import { PassSettingsError } from './pass';
import { validateCandidate } from './validate';
import type { ValidationThresholds } from './validate';

const STRICT: ValidationThresholds = {
  maxAbsError: 1e-3,
  meanRelError: 1e-3,
  minCosine: 0.999,
  minTop1Agreement: 0.99,
};

/** The MLP with its first weight scaled by `factor`. */
function scaledMlp(factor: number): Uint8Array {
  const model = decodeModel(buildMlp(MLP_SMALL).bytes);
  const weight = model.graph!.initializer![0]!;
  weight.rawData = littleEndianBytes(readFloat32Tensor(weight).map((v) => v * factor));
  return encodeModel(model);
}

/** y = op(x) on [batch, 4] float32. */
function unary(op: string): Uint8Array {
  return new GraphBuilder()
    .addInput('x', 'FLOAT', ['batch', 4])
    .addNode(op, ['x'], ['y'])
    .addOutput('y', 'FLOAT', ['batch', 4])
    .toBytes();
}

describe('validateCandidate', () => {
  it('passes identical models with cosine 1 and reports top-1 agreement for classifier outputs', async () => {
    const bytes = buildMlp(MLP_SMALL).bytes;
    const result = await validateCandidate(bytes, bytes, { thresholds: STRICT });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.metrics.output).toEqual({
      maxAbsError: 0,
      meanRelError: 0,
      cosine: expect.closeTo(1, 12),
      top1Agreement: 1,
    });
  });

  it('fails a damaged candidate, naming the output, metric, value and threshold', async () => {
    const result = await validateCandidate(buildMlp(MLP_SMALL).bytes, scaledMlp(-1), {
      thresholds: STRICT,
      samples: 2,
    });
    expect(result.passed).toBe(false);
    expect(result.metrics.output!.cosine).toBeLessThan(0.99);
    expect(result.failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^output "output": maxAbsError [\d.e+-]+ > threshold 0\.001$/),
        expect.stringMatching(/^output "output": meanRelError [\d.e+-]+ > threshold 0\.001$/),
        expect.stringMatching(/^output "output": cosine [\d.e+-]+ < threshold 0\.999$/),
        expect.stringMatching(/^output "output": top1Agreement [\d.e+-]+ < threshold 0\.99$/),
      ]),
    );
  });

  it('honours a user dataset instead of generated inputs', async () => {
    // Relu and Identity agree on non-negative inputs only; generated inputs are in [-1, 1).
    const generated = await validateCandidate(unary('Relu'), unary('Identity'), { thresholds: { maxAbsError: 0 } });
    expect(generated.passed).toBe(false);
    const dataset = [{ x: { datatype: 'FP32' as const, shape: [2, 4], data: [0, 1, 2, 3, 4, 5, 6, 7] } }];
    const result = await validateCandidate(unary('Relu'), unary('Identity'), {
      inputs: dataset,
      thresholds: { maxAbsError: 0 },
    });
    expect(result.failures).toEqual([]);
    expect(result.metrics.y).toMatchObject({ maxAbsError: 0, cosine: 1 });
  });

  it('reports a signature mismatch as a failure', async () => {
    const result = await validateCandidate(buildMlp(MLP_SMALL).bytes, buildCnn().bytes, { thresholds: STRICT });
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([
      'input "input": missing from the candidate',
      'input "image": the candidate needs an input the source does not have',
      'output "output": missing from the candidate',
    ]);
  });

  it('reports changed input/output datatypes as a failure', async () => {
    const source = buildMlp(MLP_SMALL).bytes;
    const candidate = convertFp16(source, { keepIoTypes: false }).bytes;
    const result = await validateCandidate(source, candidate, { thresholds: STRICT });
    expect(result.failures).toEqual([
      'input "input": expected FP32, candidate has FP16',
      'output "output": expected FP32, candidate has FP16',
    ]);
  });

  it('reports a candidate that is not a model as a failure', async () => {
    const result = await validateCandidate(buildMlp(MLP_SMALL).bytes, new Uint8Array([1, 2, 3]), {
      thresholds: STRICT,
    });
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toMatch(/^candidate: not a valid ONNX model/);
  });

  it('rejects bad options with PassSettingsError', async () => {
    const bytes = buildMlp(MLP_SMALL).bytes;
    await expect(validateCandidate(bytes, bytes, { thresholds: { minCosine: -1 } })).rejects.toThrow(PassSettingsError);
    await expect(validateCandidate(bytes, bytes, { samples: 0, thresholds: {} })).rejects.toThrow(PassSettingsError);
    await expect(
      validateCandidate(bytes, bytes, { thresholds: { cosine: 1 } as unknown as ValidationThresholds }),
    ).rejects.toThrow(PassSettingsError);
  });
});
