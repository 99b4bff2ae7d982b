import { createHash } from 'node:crypto';
import {
  ValidationDatasetError,
  generateInputs,
  GENERATED_INPUT_DEFAULTS,
  inspectModel,
  parseValidationDataset,
  validateCandidate,
} from '@aiaas/onnx';
import type { ValidateOptions, ValidationSample } from '@aiaas/onnx';
import type { ReportJobEventRequest } from '@aiaas/proto';
import { JobCancelledError, JobFailedError, classifyFailure } from './job-errors';
import { findJobPass } from './job-passes';
import type { RegistryLink } from './registry-link';
import type { OptimizeJobData } from '@aiaas/registry';

// `job.data` of the `optimize` queue: the registry's producer defines the contract, the worker reads it.
export type { OptimizeJobData } from '@aiaas/registry';

export interface RunOptimizeJobOptions {
  registry: RegistryLink;
  /** 1-based attempt number (BullMQ's attemptsMade + 1). */
  attempt: number;
  /** How often the cancel flag is refreshed while a pass runs. @default 250 */
  cancelPollMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Told as each step starts and ends (the worker turns these into spans and metrics). */
  observe?: (event: JobStepEvent) => void;
}

/**
 * A step of a job as it happens, with its wall-clock time (ms since the epoch): crosses from the
 * sandbox to the worker as a progress message, where it becomes a span and a histogram sample.
 */
export type JobStepEvent =
  | { type: 'pass-start'; pass: string; index: number; at: number; sizeBefore: number }
  | { type: 'pass-end'; pass: string; index: number; at: number; sizeAfter: number; ok: boolean }
  | { type: 'validate-start'; at: number; inputs: 'dataset' | 'generated' }
  | { type: 'validate-end'; at: number; passed: boolean; ok: boolean };

/** Which inputs the validation ran on, for the job's report. */
export type ValidationInputs =
  | { source: 'dataset'; format: string; sha256: string; bytes: number; description: string }
  | { source: 'generated'; samples: number; batchSize: number; seed: number };

export interface OptimizeJobResult {
  version: number;
  report: Record<string, unknown>;
}

/**
 * One optimization job: download the source version, run the passes in order, validate the
 * candidate against the source (always, last), upload it with lineage (idempotent on the job id),
 * move the alias, and report each step. Throws a JobFailedError (BullMQ: no retry) for what no retry
 * can fix, and anything else (registry unavailable) to be retried with back-off.
 */
