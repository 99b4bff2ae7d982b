import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';
import { context, propagation } from '@opentelemetry/api';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  UnavailableError,
  checkInternalToken,
  readCaller,
  toServiceError,
  unaryHandler,
  writeWithBackPressure,
} from '@aiaas/common';
import type { Caller, Logger } from '@aiaas/common';
import type {
  GetJobDatasetRequest__Output,
  GetJobDatasetResponse,
  Job,
  JobEvent,
  JobEventKind,
  JobState,
  JobsHandlers,
  WatchJobRequest__Output,
  WatchJobResponse,
} from '@aiaas/proto';
import type { ModelStore } from './model-store';
import { checkAliasName } from './validation';
import { checkJobPasses } from './job-passes';
import type { JobQueue } from './job-queue';
import { TERMINAL_JOB_STATES } from './job-store';
import type { JobStore } from './job-store';
import type { JobEventKindName, JobEventRecord, JobRecord, JobStateName, JobThresholds } from './job-store';
import { int64Field } from './registry-mapping';
import { JOB_DATASET_MAX_BYTES, checkJobDataset } from './job-datasets';
import type { JobDatasetStore } from './job-datasets';

/** What Jobs answers when the registry runs without Redis: everything else keeps serving. */
export const JOBS_NEED_REDIS_MESSAGE = 'job queue needs Redis: set REDIS_URL or install redis-server';

export interface JobsServiceOptions {
  jobs: JobStore;
  store: ModelStore;
  /** Undefined = no Redis: every Jobs call answers UNAVAILABLE with {@link JOBS_NEED_REDIS_MESSAGE}. */
  queue: JobQueue | undefined;
  internalToken?: string;
  /** How often WatchJob looks for new events. @default 200 */
  watchPollMs?: number;
  /** Accept the optimizer's test-only passes (AIAAS_OPTIMIZER_TEST_PASSES=1). @default false */
  allowTestPasses?: boolean;
  /** Where uploaded validation datasets go; without it SubmitJob refuses them (FAILED_PRECONDITION). */
  datasets?: JobDatasetStore;
  /** @default JOB_DATASET_MAX_BYTES (64 MiB) */
  maxDatasetBytes?: number;
  logger?: Logger;
}

export interface JobsService {
  handlers: JobsHandlers;
  /** Ends the WatchJob streams (they would otherwise hold shutdown open). */
  close(): void;
}

const STATE_TO_PROTO: Record<JobStateName, JobState> = {
  queued: 'JOB_STATE_QUEUED',
  running: 'JOB_STATE_RUNNING',
  cancelling: 'JOB_STATE_CANCELLING',
  completed: 'JOB_STATE_COMPLETED',
  failed: 'JOB_STATE_FAILED',
  cancelled: 'JOB_STATE_CANCELLED',
};
const KIND_TO_PROTO: Record<JobEventKindName, JobEventKind> = {
  queued: 'JOB_EVENT_KIND_QUEUED',
  started: 'JOB_EVENT_KIND_STARTED',
  pass_started: 'JOB_EVENT_KIND_PASS_STARTED',
  pass_finished: 'JOB_EVENT_KIND_PASS_FINISHED',
  progress: 'JOB_EVENT_KIND_PROGRESS',
  completed: 'JOB_EVENT_KIND_COMPLETED',
  failed: 'JOB_EVENT_KIND_FAILED',
  cancelled: 'JOB_EVENT_KIND_CANCELLED',
};
const PROTO_TO_KIND = Object.fromEntries(Object.entries(KIND_TO_PROTO).map(([k, v]) => [v, k])) as Record<
  string,
  JobEventKindName
>;
const PROTO_TO_STATE = Object.fromEntries(Object.entries(STATE_TO_PROTO).map(([k, v]) => [v, k])) as Record<
  string,
  JobStateName
>;
const FINAL_EVENT_KINDS: readonly JobEventKindName[] = ['completed', 'failed', 'cancelled'];
/** BullMQ's priority range (1 = highest); 0 = the default (job-queue.ts bullPriority). */
const MAX_PRIORITY = 2_097_152;
/** A job attempt may run at most a day. */
export const MAX_JOB_TIMEOUT_SECONDS = 86_400;
/** Bytes per GetJobDataset message. */
const DATASET_CHUNK_BYTES = 1024 * 1024;

export function toJobEventMessage(event: JobEventRecord): JobEvent {
  return {
    job_id: event.jobId,
    sequence: event.sequence,
    kind: KIND_TO_PROTO[event.kind],
    at: event.at,
    pass: event.pass,
    pass_index: event.passIndex,
    percent: event.percent,
    version: event.version,
    message: event.message,
    details_json: event.details,
  };
}

