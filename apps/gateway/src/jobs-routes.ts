import { Readable } from 'node:stream';
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError, fromServiceError } from '@aiaas/common';
import type { JobEvent__Output, JobState, Job__Output, SubmitJobRequest, WatchJobResponse__Output } from '@aiaas/proto';
import type { Principal, Scope } from './auth/scopes';
import type { Gateway } from './gateway';
import {
  ERROR_RESPONSES,
  JOB_PARAMS,
  JOB_SCHEMA,
  JOB_STATES,
  JOB_SUBMIT_SCHEMA,
  PAGE_QUERY_PROPERTIES,
} from './management-schemas';
import { isServiceError } from './registry-clients';
import type { RegistryClients } from './registry-clients';

/** Dependencies of {@link registerJobRoutes}. */
export interface JobRoutesDeps {
  gateway: Pick<Gateway, 'authorize'>;
  registry: RegistryClients;
  /** Deadline of each unary registry call (REST carries none). */
  restTimeoutMs: number;
  /** Told when a job event stream opens (+1) and when its registry stream is gone (-1). */
  onEventStream?: ((delta: 1 | -1) => void) | undefined;
}

/** `POST /v1/jobs` body limit: room for a validation dataset (base64) within the registry's 4 MiB message cap. */
const SUBMIT_BODY_BYTES = 8 * 1024 * 1024;

/** The body of `POST /v1/jobs`, as its schema admits it. */
interface SubmitBody {
  model: string;
  version?: number;
  alias?: string;
  passes: { name: string; settings?: Record<string, unknown> }[];
  thresholds?: {
    max_abs_error?: number;
    max_mean_relative_error?: number;
    min_cosine?: number;
    min_top1_agreement?: number;
  };
  alias_on_success?: string;
  priority?: number;
  timeout_seconds?: number;
  validation_dataset?: { format: 'jsonl' | 'npz'; content_base64: string };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * `/v1/jobs`: optimization jobs over the registry's `Jobs` service, for the authenticated
 * principal's tenant (another tenant's job answers 404 like a missing one: the registry does not
 * tell them apart). `GET /v1/jobs/{id}/events` is a server-sent event stream over `WatchJob`:
 * past events first (after `Last-Event-ID` when sent), then live ones, ending after the terminal
 * event; a client that goes away cancels the registry stream.
 *
 * Register it in a plugin scope with a JSON body parser (see registerManagementRoutes).
 */
