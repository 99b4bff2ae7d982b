import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'bullmq';
import type { Job, Processor } from 'bullmq';
import { createLogger } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import type { OptimizerConfig } from './config';
import { GrpcRegistryLink } from './registry-link';
import type { RegistryLink } from './registry-link';
import { runOptimizeJob } from './run-optimize-job';
import type { OptimizeJobData, OptimizeJobResult } from './run-optimize-job';

/** A running worker: its BullMQ Worker, and a close() that lets in-flight jobs finish. */
export interface RunningOptimizerWorker {
  worker: Worker<OptimizeJobData, OptimizeJobResult>;
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

/** Starts a BullMQ worker on the optimize queue. */
export async function startOptimizerWorker(
  config: OptimizerConfig,
  options: OptimizerWorkerOptions = {},
): Promise<RunningOptimizerWorker> {
  const logger = options.logger ?? createLogger({ service: 'optimizer' });
  const link = options.registry ?? new GrpcRegistryLink(config.registry, config.internalToken);
  const { file, execArgv } = processorFile();
  const processor: string | Processor<OptimizeJobData, OptimizeJobResult> =
    options.mode === 'in-process'
      ? (job) =>
          runOptimizeJob(job.data, {
            registry: link,
            attempt: job.attemptsMade + 1,
            env: { ...process.env, ...options.env },
          })
      : file;
  const worker = new Worker<OptimizeJobData, OptimizeJobResult>(config.queueName, processor, {
    connection: { url: config.redisUrl, maxRetriesPerRequest: null },
    prefix: config.prefix,
    concurrency: config.concurrency,
    stalledInterval: config.stalledIntervalMs,
    lockDuration: config.lockDurationMs,
    maxStalledCount: config.maxStalledCount,
    useWorkerThreads: false,
    workerForkOptions: {
      execArgv: [...execArgv, `--max-old-space-size=${config.memoryLimitMb}`],
      env: {
        ...process.env,
        ...options.env,
        AIAAS_OPTIMIZER_REGISTRY: config.registry,
        ...(config.internalToken === undefined ? {} : { AIAAS_INTERNAL_TOKEN: config.internalToken }),
      },
    },
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

  let closed: Promise<void> | undefined;
  return {
    worker,
    close() {
      // BullMQ's close() stops taking jobs and waits for the running ones (SIGTERM = graceful).
      closed ??= worker.close().finally(() => {
        if (options.registry === undefined) link.close();
      });
      return closed;
    },
  };
}