export async function runOptimizeJob(
  data: OptimizeJobData,
  options: RunOptimizeJobOptions,
): Promise<OptimizeJobResult> {
  const { registry } = options;
  const observe = options.observe ?? (() => undefined);
  const caller = { tenant: data.tenant, principal: data.principal };
  let cancelled = false;
  const report = async (event: Omit<ReportJobEventRequest, 'job_id'>): Promise<void> => {
    if (await registry.report({ ...event, job_id: data.jobId })) cancelled = true;
  };
  const stopIfCancelled = async (): Promise<void> => {
    if (!cancelled) return;
    await registry.report({ job_id: data.jobId, kind: 'JOB_EVENT_KIND_CANCELLED', message: 'stopped by the worker' });
    throw new JobCancelledError(data.jobId);
  };
  // Between reports the flag is refreshed by a light progress ping, so an async pass sees a cancel
  // within cancelPollMs (a synchronous pass sees it when it returns).
  let lastPercent = 0;
  const timer = setInterval(() => {
    registry
      .report({ job_id: data.jobId, kind: 'JOB_EVENT_KIND_UNSPECIFIED', percent: lastPercent })
      .then((stop) => (cancelled ||= stop))
      .catch(() => undefined);
  }, options.cancelPollMs ?? 250);
  timer.unref();

  try {
    await report({ kind: 'JOB_EVENT_KIND_STARTED', attempt: options.attempt });
    await stopIfCancelled();
    const source = await registry.download(caller, data.model, data.sourceVersion);
    // Fetched and checked before the passes: a dataset that cannot be used fails the job at once.
    const { inputs, validateWith, calibration } = await validationInputs(data, registry, source);
    let bytes: Uint8Array = source;
    const reports: Record<string, unknown>[] = [];
    const steps = data.passes.length + 2; // passes, validation, upload
    for (const [index, pass] of data.passes.entries()) {
      await report({ kind: 'JOB_EVENT_KIND_PASS_STARTED', pass: pass.name, pass_index: index });
      await stopIfCancelled();
      observe({ type: 'pass-start', pass: pass.name, index, at: Date.now(), sizeBefore: bytes.byteLength });
      let output: Awaited<ReturnType<ReturnType<typeof findJobPass>>>;
      try {
        output = await findJobPass(pass.name, options.env).call(undefined, bytes, pass.settings, {
          isCancelled: () => cancelled,
          calibrationInputs: calibration,
        });
      } catch (err) {
        observe({ type: 'pass-end', pass: pass.name, index, at: Date.now(), sizeAfter: 0, ok: false });
        throw err;
      }
      observe({
        type: 'pass-end',
        pass: pass.name,
        index,
        at: Date.now(),
        sizeAfter: output.bytes.byteLength,
        ok: true,
      });
      bytes = output.bytes;
      reports.push(output.report);
      lastPercent = Math.round(((index + 1) / steps) * 100);
      await report({
        kind: 'JOB_EVENT_KIND_PASS_FINISHED',
        pass: pass.name,
        pass_index: index,
        details_json: JSON.stringify(output.report),
      });
      await report({ kind: 'JOB_EVENT_KIND_PROGRESS', percent: lastPercent });
      await stopIfCancelled();
    }

    observe({ type: 'validate-start', at: Date.now(), inputs: inputs.source });
    let validation: Awaited<ReturnType<typeof validateCandidate>>;
    try {
      validation = await validateCandidate(source, bytes, { ...validateWith, thresholds: data.thresholds });
    } catch (err) {
      observe({ type: 'validate-end', at: Date.now(), passed: false, ok: false });
      throw err;
    }
    observe({ type: 'validate-end', at: Date.now(), passed: validation.passed, ok: true });
    const figures = {
      passes: reports,
      validation: { ...validation, inputs },
      sizeBefore: source.byteLength,
      sizeAfter: bytes.byteLength,
    };
    if (!validation.passed) {
      throw new JobFailedError(`validation failed: ${validation.failures.join('; ')}`, JSON.stringify(figures));
    }
    lastPercent = Math.round(((steps - 1) / steps) * 100);
    await report({ kind: 'JOB_EVENT_KIND_PROGRESS', percent: lastPercent });
    await stopIfCancelled();

    const version = await registry.upload(caller, {
      model: data.model,
      parentVersion: data.sourceVersion,
      jobId: data.jobId,
      passes: data.passes.map((pass) => ({ name: pass.name, settings_json: JSON.stringify(pass.settings) })),
      metricsJson: JSON.stringify(figures),
      bytes,
    });
    if (data.aliasOnSuccess !== '') await registry.setAlias(caller, data.model, data.aliasOnSuccess, version);
    await report({ kind: 'JOB_EVENT_KIND_PROGRESS', percent: 100 });
    await registry.report({
      job_id: data.jobId,
      kind: 'JOB_EVENT_KIND_COMPLETED',
      version,
      report_json: JSON.stringify(figures),
    });
    return { version, report: figures };
  } catch (err) {
    const failure = classifyFailure(err);
    if (failure instanceof JobFailedError && !(failure instanceof JobCancelledError)) {
      // A deterministic failure is final: say why now (the worker's 'failed' handler covers the rest).
      await registry
        .report({
          job_id: data.jobId,
          kind: 'JOB_EVENT_KIND_FAILED',
          message: failure.message,
          report_json: failure.report,
          details_json: failure.report,
        })
        .catch(() => undefined);
    }
    throw failure;
  } finally {
    clearInterval(timer);
  }
}

/** Generated calibration inputs (quantize-int8 conv 'static') use other seeds, so validation sees unseen inputs. */
const CALIBRATION_SEED = 98_765;

/**
 * The inputs the validation runs on: the job's uploaded dataset (fetched from the registry, its
 * sha256 checked, parsed against the source's signature), else inputs generated from the signature.
 */
async function validationInputs(
  data: OptimizeJobData,
  registry: RegistryLink,
  source: Uint8Array,
): Promise<{
  inputs: ValidationInputs;
  validateWith: Omit<ValidateOptions, 'thresholds'>;
  /** Calibration inputs for passes that need them, made on first use. */
  calibration: () => readonly ValidationSample[];
}> {
  const wanted = data.validationDataset;
  const signature = inspectModel(source);
  if (wanted === undefined) {
    let generated: ValidationSample[] | undefined;
    const calibration = (): readonly ValidationSample[] =>
      (generated ??= Array.from({ length: GENERATED_INPUT_DEFAULTS.samples }, (_, i) =>
        generateInputs(signature, { batchSize: GENERATED_INPUT_DEFAULTS.batchSize, seed: CALIBRATION_SEED + i }),
      ));
    return {
      inputs: { source: 'generated', ...GENERATED_INPUT_DEFAULTS },
      validateWith: { ...GENERATED_INPUT_DEFAULTS },
      calibration,
    };
  }
  const fetched = await registry.dataset(data.jobId);
  const sha256 = createHash('sha256').update(fetched.content).digest('hex');
  if (sha256 !== wanted.sha256) {
    // A partial transfer: worth another attempt.
    throw new Error(`validation dataset: got sha256 ${sha256}, expected ${wanted.sha256}`);
  }
  try {
    const parsed = parseValidationDataset(wanted.format, fetched.content, signature);
    return {
      inputs: {
        source: 'dataset',
        format: wanted.format,
        sha256,
        bytes: fetched.content.byteLength,
        description: parsed.description,
      },
      validateWith: { inputs: parsed.samples },
      calibration: () => parsed.samples,
    };
  } catch (err) {
    if (err instanceof ValidationDatasetError) throw new JobFailedError(`validation dataset: ${err.message}`);
    throw err;
  }
}
