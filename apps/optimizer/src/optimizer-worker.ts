import { existsSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'bullmq';
import type { Job, Processor } from 'bullmq';
import { createLogger, startMetricsServer } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { bullTelemetry } from '@aiaas/telemetry';
import type { OptimizerConfig } from './config';
import { isDeterministicFailure } from './job-errors';
import { JobAttemptTelemetry, OptimizerMetrics, withAttemptContext } from './job-telemetry';
import type { JobOutcome } from './job-telemetry';
import { GrpcRegistryLink } from './registry-link';
import type { RegistryLink } from './registry-link';
import { runOptimizeJob } from './run-optimize-job';
import type { OptimizeJobData, OptimizeJobResult } from './run-optimize-job';
import { JobTimeoutError, SandboxRunner } from './sandbox-runner';

/** A running worker: its BullMQ Worker, its metrics, and a close() that lets in-flight jobs finish. */
export interface RunningOptimizerWorker {
  worker: Worker<OptimizeJobData, OptimizeJobResult>;
  metrics: OptimizerMetrics;
  /** The bound `/metrics` port when serveMetrics was set, else undefined. */
  metricsPort: number | undefined;
  close(): Promise<void>;
}

export interface OptimizerWorkerOptions {
  logger?: Logger;
  /**
   * `sandbox` (default): each job in a child process with a heap cap. `in-process`: in this process
   * (tests that need no isolation and want speed; a crashing pass would take the worker down).
   */
  mode?: 'sandbox' | 'in-process';
  /** The link used in-process and for final-failure reports. @default a GrpcRegistryLink to config.registry */
  registry?: RegistryLink;
  /** Extra environment for the job processes (tests: `AIAAS_OPTIMIZER_TEST_PASSES=1`). @default none */
  env?: Record<string, string>;
  /** Serve `/metrics` and `/healthz` on config.host:config.metricsPort (`aiaas worker` does). @default false */
  serveMetrics?: boolean;
}

/**
 * The sandboxed processor file and how to run it: the bundle beside this module
 * (dist/optimize-processor.js); from the sources, the .ts file through tsx.
 */
export function processorFile(): { file: string; execArgv: string[] } {
  const compiled = path.join(__dirname, 'optimize-processor.js');
  if (existsSync(compiled)) return { file: compiled, execArgv: [] };
  // BullMQ's child loads the processor with import(): tsx's loader (ESM and CJS hooks) handles .ts.
  return {
    file: path.join(__dirname, 'optimize-processor.ts'),
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
  };
}

/** How an attempt that threw ended, for the jobs counter. */
function outcomeOf(err: unknown, job: Job<OptimizeJobData, OptimizeJobResult>, attempt: number): JobOutcome {
  if (err instanceof JobTimeoutError) return 'timed_out';
  const message = err instanceof Error ? err.message : String(err);
  if (/^job \S+ cancelled$/.test(message)) return 'cancelled';
  if (isDeterministicFailure(err)) return 'failed';
  return attempt < (job.opts.attempts ?? 1) ? 'retrying' : 'failed';
}

/** Rejects with a {@link JobTimeoutError} after `seconds` (in-process jobs: nothing to kill, the job just fails). */
function withTimeout<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeoutError(seconds)), seconds * 1000);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Starts a BullMQ worker on the optimize queue. */
export async function startOptimizerWorker(
  config: OptimizerConfig,
  options: OptimizerWorkerOptions = {},
): Promise<RunningOptimizerWorker> {
  const logger = options.logger ?? createLogger({ service: 'optimizer' });
  const link = options.registry ?? new GrpcRegistryLink(config.registry, config.internalToken);
  const metrics = new OptimizerMetrics();
  const { file, execArgv } = processorFile();
  const sandbox =
    options.mode === 'in-process'
      ? undefined
      : new SandboxRunner(file, {
          execArgv: [...execArgv, `--max-old-space-size=${config.memoryLimitMb}`],
          env: {
            ...process.env,
            ...options.env,
            AIAAS_OPTIMIZER_REGISTRY: config.registry,
            ...(config.internalToken === undefined ? {} : { AIAAS_INTERNAL_TOKEN: config.internalToken }),
          },
        });
  const processor: Processor<OptimizeJobData, OptimizeJobResult> = async (job, token) => {
    const attempt = job.attemptsMade + 1;
    const telemetry = new JobAttemptTelemetry(job.data, attempt, metrics);
    // The job's own timeout, else this worker's default.
    const timeoutSeconds = (job.data.timeoutSeconds ?? 0) > 0 ? job.data.timeoutSeconds : config.jobTimeoutSeconds;
    const onStep = telemetry.onStep.bind(telemetry);
    try {
      const result =
        sandbox === undefined
          ? await withAttemptContext(telemetry, () =>
              withTimeout(
                runOptimizeJob(job.data, {
                  registry: link,
                  attempt,
                  env: { ...process.env, ...options.env },
                  observe: onStep,
                }),
                timeoutSeconds,
              ),
            )
          : await sandbox.run(
              job,
              token,
              { ...job.data, traceContext: telemetry.traceHeaders() },
              { timeoutSeconds, onStep },
            );
      telemetry.finish('completed');
      return result;
    } catch (err) {
      telemetry.finish(outcomeOf(err, job, attempt), err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  };
  // BullMQ's telemetry (when tracing is on) runs the processor in a consumer span that continues
  // the registry's producer span: the job's spans join the submitter's trace.
  const otel = bullTelemetry();
  const worker = new Worker<OptimizeJobData, OptimizeJobResult>(config.queueName, processor, {
    connection: { url: config.redisUrl, maxRetriesPerRequest: null },
    prefix: config.prefix,
    concurrency: config.concurrency,
    stalledInterval: config.stalledIntervalMs,
    lockDuration: config.lockDurationMs,
    maxStalledCount: config.maxStalledCount,
    ...(otel === undefined ? {} : { telemetry: otel }),
  });
  worker.on('error', (err) => logger.error({ err }, 'worker error'));
  worker.on('completed', (job: Job<OptimizeJobData, OptimizeJobResult>) =>
    logger.info({ jobId: job.id, version: job.returnvalue.version }, 'job completed'),
  );
  // The job's final failure (no retry left, deterministic, or the sandbox died) goes to the registry
  // from here: a crashed child cannot report it. The registry ignores it for a finished job.
  worker.on('failed', (job: Job<OptimizeJobData, OptimizeJobResult> | undefined, err: Error) => {
    if (job === undefined) return;
    void (async () => {
      const state = await job.getState().catch(() => 'unknown');
      logger.warn({ jobId: job.id, attempt: job.attemptsMade, state, err: err.message }, 'job attempt failed');
      if (state !== 'failed') return; // delayed for a retry
      await link.report({ job_id: job.data.jobId, kind: 'JOB_EVENT_KIND_FAILED', message: err.message });
    })().catch((reportErr: unknown) => logger.error({ err: reportErr, jobId: job.id }, 'could not report a failure'));
  });
  await worker.waitUntilReady();
  let metricsServer: http.Server | undefined;
  if (options.serveMetrics === true) {
    metricsServer = await startMetricsServer(config.host, config.metricsPort, metrics.registry, () =>
      worker.isRunning(),
    );
  }

  let closed: Promise<void> | undefined;
  return {
    worker,
    metrics,
    metricsPort: metricsServer === undefined ? undefined : (metricsServer.address() as AddressInfo).port,
    close() {
      // BullMQ's close() stops taking jobs and waits for the running ones (SIGTERM = graceful).
      closed ??= worker
        .close()
        .then(() => sandbox?.close())
        .then(() => new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve())))
        .finally(() => {
          if (options.registry === undefined) link.close();
        });
      return closed;
    },
  };
}
