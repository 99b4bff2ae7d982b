import { z } from 'zod';
import { InvalidArgumentError } from '@aiaas/common';

/**
 * The settings each optimization pass accepts, checked at SubmitJob so a typo fails the call
 * (INVALID_ARGUMENT, nothing queued) instead of a job minutes later. The passes themselves
 * (`@aiaas/onnx`) check again when they run: some checks need the model (opset, shapes).
 * Keys mirror the passes' settings interfaces; unknown keys are refused (`strict`).
 */
export const JOB_PASS_SETTINGS = {
  'quantize-int8': z
    .object({
      perChannel: z.boolean().optional(),
      opTypes: z.array(z.enum(['MatMul', 'Gemm', 'Conv'])).optional(),
      minElements: z.number().int().min(0).optional(),
      // How Conv is quantized: 'dynamic' = ConvInteger (as 'Conv' in opTypes: smaller, slower on CPU);
      // 'static' = QLinearConv with activation scales calibrated on the job's validation dataset, or
      // on inputs generated from the signature (fast on CPU). Absent: Conv stays float unless in opTypes.
      conv: z.enum(['dynamic', 'static']).optional(),
    })
    .strict()
    .refine((settings) => !(settings.conv === 'static' && settings.opTypes?.includes('Conv')), {
      message: "conv 'static' and 'Conv' in opTypes (dynamic ConvInteger) exclude each other; drop one",
      path: ['conv'],
    }),
  fp16: z.object({ blockList: z.array(z.string()).optional(), keepIoTypes: z.boolean().optional() }).strict(),
  'fp16-weights': z.object({ minElements: z.number().int().min(0).optional() }).strict(),
  prune: z
    .object({
      mode: z.enum(['unstructured', 'structured']),
      sparsity: z.number().min(0).max(1),
      // Structured only: also remove Conv output channels (see `prune` in @aiaas/onnx).
      convChannels: z.boolean().optional(),
    })
    .strict()
    .refine((settings) => !(settings.convChannels === true && settings.mode !== 'structured'), {
      message: "convChannels applies to mode 'structured' only",
      path: ['convChannels'],
    }),
  // basic by default: the level every onnxruntime build keeps portable (extended may fuse CPU-specific ops).
  'graph-optimize': z.object({ level: z.enum(['basic', 'extended']).default('basic') }).strict(),
  benchmark: z
    .object({
      batchSizes: z.array(z.number().int().min(1)).min(1).optional(),
      iterations: z.number().int().min(1).optional(),
      warmup: z.number().int().min(0).optional(),
      intraOpThreads: z.number().int().min(0).optional(),
    })
    .strict(),
} as const;

/** The pass names a job may list, in no particular order. `validate` always runs last on its own. */
export const JOB_PASS_NAMES: readonly string[] = Object.freeze(Object.keys(JOB_PASS_SETTINGS));

/**
 * Test-only passes (`crash-exit`, `crash-oom`, `sleep`) that the optimizer knows only when
 * `AIAAS_OPTIMIZER_TEST_PASSES=1` is set in its environment; the registry accepts them only with the
 * same variable set, so they can never be queued in production.
 */
export const TEST_PASS_NAMES: readonly string[] = Object.freeze(['crash-exit', 'crash-oom', 'sleep']);

/** A pass as stored and queued: its name and its settings as a JSON object. */
export interface JobPass {
  name: string;
  settings: Record<string, unknown>;
}

/** The most passes one job may list. */
export const MAX_JOB_PASSES = 16;

/**
 * Parses and checks a job's passes: known names, settings JSON that parses to an object the pass
 * accepts. Every problem is listed in one InvalidArgumentError.
 */
export function checkJobPasses(
  passes: readonly { name: string; settings_json: string }[],
  options: { allowTestPasses?: boolean } = {},
): JobPass[] {
  if (passes.length === 0) throw new InvalidArgumentError('passes: expected at least one pass, got none');
  if (passes.length > MAX_JOB_PASSES) {
    throw new InvalidArgumentError(`passes: expected at most ${MAX_JOB_PASSES}, got ${passes.length}`);
  }
  const problems: string[] = [];
  const parsed: JobPass[] = [];
  passes.forEach((pass, index) => {
    const where = `passes[${index}] "${pass.name}"`;
    let settings: unknown = {};
    if (pass.settings_json.trim() !== '') {
      try {
        settings = JSON.parse(pass.settings_json);
      } catch (err) {
        problems.push(`${where}: settings_json is not JSON (${(err as Error).message})`);
        return;
      }
    }
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      problems.push(`${where}: settings_json must be a JSON object, got ${pass.settings_json}`);
      return;
    }
    const schema = (JOB_PASS_SETTINGS as Record<string, z.ZodTypeAny>)[pass.name];
    if (schema === undefined) {
      if (options.allowTestPasses && TEST_PASS_NAMES.includes(pass.name)) {
        parsed.push({ name: pass.name, settings: settings as Record<string, unknown> });
        return;
      }
      problems.push(`${where}: unknown pass; expected one of ${JOB_PASS_NAMES.join(', ')}`);
      return;
    }
    const result = schema.safeParse(settings);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join('.') || '(settings)'}: ${i.message}`);
      problems.push(`${where}: bad settings: ${issues.join('; ')}`);
      return;
    }
    // The parsed form: defaults filled in, so the worker runs exactly what the record shows.
    parsed.push({ name: pass.name, settings: result.data as Record<string, unknown> });
  });
  if (problems.length > 0) throw new InvalidArgumentError(problems.join('; '));
  return parsed;
}
