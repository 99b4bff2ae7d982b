import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { installInMemoryTracing } from '@aiaas/telemetry';
import type { InMemoryTracing } from '@aiaas/telemetry';
import { BullJobQueue } from './job-queue';
import type { JobRecord } from './job-store';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A queued job record as the store returns it; `traceContext` is what SubmitJob stored. */
function record(traceContext: Record<string, string>): JobRecord {
  return {
    id: randomUUID(),
    tenant: 't',
    principal: 'p',
    model: 'mlp',
    sourceVersion: 1,
    passes: [{ name: 'fp16-weights', settings: {} }],
    thresholds: {},
    aliasOnSuccess: '',
    priority: 0,
    state: 'queued',
    resultVersion: 0,
    report: '',
    error: '',
    attempts: 0,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    timeoutSeconds: 0,
    datasetFormat: '',
    datasetSha256: '',
    traceContext,
    events: [],
  };
}

describe('BullJobQueue trace context (BullMQ telemetry, real Redis)', () => {
  let tracing: InMemoryTracing | undefined;
  const queues: BullJobQueue[] = [];

  function newQueue(): BullJobQueue {
    const queue = new BullJobQueue({ connection: { url: REDIS_URL }, prefix: `job-queue-trace-${randomUUID()}` });
    queues.push(queue);
    return queue;
  }

  afterEach(async () => {
    for (const queue of queues.splice(0)) {
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
    await tracing?.shutdown();
    tracing = undefined;
  });

  it("re-queues a lost job in the submitter's stored trace, with no context in the job data", async () => {
    tracing = installInMemoryTracing();
    const queue = newQueue();
    const submitter = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    const job = record({ traceparent: `00-${submitter.traceId}-${submitter.spanId}-01` });
    // Reconciled from an unrelated active span (a timer tick would have none): the stored context wins.
    const added = await trace.getTracer('test').startActiveSpan('elsewhere', async (span) => {
      try {
        return await queue.reconcile([job]);
      } finally {
        span.end();
      }
    });
    expect(added).toEqual([job.id]);

    const [producer, ...more] = tracing
      .spans()
      .filter((s) => s.kind === SpanKind.PRODUCER && s.attributes['bullmq.job.id'] === job.id);
    expect(more).toHaveLength(0);
    expect(producer!.spanContext().traceId).toBe(submitter.traceId);
    expect(producer!.parentSpanContext?.spanId).toBe(submitter.spanId);

    const queued = await queue.queue.getJob(job.id);
    expect(queued!.data).not.toHaveProperty('traceContext');
    // What the worker's consumer span continues: the producer span, in the submitter's trace.
    const metadata = JSON.parse(queued!.opts.telemetry!.metadata!) as Record<string, string>;
    const flags = producer!.spanContext().traceFlags.toString(16).padStart(2, '0');
    expect(metadata['traceparent']).toBe(`00-${submitter.traceId}-${producer!.spanContext().spanId}-${flags}`);
  });

  it('adds no telemetry to jobs when tracing is off', async () => {
    const queue = newQueue();
    const job = record({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    await queue.add(job);
    const queued = await queue.queue.getJob(job.id);
    expect(queue.queue.opts.telemetry).toBeUndefined();
    expect(queued!.opts.telemetry).toBeUndefined();
    expect(queued!.data).not.toHaveProperty('traceContext');
  });
});