export function toJobMessage(job: JobRecord): Job {
  return {
    id: job.id,
    tenant: job.tenant,
    model: job.model,
    source_version: job.sourceVersion,
    passes: job.passes.map((pass) => ({ name: pass.name, settings_json: JSON.stringify(pass.settings) })),
    thresholds: {
      max_abs_error: job.thresholds.maxAbsError ?? 0,
      max_mean_relative_error: job.thresholds.meanRelError ?? 0,
      min_cosine: job.thresholds.minCosine ?? 0,
      min_top1_agreement: job.thresholds.minTop1Agreement ?? 0,
    },
    alias_on_success: job.aliasOnSuccess,
    priority: job.priority,
    state: STATE_TO_PROTO[job.state],
    events: job.events.map(toJobEventMessage),
    result_version: job.resultVersion,
    report_json: job.report,
    error: job.error,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    attempts: job.attempts,
    timeout_seconds: job.timeoutSeconds,
    validation_dataset_format: job.datasetFormat,
    validation_dataset_sha256: job.datasetSha256,
  };
}

function thresholdsField(
  thresholds:
    | { max_abs_error: number; max_mean_relative_error: number; min_cosine: number; min_top1_agreement: number }
    | null
    | undefined,
): JobThresholds {
  const result: JobThresholds = {};
  if (!thresholds) return result;
  const entries: [keyof JobThresholds, number, number][] = [
    ['maxAbsError', thresholds.max_abs_error, Infinity],
    ['meanRelError', thresholds.max_mean_relative_error, Infinity],
    ['minCosine', thresholds.min_cosine, 1],
    ['minTop1Agreement', thresholds.min_top1_agreement, 1],
  ];
  for (const [key, value, max] of entries) {
    if (value === 0) continue;
    if (!Number.isFinite(value) || value < 0 || value > max) {
      throw new InvalidArgumentError(`thresholds.${key}: expected a number in [0, ${max}], got ${value}`);
    }
    result[key] = value;
  }
  return result;
}

/**
 * The `aiaas.registry.v1.Jobs` service: job records in the registry's database, BullMQ as the
 * queue. Workers report through ReportJobEvent (internal token only, no tenant: they act for the
 * job's tenant, whose record they name).
 */
