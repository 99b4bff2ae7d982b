import { randomUUID } from 'node:crypto';
import { credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { callerMetadata, createLogger } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadOptimizerConfig, startOptimizerWorker } from '@aiaas/optimizer';
import type { RunningOptimizerWorker } from '@aiaas/optimizer';
import { loadRegistryPackage } from '@aiaas/proto';
import type { Job__Output, WatchJobResponse__Output } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { chunksOf, createRegistryClient, makeTempDir, registryCall, removeDir, uploadVersion } from '@aiaas/testing';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';
import type { RunningGateway } from './server';

/**
 * /v1/jobs through a real gateway in front of a real registry (SQLite, real Redis for the BullMQ
 * queue) and an in-process optimizer worker: submit, list, get, cancel, the SSE event stream with
 * Last-Event-ID, a client disconnect ending the registry's WatchJob stream, scopes, tenant
 * isolation and bad bodies.
 */
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TENANT = 'acme';
const silent = createLogger({ service: 'gateway-jobs-test', level: 'silent' });

interface SseEvent {
  id: string;
  event: string;
  data: Record<string, any>;
}

/** Parses complete SSE frames out of `text`; returns them and the unparsed rest. */
function parseFrames(text: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let rest = text;
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const frame = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const fields: Record<string, string> = {};
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
    }
    if (fields['data'] !== undefined)
      events.push({ id: fields['id'] ?? '', event: fields['event'] ?? '', data: JSON.parse(fields['data']) });
  }
  return { events, rest };
}

