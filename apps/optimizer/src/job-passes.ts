import {
  PassSettingsError,
  benchmarkModel,
  convertFp16,
  convertFp16Weights,
  graphOptimize,
  prune,
  quantizeInt8,
  quantizeInt8StaticConv,
} from '@aiaas/onnx';
import type {
  Fp16Settings,
  Fp16WeightsSettings,
  GraphOptimizeSettings,
  PruneSettings,
  QuantizeInt8Settings,
  ValidationSample,
} from '@aiaas/onnx';

/** One pass's outcome: the model bytes after it, and its report (JSON-able). */
export interface JobPassOutput {
  bytes: Uint8Array;
  report: Record<string, unknown>;
}

/** What a pass may ask of the job it runs in. */
export interface JobPassContext {
  /** Lets long async passes stop early. */
  isCancelled(): boolean;
  /**
   * Model inputs like the served ones, for passes that calibrate (quantize-int8 with conv
   * 'static'): the job's validation dataset when it has one, else inputs generated from the
   * source's signature (other seeds than the validation's own).
   */
  calibrationInputs(): readonly ValidationSample[];
}

/** A pass as the worker runs it. */
export type JobPassFn = (
  bytes: Uint8Array,
  settings: Record<string, unknown>,
  context: JobPassContext,
) => Promise<JobPassOutput>;

/** quantize-int8 settings as a job gives them: the library's, plus how Conv is quantized. */
type JobQuantizeInt8Settings = QuantizeInt8Settings & { conv?: 'dynamic' | 'static' };

/**
 * quantize-int8 with its `conv` setting: 'dynamic' adds Conv to the operators (ConvInteger);
 * 'static' first turns the Convs into QLinearConv calibrated on the job's inputs, then quantizes
 * the MatMul/Gemm layers dynamically, and reports both steps as one pass.
 */
async function quantizeInt8Job(bytes: Uint8Array, settings: JobQuantizeInt8Settings, context: JobPassContext) {
  const { conv, ...dynamic } = settings;
  if (conv === undefined) return asOutput(quantizeInt8(bytes, dynamic));
  const opTypes = dynamic.opTypes ?? ['MatMul', 'Gemm'];
  if (conv === 'dynamic') {
    return asOutput(quantizeInt8(bytes, { ...dynamic, opTypes: [...new Set([...opTypes, 'Conv' as const])] }));
  }
  if (conv !== 'static') {
    throw new PassSettingsError(`quantize-int8: conv must be 'dynamic' or 'static', got ${JSON.stringify(conv)}`);
  }
  if (opTypes.includes('Conv')) {
    throw new PassSettingsError("quantize-int8: conv 'static' and 'Conv' in opTypes exclude each other; drop one");
  }
  const calibration = context.calibrationInputs();
  const convStep = await quantizeInt8StaticConv(bytes, {
    calibration,
    ...(dynamic.perChannel === undefined ? {} : { perChannel: dynamic.perChannel }),
    ...(dynamic.minElements === undefined ? {} : { minElements: dynamic.minElements }),
  });
  const denseStep = quantizeInt8(convStep.bytes, { ...dynamic, opTypes });
  return {
    bytes: denseStep.bytes,
    report: {
      ...denseStep.report,
      settings: { ...denseStep.report.settings, conv },
      sizeBefore: convStep.report.sizeBefore,
      changedNodes: [...convStep.report.changedNodes, ...denseStep.report.changedNodes],
      skippedNodes: [...convStep.report.skippedNodes, ...denseStep.report.skippedNodes],
      notes: [...convStep.report.notes, ...denseStep.report.notes],
      convCalibration: convStep.report.settings,
    },
  };
}

/** The production passes by job name (the registry checks their settings at submit: job-passes.ts there). */
export const JOB_PASSES: Readonly<Record<string, JobPassFn>> = Object.freeze({
  'quantize-int8': async (bytes, settings, context) =>
    quantizeInt8Job(bytes, settings as JobQuantizeInt8Settings, context),
  fp16: async (bytes, settings) => asOutput(convertFp16(bytes, settings as Fp16Settings)),
  'fp16-weights': async (bytes, settings) => asOutput(convertFp16Weights(bytes, settings as Fp16WeightsSettings)),
  prune: async (bytes, settings) => asOutput(prune(bytes, settings as unknown as PruneSettings)),
  'graph-optimize': async (bytes, settings) =>
    asOutput(await graphOptimize(bytes, settings as unknown as GraphOptimizeSettings)),
  // Measures; the model passes through unchanged and the rows go to the version's metrics.
  benchmark: async (bytes, settings) => ({
    bytes,
    report: { pass: 'benchmark', settings, rows: await benchmarkModel(bytes, settings) },
  }),
});

/**
 * Passes that exist only to test the sandbox: never reachable unless the worker's environment has
 * `AIAAS_OPTIMIZER_TEST_PASSES=1` (and the registry the same, to accept them at submit).
 */
export const TEST_JOB_PASSES: Readonly<Record<string, JobPassFn>> = Object.freeze({
  'crash-exit': () => process.exit(70),
  // Plain JS arrays live on the V8 heap, so --max-old-space-size stops this (typed arrays would not).
  'crash-oom': async () => {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(1024 * 1024).fill(hoard.length + 0.5));
  },
  sleep: async (bytes, settings, context) => {
    const ms = typeof settings['ms'] === 'number' ? settings['ms'] : 1000;
    const until = Date.now() + ms;
    while (Date.now() < until && !context.isCancelled()) await new Promise((resolve) => setTimeout(resolve, 50));
    return { bytes, report: { pass: 'sleep', ms } };
  },
});

/** The pass named `name` in this process, or a PassSettingsError naming the known ones. */
export function findJobPass(name: string, env: NodeJS.ProcessEnv = process.env): JobPassFn {
  const pass = JOB_PASSES[name] ?? (env['AIAAS_OPTIMIZER_TEST_PASSES'] === '1' ? TEST_JOB_PASSES[name] : undefined);
  if (pass === undefined) {
    throw new PassSettingsError(`unknown pass "${name}"; expected one of ${Object.keys(JOB_PASSES).join(', ')}`);
  }
  return pass;
}

function asOutput(result: { bytes: Uint8Array; report: object }): JobPassOutput {
  return { bytes: result.bytes, report: { ...result.report } };
}