export function createJobsService(options: JobsServiceOptions): JobsService {
  const { jobs, store, queue, internalToken, logger } = options;
  const pollMs = options.watchPollMs ?? 200;
  const watchers = new Set<() => void>();
  const caller = (metadata: Metadata): Caller => readCaller(metadata, internalToken);
  const needQueue = (): JobQueue => {
    if (queue === undefined) throw new UnavailableError(JOBS_NEED_REDIS_MESSAGE);
    return queue;
  };

  const handlers: JobsHandlers = {
    SubmitJob: unaryHandler(async (request, call) => {
      const jobQueue = needQueue();
      const who = caller(call.metadata);
      const passes = checkJobPasses(request.passes, { allowTestPasses: options.allowTestPasses ?? false });
      const thresholds = thresholdsField(request.thresholds);
      if (request.alias_on_success !== '') checkAliasName(request.alias_on_success);
      if (!Number.isInteger(request.priority) || request.priority < 0 || request.priority > MAX_PRIORITY) {
        throw new InvalidArgumentError(`priority: expected 0 (default) or 1..${MAX_PRIORITY}, got ${request.priority}`);
      }
      const timeout = request.timeout_seconds;
      if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_JOB_TIMEOUT_SECONDS) {
        throw new InvalidArgumentError(
          `timeout_seconds: expected 0 (the worker's default) or 1..${MAX_JOB_TIMEOUT_SECONDS}, got ${timeout}`,
        );
      }
      const versionNumber = int64Field(request.version, 'version');
      if (versionNumber !== 0 && request.alias !== '') {
        throw new InvalidArgumentError('set version or alias, not both');
      }
      // Resolving checks the model and version exist for this tenant (NOT_FOUND otherwise).
      const source =
        versionNumber !== 0
          ? await store.getVersion(who, request.model, versionNumber)
          : request.alias !== ''
            ? await store.resolveAlias(who, `${request.model}@${request.alias}`)
            : await store.getVersion(who, request.model, (await latestVersion(store, who, request.model)).version);
      let dataset: { format: string; sha256: string } | undefined;
      const uploaded = request.validation_dataset;
      if (uploaded && (uploaded.format !== '' || uploaded.content.byteLength > 0)) {
        if (options.datasets === undefined) {
          throw new FailedPreconditionError('this registry does not store validation datasets');
        }
        const maxBytes = options.maxDatasetBytes ?? JOB_DATASET_MAX_BYTES;
        checkJobDataset(uploaded, source.signature, maxBytes);
        dataset = { format: uploaded.format, sha256: await options.datasets.save(uploaded.content, maxBytes) };
      }
      // BullMQ's telemetry carries the caller's trace (the gRPC server span) to the worker; the record
      // keeps it too, so a job re-queued after Redis lost it is added in that trace again.
      const traceContext: Record<string, string> = {};
      propagation.inject(context.active(), traceContext);
      const job = await jobs.create(who, {
        model: request.model,
        sourceVersion: source.version,
        passes,
        thresholds,
        aliasOnSuccess: request.alias_on_success,
        priority: request.priority,
        timeoutSeconds: timeout,
        ...(dataset === undefined ? {} : { dataset }),
        traceContext,
      });
      try {
        await jobQueue.add(job);
      } catch (err) {
        // The record stays as history, failed; the caller learns the queue is unreachable.
        await jobs.append(
          job.id,
          { kind: 'failed', message: 'could not queue the job' },
          {
            state: 'failed',
            error: 'could not queue the job: Redis unavailable',
          },
        );
        logger?.error({ err, jobId: job.id }, 'queueing an optimization job failed');
        throw new UnavailableError(`job queue unavailable (Redis): ${(err as Error).message}`);
      }
      return { job: toJobMessage(job) };
    }),

    GetJob: unaryHandler(async (request, call) => {
      needQueue();
      return { job: toJobMessage(await jobs.get(caller(call.metadata).tenant, request.id)) };
    }),

    ListJobs: unaryHandler(async (request, call) => {
      needQueue();
      const state = request.state === 'JOB_STATE_UNSPECIFIED' ? undefined : PROTO_TO_STATE[request.state];
      const page = await jobs.list(caller(call.metadata).tenant, {
        model: request.model,
        ...(state === undefined ? {} : { state }),
        pageSize: request.page_size,
        pageToken: request.page_token,
      });
      return { jobs: page.jobs.map(toJobMessage), next_page_token: page.nextPageToken };
    }),

    CancelJob: unaryHandler(async (request, call) => {
      const jobQueue = needQueue();
      const who = caller(call.metadata);
      const job = await jobs.get(who.tenant, request.id);
      if (job.state === 'completed' || job.state === 'failed') {
        throw new FailedPreconditionError(`job "${job.id}" already ${job.state}; nothing to cancel`);
      }
      if (job.state === 'cancelled' || job.state === 'cancelling') return { job: toJobMessage(job) };
      // Mark first, so a worker that takes the job right now sees it and stops at its first report.
      await jobs.update(job.id, { state: 'cancelling' }, (current) => !TERMINAL_JOB_STATES.includes(current.state));
      if (await jobQueue.remove(job.id)) {
        // Not taken by any worker (waiting, or delayed for a retry): gone at once.
        const { job: cancelled } = await jobs.append(
          job.id,
          { kind: 'cancelled', message: `cancelled by ${who.principal}` },
          { state: 'cancelled' },
          (current) => !TERMINAL_JOB_STATES.includes(current.state),
        );
        return { job: toJobMessage(cancelled) };
      }
      // A worker holds it: it stops at its next report (between passes, or its 250 ms check).
      return { job: toJobMessage(await jobs.get(who.tenant, job.id)) };
    }),

    WatchJob: (call: ServerWritableStream<WatchJobRequest__Output, WatchJobResponse>) => {
      void watch(call);
    },

    GetJobDataset: (call: ServerWritableStream<GetJobDatasetRequest__Output, GetJobDatasetResponse>) => {
      sendDataset(call).catch((err: unknown) => {
        if (!call.cancelled) call.emit('error', toServiceError(err));
      });
    },

    ReportJobEvent: unaryHandler(async (request, call) => {
      needQueue();
      checkInternalToken(call.metadata, internalToken);
      const current = await jobs.get(undefined, request.job_id);
      const stopping = (state: JobStateName): boolean => state === 'cancelling' || TERMINAL_JOB_STATES.includes(state);
      // UNSPECIFIED is the worker's cancel check while a pass runs: nothing is recorded.
      if (request.kind === 'JOB_EVENT_KIND_UNSPECIFIED') return { cancelled: stopping(current.state) };
      const kind = PROTO_TO_KIND[request.kind];
      if (kind === undefined || kind === 'queued') {
        throw new InvalidArgumentError(`kind: expected a worker event, got ${request.kind}`);
      }
      const event = {
        kind,
        pass: request.pass,
        passIndex: request.pass_index,
        percent: request.percent,
        version: int64Field(request.version, 'version'),
        message: request.message,
        details: request.details_json,
      };
      switch (kind) {
        case 'started': {
          const { job } = await jobs.append(
            current.id,
            event,
            { state: 'running', attempts: request.attempt },
            (job) => job.state === 'queued' || job.state === 'running',
          );
          return { cancelled: stopping(job.state) };
        }
        case 'completed': {
          // The version is registered (idempotently, by job id): record it even if a cancel came late.
          const { job } = await jobs.append(
            current.id,
            event,
            { state: 'completed', resultVersion: event.version, report: request.report_json, error: '' },
            (job) => !TERMINAL_JOB_STATES.includes(job.state),
          );
          return { cancelled: job.state === 'cancelled' };
        }
        case 'failed':
          await jobs.append(
            current.id,
            event,
            { state: 'failed', error: request.message, report: request.report_json },
            (job) => !TERMINAL_JOB_STATES.includes(job.state),
          );
          return { cancelled: false };
        case 'cancelled':
          await jobs.append(
            current.id,
            event,
            { state: 'cancelled' },
            (job) => !TERMINAL_JOB_STATES.includes(job.state),
          );
          return { cancelled: true };
        default: {
          if (stopping(current.state)) return { cancelled: true };
          await jobs.append(current.id, event, {}, (job) => job.state === 'running');
          return { cancelled: false };
        }
      }
    }),
  };

  async function sendDataset(
    call: ServerWritableStream<GetJobDatasetRequest__Output, GetJobDatasetResponse>,
  ): Promise<void> {
    needQueue();
    checkInternalToken(call.metadata, internalToken);
    const job = await jobs.get(undefined, call.request.job_id);
    if (job.datasetSha256 === '' || options.datasets === undefined) {
      throw new NotFoundError(`job "${job.id}" has no validation dataset`);
    }
    const stream = await options.datasets.open(job.datasetSha256);
    let first = true;
    let pending: Buffer = Buffer.alloc(0);
    const flush = async (chunk: Buffer): Promise<void> => {
      await writeWithBackPressure(call, {
        ...(first ? { format: job.datasetFormat, sha256: job.datasetSha256 } : {}),
        chunk,
      });
      first = false;
    };
    for await (const part of stream as AsyncIterable<Buffer>) {
      if (call.cancelled) {
        stream.destroy();
        return;
      }
      pending = pending.length === 0 ? part : Buffer.concat([pending, part]);
      while (pending.length >= DATASET_CHUNK_BYTES) {
        await flush(pending.subarray(0, DATASET_CHUNK_BYTES));
        pending = pending.subarray(DATASET_CHUNK_BYTES);
      }
    }
    if (pending.length > 0 || first) await flush(pending);
    call.end();
  }

  async function watch(call: ServerWritableStream<WatchJobRequest__Output, WatchJobResponse>): Promise<void> {
    let stopped = false;
    let wake: (() => void) | undefined;
    const stop = (): void => {
      stopped = true;
      wake?.();
    };
    watchers.add(stop);
    call.on('cancelled', stop);
    try {
      needQueue();
      const job = await jobs.get(caller(call.metadata).tenant, call.request.id);
      let last = 0;
      while (!stopped) {
        const events = await jobs.events(job.id, last);
        for (const event of events) {
          last = event.sequence;
          call.write({ event: toJobEventMessage(event) });
          if (FINAL_EVENT_KINDS.includes(event.kind)) stopped = true;
        }
        if (stopped) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, pollMs).unref();
        });
      }
      call.end();
    } catch (err) {
      // emit('error') sends the mapped status; destroy(err) would end the stream without one.
      if (!call.cancelled) call.emit('error', toServiceError(err));
    } finally {
      watchers.delete(stop);
    }
  }

  return {
    handlers,
    close() {
      for (const stop of [...watchers]) stop();
    },
  };
}

async function latestVersion(store: ModelStore, who: Caller, model: string): Promise<{ version: number }> {
  let token = '';
  let latest: number | undefined;
  do {
    const page = await store.listVersions(who, { model, pageSize: 1000, pageToken: token });
    for (const version of page.versions) latest = Math.max(latest ?? 0, version.version);
    token = page.nextPageToken;
  } while (token !== '');
  if (latest === undefined) {
    throw new FailedPreconditionError(`model "${model}" has no versions: upload one before optimizing it`);
  }
  return { version: latest };
}
