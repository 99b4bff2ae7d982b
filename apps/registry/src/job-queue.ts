import { Queue } from 'bullmq';
import type { ConnectionOptions, JobsOptions } from 'bullmq';
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
}

/** The registry's side of the queue: a narrow seam, so the jobs service is tested without caring how. */
export interface JobQueue {
  add(job: JobRecord): Promise<void>;
  /** Removes a job not taken by a worker (waiting, prioritized, delayed); false when a worker holds it. */
  remove(jobId: string): Promise<boolean>;
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
  };
}

/** {@link JobQueue} on BullMQ. */
export class BullJobQueue implements JobQueue {
  readonly queue: Queue<OptimizeJobData>;
  readonly #options: JobsOptions;

  constructor(options: BullJobQueueOptions) {
    this.queue = new Queue<OptimizeJobData>(options.queueName ?? OPTIMIZE_QUEUE_NAME, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
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
      ...(job.priority > 0 ? { priority: job.priority } : {}),
    });
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
