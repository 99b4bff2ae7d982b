import {
  PassSettingsError,
  buildConvNet,
  decodeModel,
  generateInputs,
  inspectModel,
  validateCandidate,
} from '@aiaas/onnx';
import type { ValidationSample } from '@aiaas/onnx';
import { findJobPass } from './job-passes';
import type { JobPassContext } from './job-passes';

// A small CNN_BENCH-like network: quick to calibrate, still Conv → Conv → Flatten → Gemm → Gemm.
const model = buildConvNet({
  channels: 3,
  height: 16,
  width: 16,
  convLayers: [
    { outChannels: 16, kernel: 3, pad: 1 },
    { outChannels: 32, kernel: 3, stride: 2, pad: 1 },
  ],
  hiddenSizes: [128],
  classes: 10,
});

const opTypesOf = (bytes: Uint8Array): string[] =>
  (decodeModel(bytes).graph?.node ?? []).map((node) => node.opType ?? '');

function contextWith(calibration: () => readonly ValidationSample[]): JobPassContext & { calls: number } {
  const context = {
    calls: 0,
    isCancelled: () => false,
    calibrationInputs: () => {
      context.calls++;
      return calibration();
    },
  };
  return context;
}

const generated = (seed: number): ValidationSample[] =>
  [0, 1].map((i) => generateInputs(inspectModel(model.bytes), { batchSize: 8, seed: seed + i }));

describe('quantize-int8 in the pass runner', () => {
  it("conv 'static': QLinearConv calibrated on the job's inputs, then int8 Gemms, one report; validates", async () => {
    const context = contextWith(() => generated(500));
    const { bytes, report } = await findJobPass('quantize-int8')(
      model.bytes,
      { conv: 'static', perChannel: true },
      context,
    );
    expect(context.calls).toBe(1);
    expect(opTypesOf(bytes)).not.toContain('Conv');
    expect(opTypesOf(bytes).filter((op) => op === 'QLinearConv')).toHaveLength(2);
    expect(opTypesOf(bytes)).not.toContain('Gemm');
    expect(report).toMatchObject({
      pass: 'quantize-int8',
      settings: { perChannel: true, conv: 'static' },
      sizeBefore: model.bytes.byteLength,
      sizeAfter: bytes.byteLength,
      changedNodes: ['conv1', 'conv2', 'fc1', 'fc2'],
      skippedNodes: [],
      convCalibration: { perChannel: true, minElements: 0, calibrationBatches: 2 },
    });
    expect((report['notes'] as string[]).join('\n')).toMatch(/QLinearConv/);
    expect(model.bytes.byteLength / bytes.byteLength).toBeGreaterThanOrEqual(3.5);
    // The job's gate, on inputs the calibration did not see (validation's own seeds).
    const validation = await validateCandidate(model.bytes, bytes, { thresholds: { minCosine: 0.99 } });
    expect(validation.failures).toEqual([]);
    expect(validation.passed).toBe(true);
  });

  it("conv 'dynamic' is ConvInteger; without conv the Convs stay float and no calibration is asked for", async () => {
    const never = contextWith(() => {
      throw new Error('calibration inputs must not be needed');
    });
    const dynamic = await findJobPass('quantize-int8')(model.bytes, { conv: 'dynamic' }, never);
    expect(opTypesOf(dynamic.bytes)).toContain('ConvInteger');
    const plain = await findJobPass('quantize-int8')(model.bytes, {}, never);
    expect(opTypesOf(plain.bytes).filter((op) => op === 'Conv')).toHaveLength(2);
    expect(never.calls).toBe(0);
  });

  it('fails with PassSettingsError (no retry) on contradictory settings or calibration inputs the model cannot take', async () => {
    const context = contextWith(() => generated(1));
    await expect(
      findJobPass('quantize-int8')(model.bytes, { conv: 'static', opTypes: ['Conv'] }, context),
    ).rejects.toThrow(/conv 'static' and 'Conv' in opTypes exclude each other/);
    await expect(findJobPass('quantize-int8')(model.bytes, { conv: 'int4' }, context)).rejects.toThrow(
      PassSettingsError,
    );
    const wrongName = contextWith(() => [{ pixels: generated(1)[0]!['image']! }]);
    const attempt = findJobPass('quantize-int8')(model.bytes, { conv: 'static' }, wrongName);
    await expect(attempt).rejects.toThrow(PassSettingsError);
    await expect(findJobPass('quantize-int8')(model.bytes, { conv: 'static' }, wrongName)).rejects.toThrow(
      /calibration\[0\]: onnxruntime could not run the model/,
    );
  });

  it('prune passes convChannels through', async () => {
    const context = contextWith(() => []);
    const { bytes, report } = await findJobPass('prune')(
      model.bytes,
      { mode: 'structured', sparsity: 0.5, convChannels: true },
      context,
    );
    expect(report['changedNodes']).toEqual(['conv1', 'conv2', 'fc1', 'fc2']);
    const weights = Object.fromEntries(
      (decodeModel(bytes).graph?.initializer ?? []).map((t) => [t.name, (t.dims ?? []).map(Number)]),
    );
    expect(weights['conv2.weight']).toEqual([16, 8, 3, 3]);
    expect(weights['fc1.weight']).toEqual([64, 16 * 8 * 8]);
  });
});
