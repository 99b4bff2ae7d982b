import {
  PassSettingsError,
  benchmarkModel,
  convertFp16,
  convertFp16Weights,
  graphOptimize,
  prune,
  quantizeInt8,
} from '@aiaas/onnx';
import type {
  Fp16Settings,
  Fp16WeightsSettings,
  GraphOptimizeSettings,
  PruneSettings,
  QuantizeInt8Settings,
} from '@aiaas/onnx';

/** One pass's outcome: the model bytes after it, and its report (JSON-able). */
export interface JobPassOutput {
  bytes: Uint8Array;
  report: Record<string, unknown>;
}

/** A pass as the worker runs it. `isCancelled` lets long async passes stop early. */
export type JobPassFn = (
  bytes: Uint8Array,
  settings: Record<string, unknown>,
  context: { isCancelled(): boolean },
) => Promise<JobPassOutput>;

/** The production passes by job name (the registry checks their settings at submit: job-passes.ts there). */
export const JOB_PASSES: Readonly<Record<string, JobPassFn>> = Object.freeze({
  'quantize-int8': async (bytes, settings) => asOutput(quantizeInt8(bytes, settings as QuantizeInt8Settings)),
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