describe('gateway /v1/jobs (registry + Redis + optimizer worker + gateway, real ports)', () => {
  const queueName = `gw-jobs-${randomUUID()}`;
  const prefix = `gw-jobs-${randomUUID()}`;
  const dirs: string[] = [];
  let registry: RunningRegistry;
  let gateway: RunningGateway;
  let worker: RunningOptimizerWorker | undefined;
  let base: string;
  let writer: string;
  let readerOnly: string;
  let modelsOnly: string;
  let otherTenant: string;

  const api = (key: string | undefined, method: string, path: string, body?: unknown, headers = {}) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const submit = async (body: unknown) => {
    const response = await api(writer, 'POST', '/v1/jobs', body);
    expect(response.status).toBe(201);
    return (await response.json()) as Record<string, any>;
  };
  /** Reads an SSE response to its end (failing with what arrived if it does not end within 60 s). */
  const readAll = async (response: Response): Promise<SseEvent[]> => {
    const reader = response.body!.getReader();
    let text = '';
    const timer = setTimeout(() => void reader.cancel(), 60_000);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
    } finally {
      clearTimeout(timer);
    }
    const { events, rest } = parseFrames(text);
    expect(rest).toBe('');
    return events;
  };
  const openStreams = async (): Promise<number> => {
    const text = await (await fetch(`http://127.0.0.1:${gateway.metricsPort}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('aiaas_gateway_job_event_streams '));
    return Number(line?.split(' ')[1] ?? NaN);
  };

  beforeAll(async () => {
    const registryDir = makeTempDir('gw-jobs-registry');
    const gatewayDir = makeTempDir('gw-jobs-gateway');
    dirs.push(registryDir, gatewayDir);
    registry = await startRegistry(
      loadRegistryConfig(
        {
          dataDir: registryDir,
          grpcPort: 0,
          metricsPort: 0,
          redisUrl: REDIS_URL,
          jobQueueName: queueName,
          jobQueuePrefix: prefix,
          jobAttempts: 1,
        },
        {},
      ),
      silent,
    );
    const client = createRegistryClient(registry.grpcPort);
    const md = callerMetadata({ tenant: TENANT, principal: 'setup' }, undefined);
    await registryCall(client, 'CreateModel', { name: 'mlp' }, md);
    await uploadVersion(client, md, { model: 'mlp' }, chunksOf(buildMlp(MLP_SMALL).bytes, 1 << 20));
    client.close();

    gateway = await startGateway(
      loadGatewayConfig({
        registry: `127.0.0.1:${registry.grpcPort}`,
        dataDir: gatewayDir,
        restPort: 0,
        grpcPort: 0,
        metricsPort: 0,
        routesWaitMs: 100,
      }),
      silent,
    );
    base = `http://127.0.0.1:${gateway.restPort}`;
    const key = async (tenant: string, scopes: string[]) =>
      (await gateway.keys.createKey({ tenant, name: scopes.join(' '), scopes })).key;
    writer = await key(TENANT, ['jobs:write', 'jobs:read']);
    readerOnly = await key(TENANT, ['jobs:read']);
    modelsOnly = await key(TENANT, ['models:read', 'models:write']);
    otherTenant = await key('globex', ['jobs:write', 'jobs:read']);
  }, 60_000);

  afterAll(async () => {
    await worker?.worker.close(true);
    await worker?.close();
    await gateway?.close();
    await registry?.close();
    const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    for (const dir of dirs) removeDir(dir);
  });

  it('GET /v1/info tells the gRPC port without credentials', async () => {
    const response = await fetch(`${base}/v1/info`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ version: expect.any(String), grpc_port: gateway.grpcPort });
  });

  it('refuses bad bodies with 400 and a message saying what was expected', async () => {
    const cases: [unknown, RegExp][] = [
      [{ passes: [{ name: 'fp16' }] }, /model/],
      [{ model: 'mlp', passes: [] }, /passes/],
      [{ model: 'mlp', passes: [{ name: 'quantize-int9' }] }, /allowed values|quantize-int8/],
      [{ model: 'mlp', passes: [{ name: 'fp16' }], thresholds: { min_cosine: 2 } }, /min_cosine/],
      [{ model: 'mlp', passes: [{ name: 'fp16' }], priority: -1 }, /priority/],
      [
        { model: 'mlp', passes: [{ name: 'fp16' }], validation_dataset: { format: 'csv', content_base64: 'AA==' } },
        /format/,
      ],
      [
        {
          model: 'mlp',
          passes: [{ name: 'fp16' }],
          validation_dataset: { format: 'jsonl', content_base64: 'not b64!' },
        },
        /base64/,
      ],
      ['{"model": "mlp", "passes": [', /malformed JSON/],
    ];
    for (const [body, message] of cases) {
      const response = await api(writer, 'POST', '/v1/jobs', body);
      const answer = (await response.json()) as { error?: { code: string; message: string } };
      expect({ body, status: response.status, code: answer.error?.code }).toEqual({
        body,
        status: 400,
        code: 'INVALID_ARGUMENT',
      });
      expect(answer.error?.message).toMatch(message);
    }
    // The registry's own checks come back the same way (a version that does not exist is a 404).
    const missing = await api(writer, 'POST', '/v1/jobs', { model: 'mlp', version: 9, passes: [{ name: 'fp16' }] });
    expect(missing.status).toBe(404);
    const bad = await api(writer, 'POST', '/v1/jobs', {
      model: 'mlp',
      passes: [{ name: 'prune', settings: { mode: 'structured', sparsity: 2 } }],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/sparsity/);
    const state = await api(writer, 'GET', '/v1/jobs?state=sleeping');
    expect(state.status).toBe(400);
  });

  it('checks credentials and scopes: 401 without, 403 without jobs:write or jobs:read', async () => {
    const body = { model: 'mlp', passes: [{ name: 'fp16' }] };
    expect((await api(undefined, 'POST', '/v1/jobs', body)).status).toBe(401);
    expect((await api(undefined, 'GET', '/v1/jobs')).status).toBe(401);
    const denied = await api(readerOnly, 'POST', '/v1/jobs', body);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as any).error.code).toBe('PERMISSION_DENIED');
    expect((await api(modelsOnly, 'GET', '/v1/jobs')).status).toBe(403);
    expect((await api(modelsOnly, 'GET', '/v1/jobs/x/events')).status).toBe(403);
    expect((await api(readerOnly, 'POST', '/v1/jobs/x/cancel')).status).toBe(403);
    expect((await api(readerOnly, 'GET', '/v1/jobs')).status).toBe(200);
  });

  it('submits, lists, gets and cancels a queued job; another tenant sees 404 as for a missing job', async () => {
    // No worker yet: the job stays queued.
    const job = await submit({ model: 'mlp', passes: [{ name: 'fp16-weights', settings: {} }], priority: 3 });
    expect(job).toMatchObject({
      tenant: TENANT,
      model: 'mlp',
      source_version: 1,
      passes: [{ name: 'fp16-weights', settings: {} }],
      priority: 3,
      state: 'queued',
      result_version: 0,
      report: null,
      events: [{ sequence: 1, kind: 'queued', job_id: job['id'], details: null }],
    });

    const got = await api(readerOnly, 'GET', `/v1/jobs/${job['id']}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ id: job['id'], state: 'queued' });
    const listed = (await (await api(readerOnly, 'GET', '/v1/jobs?model=mlp&state=queued')).json()) as any;
    expect(listed.jobs.map((j: any) => j.id)).toContain(job['id']);
    expect(typeof listed.next_page_token).toBe('string');
    const none = (await (await api(readerOnly, 'GET', '/v1/jobs?state=completed')).json()) as any;
    expect(none.jobs.map((j: any) => j.id)).not.toContain(job['id']);

    const unknown = await api(otherTenant, 'GET', '/v1/jobs/no-such-job');
    for (const path of [`/v1/jobs/${job['id']}`, `/v1/jobs/${job['id']}/events`]) {
      const response = await api(otherTenant, 'GET', path);
      expect(response.status).toBe(404);
      expect(((await response.json()) as any).error.code).toBe('NOT_FOUND');
    }
    expect(unknown.status).toBe(404);
    expect((await api(otherTenant, 'POST', `/v1/jobs/${job['id']}/cancel`)).status).toBe(404);
    const othersList = (await (await api(otherTenant, 'GET', '/v1/jobs')).json()) as any;
    expect(othersList.jobs).toEqual([]);

    const cancelled = await api(writer, 'POST', `/v1/jobs/${job['id']}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ id: job['id'], state: 'cancelled' });
    // A finished job's stream replays its events and ends after the terminal one.
    const events = await readAll(await api(readerOnly, 'GET', `/v1/jobs/${job['id']}/events`));
    expect(events.map((e) => [e.id, e.event])).toEqual([
      ['1', 'queued'],
      ['2', 'cancelled'],
    ]);
    expect(events[1]?.data).toMatchObject({ job_id: job['id'], sequence: 2, kind: 'cancelled' });
  });

  it('a client leaving the event stream ends the registry WatchJob stream', async () => {
    const job = await submit({ model: 'mlp', passes: [{ name: 'fp16-weights' }] });
    const abort = new AbortController();
    const response = await fetch(`${base}/v1/jobs/${job['id']}/events`, {
      headers: { authorization: `Bearer ${readerOnly}` },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += Buffer.from((await reader.read()).value ?? []).toString('utf8');
    expect(parseFrames(text).events.map((e) => e.event)).toEqual(['queued']);
    expect(await openStreams()).toBe(1);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while ((await openStreams()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await openStreams()).toBe(0);
    await api(writer, 'POST', `/v1/jobs/${job['id']}/cancel`);
  });

  it('watches a job to completion over SSE, then replays after Last-Event-ID', async () => {
    worker = await startOptimizerWorker(
      loadOptimizerConfig({
        registry: `127.0.0.1:${registry.grpcPort}`,
        redisUrl: REDIS_URL,
        queueName,
        prefix,
        memoryLimitMb: 256,
      }),
      { mode: 'in-process', logger: silent },
    );
    const job = await submit({
      model: 'mlp',
      version: 1,
      passes: [{ name: 'fp16-weights' }],
      alias_on_success: 'smaller',
      timeout_seconds: 300,
    });
    const response = await api(readerOnly, 'GET', `/v1/jobs/${job['id']}/events`);
    expect(response.status).toBe(200);
    const events = await readAll(response);
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe('queued');
    expect(kinds).toContain('started');
    expect(kinds).toContain('pass_finished');
    expect(events.at(-1)?.data).toMatchObject({ kind: 'completed' });
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    const completed = events.at(-1)!.data;
    expect(completed['version']).toBe(2);

    const done = (await (await api(readerOnly, 'GET', `/v1/jobs/${job['id']}`)).json()) as any;
    expect(done).toMatchObject({
      state: 'completed',
      result_version: 2,
      alias_on_success: 'smaller',
      timeout_seconds: 300,
      validation_dataset: null,
    });
    expect(done.report).toEqual(expect.any(Object));
    expect(done.events).toHaveLength(events.length);

    const resumed = await readAll(
      await api(readerOnly, 'GET', `/v1/jobs/${job['id']}/events`, undefined, { 'last-event-id': '2' }),
    );
    expect(resumed.map((e) => Number(e.id))).toEqual(events.slice(2).map((e) => Number(e.id)));
    const bad = await api(readerOnly, 'GET', `/v1/jobs/${job['id']}/events`, undefined, { 'last-event-id': 'x' });
    expect(bad.status).toBe(400);
  }, 120_000);

  it('serves Jobs over the gRPC front door: submit, get, and WatchJob streamed to the end', async () => {
    const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
    const client = new Jobs(`127.0.0.1:${gateway.grpcPort}`, credentials.createInsecure());
    const md = (key: string) => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${key}`);
      return metadata;
    };
    const call = <T>(method: string, request: object, key: string) =>
      new Promise<T>((resolve, reject) =>
        (client as any)[method](request, md(key), (err: ServiceError | null, res: T) =>
          err ? reject(err) : resolve(res),
        ),
      );
    try {
      await expect(
        call('SubmitJob', { model: 'mlp', passes: [{ name: 'fp16-weights', settings_json: '{}' }] }, readerOnly),
      ).rejects.toMatchObject({ code: 7 });
      const { job } = await call<{ job: Job__Output }>(
        'SubmitJob',
        { model: 'mlp', passes: [{ name: 'fp16-weights', settings_json: '{}' }] },
        writer,
      );
      expect(job.state).toBe('JOB_STATE_QUEUED');
      await expect(call('GetJob', { id: job.id }, otherTenant)).rejects.toMatchObject({ code: 5 });
      const kinds: string[] = [];
      const stream = client.WatchJob({ id: job.id }, md(readerOnly));
      for await (const message of stream as AsyncIterable<WatchJobResponse__Output>) kinds.push(message.event!.kind);
      expect(kinds[0]).toBe('JOB_EVENT_KIND_QUEUED');
      expect(kinds.at(-1)).toBe('JOB_EVENT_KIND_COMPLETED');
      const done = await call<{ job: Job__Output }>('GetJob', { id: job.id }, readerOnly);
      expect(done.job.state).toBe('JOB_STATE_COMPLETED');
    } finally {
      client.close();
    }
  }, 120_000);

  it('documents the job routes in /openapi.json', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as any;
    for (const path of ['/v1/jobs', '/v1/jobs/{id}', '/v1/jobs/{id}/cancel', '/v1/jobs/{id}/events', '/v1/info'])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(doc.paths['/v1/jobs'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'validation_dataset',
    );
  });
});