export function registerJobRoutes(app: FastifyInstance, deps: JobRoutesDeps): void {
  const { registry } = deps;
  const principals = new WeakMap<FastifyRequest, Principal>();
  const deadline = (): number => Date.now() + deps.restTimeoutMs;
  const auth =
    (scope: Scope) =>
    async (request: FastifyRequest): Promise<void> => {
      principals.set(request, await deps.gateway.authorize(request.headers.authorization, scope));
    };
  const meta = (request: FastifyRequest) => {
    const principal = principals.get(request);
    if (principal === undefined) throw new Error('job route without an onRequest auth hook');
    return registry.metadata(principal);
  };
  const tags = ['jobs'];

  app.post<{ Body: SubmitBody }>(
    '/v1/jobs',
    {
      onRequest: auth('jobs:write'),
      bodyLimit: SUBMIT_BODY_BYTES,
      schema: {
        summary: 'Submit an optimization job (passes over one version, validated before it is registered)',
        tags,
        body: JOB_SUBMIT_SCHEMA,
        response: { 201: JOB_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { job } = await registry.job('SubmitJob', submitRequest(request.body), meta(request), deadline());
      return reply.code(201).send(jobJson(required(job)));
    },
  );

  app.get<{ Querystring: { model?: string; state?: string; page_size?: number; page_token?: string } }>(
    '/v1/jobs',
    {
      onRequest: auth('jobs:read'),
      schema: {
        summary: 'List the tenant’s jobs, newest first (without their events)',
        tags,
        querystring: {
          type: 'object',
          properties: {
            ...PAGE_QUERY_PROPERTIES,
            model: { type: 'string', description: 'Only this model’s' },
            state: { type: 'string', enum: JOB_STATES, description: 'Only jobs in this state' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { jobs: { type: 'array', items: JOB_SCHEMA }, next_page_token: { type: 'string' } },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const { model = '', state, page_size = 0, page_token = '' } = request.query;
      const page = await registry.job(
        'ListJobs',
        {
          model,
          state: state === undefined ? 'JOB_STATE_UNSPECIFIED' : (`JOB_STATE_${state.toUpperCase()}` as JobState),
          page_size,
          page_token,
        },
        meta(request),
        deadline(),
      );
      return { jobs: page.jobs.map(jobJson), next_page_token: page.next_page_token };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/jobs/:id',
    {
      onRequest: auth('jobs:read'),
      schema: {
        summary: 'Get a job, its report and its events',
        tags,
        params: JOB_PARAMS,
        response: { 200: JOB_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { job } = await registry.job('GetJob', { id: request.params.id }, meta(request), deadline());
      return jobJson(required(job));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/jobs/:id/cancel',
    {
      onRequest: auth('jobs:write'),
      schema: {
        summary: 'Cancel a job (a queued one at once; a running one stops between passes, registering nothing)',
        tags,
        params: JOB_PARAMS,
        response: { 200: JOB_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { job } = await registry.job('CancelJob', { id: request.params.id }, meta(request), deadline());
      return jobJson(required(job));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/jobs/:id/events',
    {
      onRequest: auth('jobs:read'),
      schema: {
        summary: 'Follow a job as server-sent events',
        description:
          'Each event is `id: <sequence>`, `event: <kind>`, `data: <JobEvent JSON>`. Past events come first ' +
          '(only those after `Last-Event-ID` when that header is sent), then live ones; the response ends ' +
          'after the terminal event (completed, failed or cancelled).',
        tags,
        params: JOB_PARAMS,
        headers: {
          type: 'object',
          properties: { 'last-event-id': { type: 'integer', minimum: 0, description: 'Resume after this sequence' } },
        },
        produces: ['text/event-stream'],
        response: {
          200: { description: 'text/event-stream of JobEvent', type: 'string' },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const after = Number(request.headers['last-event-id'] ?? 0);
      // GetJob first: a missing (or another tenant's) job is a plain 404 before any stream opens.
      await registry.job('GetJob', { id: request.params.id }, meta(request), deadline());
      // No deadline: a job may run for long; the stream ends with the job or with the client.
      const call = registry.jobs.WatchJob({ id: request.params.id }, meta(request));
      return sendEvents(call, reply, after, deps.onEventStream);
    },
  );
}

/**
 * Waits for the first WatchJob message (so NOT_FOUND is still a 404, not a broken 200), then
 * writes each event as SSE. `Readable.from` pulls the next message only when the socket took the
 * previous one, and grpc-js stops reading while its buffer is full: a slow client slows the
 * registry stream instead of filling memory.
 */
async function sendEvents(
  call: ClientReadableStream<WatchJobResponse__Output>,
  reply: FastifyReply,
  after: number,
  onEventStream: JobRoutesDeps['onEventStream'],
): Promise<FastifyReply> {
  onEventStream?.(1);
  let open = true;
  const finish = (): void => {
    if (!open) return;
    open = false;
    call.cancel();
    onEventStream?.(-1);
  };
  const messages = (call as AsyncIterable<WatchJobResponse__Output>)[Symbol.asyncIterator]();
  let first: IteratorResult<WatchJobResponse__Output>;
  try {
    first = await messages.next();
  } catch (err) {
    finish();
    throw isServiceError(err) ? fromServiceError(err) : err;
  }
  // The client went away: stop the registry's stream too.
  reply.raw.on('close', finish);
  async function* frames(): AsyncGenerator<string> {
    try {
      let next = first;
      while (next.done !== true) {
        const event = next.value.event;
        if (event !== null && Number(event.sequence) > after) yield sseFrame(event);
        next = await messages.next();
      }
    } catch (err) {
      // Headers are sent: the best left is a last comment saying why, then the end.
      const message = isServiceError(err) ? err.details : (err as Error).message;
      yield `: stream broken: ${message.replace(/[\r\n]+/g, ' ')}\n\n`;
    } finally {
      finish();
    }
  }
  void reply
    .code(200)
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no');
  return reply.send(Readable.from(frames(), { objectMode: false }));
}

/** One SSE frame: the JSON is one line (JSON.stringify escapes newlines in strings). */
function sseFrame(event: JobEvent__Output): string {
  const json = jobEventJson(event);
  return `id: ${String(json['sequence'])}\nevent: ${String(json['kind'])}\ndata: ${JSON.stringify(json)}\n\n`;
}

function submitRequest(body: SubmitBody): SubmitJobRequest {
  const dataset = body.validation_dataset;
  if (dataset !== undefined && (!BASE64.test(dataset.content_base64) || dataset.content_base64.length % 4 !== 0)) {
    throw new InvalidArgumentError(
      'validation_dataset.content_base64: expected standard base64 (A-Z, a-z, 0-9, +, /, = padding, length a multiple of 4)',
    );
  }
  return {
    model: body.model,
    version: body.version ?? 0,
    alias: body.alias ?? '',
    passes: body.passes.map((pass) => ({ name: pass.name, settings_json: JSON.stringify(pass.settings ?? {}) })),
    thresholds: {
      max_abs_error: body.thresholds?.max_abs_error ?? 0,
      max_mean_relative_error: body.thresholds?.max_mean_relative_error ?? 0,
      min_cosine: body.thresholds?.min_cosine ?? 0,
      min_top1_agreement: body.thresholds?.min_top1_agreement ?? 0,
    },
    alias_on_success: body.alias_on_success ?? '',
    priority: body.priority ?? 0,
    timeout_seconds: body.timeout_seconds ?? 0,
    ...(dataset === undefined
      ? {}
      : { validation_dataset: { format: dataset.format, content: Buffer.from(dataset.content_base64, 'base64') } }),
  };
}

function required(job: Job__Output | null | undefined): Job__Output {
  if (job === null || job === undefined) throw new Error('the registry answered without a job');
  return job;
}

const int = (value: string | number | undefined): number => Number(value ?? 0);

/** A JSON object from the registry's `*_json` fields; '' (none) → null. */
function jsonObjectOrNull(text: string): Record<string, unknown> | null {
  if (text === '') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const lower = (value: string, prefix: string): string => value.slice(prefix.length).toLowerCase();

/** Job JSON as the contract has it: states and kinds lower case, `*_json` fields as objects. */
export function jobJson(job: Job__Output): Record<string, unknown> {
  return {
    id: job.id,
    tenant: job.tenant,
    model: job.model,
    source_version: int(job.source_version),
    passes: job.passes.map((pass) => ({ name: pass.name, settings: jsonObjectOrNull(pass.settings_json) ?? {} })),
    thresholds: {
      max_abs_error: job.thresholds?.max_abs_error ?? 0,
      max_mean_relative_error: job.thresholds?.max_mean_relative_error ?? 0,
      min_cosine: job.thresholds?.min_cosine ?? 0,
      min_top1_agreement: job.thresholds?.min_top1_agreement ?? 0,
    },
    alias_on_success: job.alias_on_success,
    priority: job.priority,
    timeout_seconds: job.timeout_seconds,
    validation_dataset:
      job.validation_dataset_format === ''
        ? null
        : { format: job.validation_dataset_format, sha256: job.validation_dataset_sha256 },
    state: lower(job.state, 'JOB_STATE_'),
    result_version: int(job.result_version),
    report: jsonObjectOrNull(job.report_json),
    error: job.error,
    created_at: job.created_at,
    updated_at: job.updated_at,
    attempts: job.attempts,
    events: job.events.map(jobEventJson),
  };
}

/** JobEvent JSON as the contract has it. */
export function jobEventJson(event: JobEvent__Output): Record<string, unknown> {
  return {
    job_id: event.job_id,
    sequence: int(event.sequence),
    kind: lower(event.kind, 'JOB_EVENT_KIND_'),
    at: event.at,
    pass: event.pass,
    pass_index: event.pass_index,
    percent: event.percent,
    version: int(event.version),
    message: event.message,
    details: jsonObjectOrNull(event.details_json),
  };
}
