import { AiaasError, isAiaasError } from './errors';
import type { RestTransport } from './rest-transport';
import { isAborted, sleep } from './retry';
import { parseServerSentEvents } from './sse';
import type {
  CallOptions,
  Job,
  JobEvent,
  JobEventKind,
  JobPage,
  ListJobsOptions,
  SubmitJobRequest,
  WatchOptions,
} from './types';

const enc = encodeURIComponent;

/** Event kinds after which a job changes no more. */
export const TERMINAL_JOB_EVENTS: ReadonlySet<JobEventKind> = new Set(['completed', 'failed', 'cancelled']);

/** Optimization jobs: submit, follow, cancel: `/v1/jobs`. */
export class JobsClient {
  /** @internal Built by {@link AiaasClient}. */
  constructor(private readonly rest: RestTransport) {}

  /** Queues a job (a chain of passes on a model version); `validation_dataset.content` bytes are sent base64. */
  submit(request: SubmitJobRequest, options?: CallOptions): Promise<Job> {
    const { validation_dataset, ...rest } = request;
    const body: Record<string, unknown> = { ...rest };
    if (validation_dataset !== undefined) {
      const { format, content, content_base64 } = validation_dataset;
      body['validation_dataset'] = {
        format,
        content_base64:
          content_base64 ??
          (content === undefined
            ? ''
            : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('base64')),
      };
    }
    return this.rest.json({ method: 'POST', path: '/v1/jobs', body, options });
  }

  get(id: string, options?: CallOptions): Promise<Job> {
    return this.rest.json({ method: 'GET', path: `/v1/jobs/${enc(id)}`, options });
  }

  list(options: ListJobsOptions = {}): Promise<JobPage> {
    const { page_size, page_token, model, state, ...call } = options;
    return this.rest.json({
      method: 'GET',
      path: '/v1/jobs',
      query: { page_size, page_token, model, state },
      options: call,
    });
  }

  /** Asks the job to stop; it ends `cancelled` (or finishes first if it was about to). */
  cancel(id: string, options?: CallOptions): Promise<Job> {
    return this.rest.json({ method: 'POST', path: `/v1/jobs/${enc(id)}/cancel`, options });
  }

  /**
   * The job's events as they happen (past ones first), from `GET /v1/jobs/{id}/events`. A broken
   * connection is reopened with `Last-Event-ID`, so no event is missed or repeated; the iteration
   * ends after the terminal event (completed, failed, cancelled) or when `signal` aborts.
   */
  async *watch(id: string, options: WatchOptions = {}): AsyncGenerator<JobEvent> {
    let lastId = options.afterSequence === undefined ? undefined : String(options.afterSequence);
    const maxReconnects = options.reconnects ?? 10;
    let failures = 0;
    const { signal } = options;
    for (;;) {
      if (signal?.aborted === true) return;
      let lastError: unknown;
      try {
        const opened = await this.rest.stream(
          `/v1/jobs/${enc(id)}/events`,
          {
            accept: 'text/event-stream',
            'cache-control': 'no-cache',
            ...(lastId === undefined ? {} : { 'last-event-id': lastId }),
          },
          { signal },
        );
        try {
          for await (const sse of parseServerSentEvents(opened.response)) {
            let event: JobEvent;
            try {
              event = JSON.parse(sse.data) as JobEvent;
            } catch {
              throw new AiaasError('INTERNAL', `job "${id}": malformed event data: ${sse.data.slice(0, 200)}`);
            }
            lastId = sse.id ?? String(event.sequence);
            failures = 0;
            yield event;
            if (TERMINAL_JOB_EVENTS.has(event.kind)) return;
          }
        } finally {
          opened.response.destroy();
          opened.dispose();
        }
      } catch (err) {
        if (isAborted(signal)) return;
        // Anything but a lost connection (unknown job, no scope, bad data) will not mend by reconnecting.
        if (isAiaasError(err) && err.code !== 'UNAVAILABLE') throw err;
        lastError = err;
      }
      failures += 1;
      if (failures > maxReconnects) {
        const why =
          lastError instanceof Error ? `: ${lastError.message}` : ' (the stream kept ending before the job did)';
        throw new AiaasError('UNAVAILABLE', `job "${id}": event stream lost ${failures} times in a row${why}`);
      }
      try {
        await sleep(Math.min(2_000, 100 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2), signal);
      } catch {
        return;
      }
    }
  }

  /** Follows the job to its end and returns it (state completed, failed or cancelled). */
  async wait(id: string, options: WatchOptions & { onEvent?: (event: JobEvent) => void } = {}): Promise<Job> {
    for await (const event of this.watch(id, options)) options.onEvent?.(event);
    return this.get(id, options.signal === undefined ? {} : { signal: options.signal });
  }
}
