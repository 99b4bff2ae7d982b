import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { Queue } from 'bullmq';
import type { ConnectionOptions, JobsOptions } from 'bullmq';
import type { Logger } from '@aiaas/common';
import { bullTelemetry } from '@aiaas/telemetry';
import type { JobRecord } from './job-store';

/** The BullMQ queue optimization jobs go to; workers (`aiaas worker`) take them from it. */
export const OPTIMIZE_QUEUE_NAME = 'optimize';

/** What a worker gets in `job.data`: everything it needs without reading the registry's database. */
export interface OptimizeJobData {
  jobId: string;
  tenant: string;
  principal: string;
  model: string;
  sourceVersion: number;
  passes: { name: string; settings: Record<string, unknown> }[];
  thresholds: Record<string, number>;
  aliasOnSuccess: string;
  /** Seconds one attempt may run before the worker kills it (not retried); 0 = the worker's default. */
  timeoutSeconds: number;
  /** The uploaded validation dataset: the worker fetches it with Jobs.GetJobDataset (absent = generated inputs). */
  validationDataset?: { format: string; sha256: string };
}

/**
 * SubmitJobRequest.priority → BullMQ priority. BullMQ runs lower numbers first, and runs a job
 * with no priority before every prioritized one; so every job gets one, and 0 (unset) maps to
 * {@link DEFAULT_JOB_PRIORITY}: 1..999 run before default jobs, 1001..2097152 after them, equal
 * priorities in submission order.
 */
export function bullPriority(priority: number): number {
  return priority > 0 ? priority : DEFAULT_JOB_PRIORITY;
}

/** The BullMQ priority of a job submitted without one. */
export const DEFAULT_JOB_PRIORITY = 1000;

/** The registry's side of the queue: a narrow seam, so the jobs service is tested without caring how. */
export interface JobQueue {
  add(job: JobRecord): Promise<void>;
  /** Removes a job not taken by a worker (waiting, prioritized, delayed); false when a worker holds it. */
  remove(jobId: string): Promise<boolean>;
  /**
   * Adds each of `jobs` that the queue does not hold in any state (Redis restarted empty, or a
   * crash between the record and the queue entry) and that `stillUnfinished` (asked last, as the
   * job may have finished meanwhile) confirms; returns their ids.
   */
  reconcile(jobs: readonly JobRecord[], stillUnfinished?: (id: string) => Promise<boolean>): Promise<string[]>;
  close(): Promise<void>;
}

export interface BullJobQueueOptions {
  connection: ConnectionOptions;
  /** @default OPTIMIZE_QUEUE_NAME */
  queueName?: string;
  /** BullMQ's Redis key prefix. @default 'bull' */
  prefix?: string;
  /** Tries per job, the first included, for transient faults (registry unavailable). @default 3 */
  attempts?: number;
  /** First retry delay; doubled each time (exponential back-off). @default 1000 */
  backoffMs?: number;
}

/** Turns a job record into its queue entry. The BullMQ job id is the record id, so adding twice is a no-op. */
export function optimizeJobData(job: JobRecord): OptimizeJobData {
  return {
    jobId: job.id,
    tenant: job.tenant,
    principal: job.principal,
    model: job.model,
    sourceVersion: job.sourceVersion,
    passes: job.passes,
    thresholds: Object.fromEntries(
      Object.entries(job.thresholds).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    ),
    aliasOnSuccess: job.aliasOnSuccess,
    timeoutSeconds: job.timeoutSeconds,
    ...(job.datasetSha256 === ''
      ? {}
      : { validationDataset: { format: job.datasetFormat, sha256: job.datasetSha256 } }),
  };
}

/**
 * {@link JobQueue} on BullMQ. With tracing on, BullMQ's own telemetry (bullmq-otel) makes a producer
 * span for each add, child of the active context, and records it in the job's options; the worker's
 * consumer span continues it.
 */
export class BullJobQueue implements JobQueue {
  readonly queue: Queue<OptimizeJobData>;
  readonly #options: JobsOptions;

  constructor(options: BullJobQueueOptions) {
    const telemetry = bullTelemetry();
    this.queue = new Queue<OptimizeJobData>(options.queueName ?? OPTIMIZE_QUEUE_NAME, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(telemetry === undefined ? {} : { telemetry }),
    });
    // A Queue without an 'error' listener would crash the registry on a Redis hiccup; ioredis reconnects.
    this.queue.on('error', () => undefined);
    this.#options = {
      attempts: options.attempts ?? 3,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      // The registry's job record is the history; BullMQ keeps only what is in flight.
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    };
  }

  async add(job: JobRecord): Promise<void> {
    await this.queue.add('optimize', optimizeJobData(job), {
      ...this.#options,
      jobId: job.id,
      priority: bullPriority(job.priority),
    });
  }

  async reconcile(
    jobs: readonly JobRecord[],
    stillUnfinished: (id: string) => Promise<boolean> = async () => true,
  ): Promise<string[]> {
    const added: string[] = [];
    for (const job of jobs) {
      // Any state counts (a failed one kept by removeOnFail is the worker's to report, not ours to rerun).
      if ((await this.queue.getJob(job.id)) !== undefined) continue;
      // Completed since it was listed (and removed from BullMQ on completion): nothing to re-queue.
      if (!(await stillUnfinished(job.id))) continue;
      // Added in the submitter's context (stored with the record), so the job stays in that trace.
      await context.with(propagation.extract(ROOT_CONTEXT, job.traceContext), () => this.add(job));
      added.push(job.id);
    }
    return added;
  }

  /**
   * Re-queues lost jobs whenever the Redis connection becomes ready (at start, and after every
   * reconnect: a Redis restarted without persistence comes back empty) and every `intervalMs`.
   * `unfinished` lists the jobs the registry's database says are queued or running;
   * `stillUnfinished` re-reads one just before it is re-queued.
   */
  watchForLostJobs(
    unfinished: () => Promise<JobRecord[]>,
    options: { intervalMs?: number; logger?: Logger; stillUnfinished?: (id: string) => Promise<boolean> } = {},
  ): () => void {
    let running: Promise<void> | undefined;
    let again = false;
    let stopped = false;
    const run = (): void => {
      if (stopped) return;
      if (running !== undefined) {
        again = true;
        return;
      }
      running = (async () => {
        try {
          const added = await this.reconcile(await unfinished(), options.stillUnfinished);
          if (added.length > 0) options.logger?.warn({ jobIds: added }, 're-queued jobs missing from Redis');
        } catch (err) {
          options.logger?.debug({ err }, 'job reconciliation failed; retrying on the next tick');
        }
      })().finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
    };
    const timer = setInterval(run, options.intervalMs ?? 30_000);
    timer.unref();
    let client: { on(event: 'ready', fn: () => void): void; off(event: 'ready', fn: () => void): void } | undefined;
    void this.queue.client.then(
      (redis) => {
        if (stopped) return;
        client = redis;
        redis.on('ready', run);
        if (redis.status === 'ready') run();
      },
      () => undefined,
    );
    return () => {
      stopped = true;
      clearInterval(timer);
      client?.off('ready', run);
    };
  }

  async remove(jobId: string): Promise<boolean> {
    // 1 = removed; 0 = locked by a worker (active) or already gone.
    const removed = await this.queue.remove(jobId);
    return removed === 1;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
