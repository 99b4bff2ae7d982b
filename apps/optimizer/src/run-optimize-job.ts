import { validateCandidate } from '@aiaas/onnx';
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
}

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
    let bytes: Uint8Array = source;
    const reports: Record<string, unknown>[] = [];
    const steps = data.passes.length + 2; // passes, validation, upload
    for (const [index, pass] of data.passes.entries()) {
      await report({ kind: 'JOB_EVENT_KIND_PASS_STARTED', pass: pass.name, pass_index: index });
      await stopIfCancelled();
      const output = await findJobPass(pass.name, options.env).call(undefined, bytes, pass.settings, {
        isCancelled: () => cancelled,
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

    const validation = await validateCandidate(source, bytes, { thresholds: data.thresholds });
    const figures = {
      passes: reports,
      validation,
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
