import type { ServiceError } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import type { JobsClient, Job__Output, SubmitJobRequest, WatchJobResponse__Output } from '@aiaas/proto';
import { installInMemoryTracing } from '@aiaas/telemetry';
import { pollUntil } from '@aiaas/testing';
import type { InMemoryTracing } from '@aiaas/telemetry';
import { startOptimizerWorker } from './optimizer-worker';
import type { RunningOptimizerWorker } from './optimizer-worker';
import { silentLogger, startJobsTestBed, tenantMetadata } from './test-harness';
import type { JobsTestBed } from './test-harness';

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

describe('worker traces and metrics (in-memory exporter, sandboxed jobs)', () => {
  let tracing: InMemoryTracing;
  let bed: JobsTestBed;
  let jobs: JobsClient;
  let worker: RunningOptimizerWorker;

  /** SubmitJob inside a `submitter` span (the client's tracing interceptor sends its traceparent), then the job's events. */
  async function submitTraced(request: SubmitJobRequest): Promise<{ job: Job__Output; traceId: string }> {
    return trace.getTracer('test').startActiveSpan('submitter', async (span) => {
      try {
        const job = await new Promise<Job__Output>((resolve, reject) =>
          jobs.SubmitJob(
            request,
            tenantMetadata(),
            (err: ServiceError | null, response?: { job?: Job__Output | null }) =>
              err ? reject(err) : resolve(response!.job!),
          ),
        );
        return { job, traceId: span.spanContext().traceId };
      } finally {
        span.end();
      }
    });
  }

  async function waitForEnd(id: string): Promise<void> {
    const call = jobs.WatchJob({ id }, tenantMetadata());
    for await (const message of call as AsyncIterable<WatchJobResponse__Output>) void message;
  }

  beforeAll(async () => {
    // Before any gRPC server or client exists: they take the tracing interceptors when created.
    tracing = installInMemoryTracing();
    bed = await startJobsTestBed({ tempDirName: 'optimizer-tracing' });
    jobs = bed.jobs;
    await bed.addModel('mlp', buildMlp(MLP_SMALL).bytes);
    worker = await startOptimizerWorker(bed.workerConfig({ host: '127.0.0.1', metricsPort: 0 }), {
      mode: 'sandbox',
      logger: silentLogger,
      serveMetrics: true,
    });
  });

  afterAll(async () => {
    await worker?.worker.close(true);
    await worker?.close();
    await bed?.close();
    await tracing?.shutdown();
  });

  it("puts the worker's spans and its calls to the registry in the submitter's trace", async () => {
    const { job, traceId } = await submitTraced({
      model: 'mlp',
      passes: [
        { name: 'prune', settings_json: '{"mode":"unstructured","sparsity":0.3}' },
        { name: 'fp16-weights', settings_json: '{}' },
      ],
    });
    await waitForEnd(job.id);
    const inTrace = (): ReadableSpan[] => tracing.spans().filter((s) => s.spanContext().traceId === traceId);
    // The last ReportJobEvent's server span ends just after WatchJob saw its event; BullMQ's consumer
    // span once the worker has moved the job to completed.
    const ended = (): boolean =>
      inTrace().some((s) => s.name.endsWith('/UploadVersion')) &&
      inTrace().some((s) => s.kind === SpanKind.CONSUMER && s.attributes['bullmq.job.id'] === job.id);
    for (let i = 0; i < 200 && !ended(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const spans = inTrace();
    const named = (name: string): ReadableSpan[] => spans.filter((s) => s.name === name);
    const submitServer = named('aiaas.registry.v1.Jobs/SubmitJob').find((s) => s.kind === SpanKind.SERVER);
    expect(submitServer).toBeDefined();
    // BullMQ's own telemetry carries the trace: SubmitJob → producer span (the registry's Queue.add)
    // → consumer span (the worker's process) → optimizer.job. No hand-made context in the job data.
    const bullSpans = (operation: string, kind: SpanKind): ReadableSpan[] =>
      spans.filter(
        (s) =>
          s.kind === kind &&
          s.attributes['bullmq.queue.operation'] === operation &&
          s.attributes['bullmq.job.id'] === job.id,
      );
    const [producer, ...moreProducers] = bullSpans('add', SpanKind.PRODUCER);
    expect(moreProducers).toHaveLength(0);
    expect(parentOf(producer!)).toBe(submitServer!.spanContext().spanId);
    const [consumer, ...moreConsumers] = bullSpans('process', SpanKind.CONSUMER);
    expect(moreConsumers).toHaveLength(0);
    expect(parentOf(consumer!)).toBe(producer!.spanContext().spanId);
    const [jobSpan, ...more] = named('optimizer.job');
    expect(more).toHaveLength(0);
    expect(jobSpan!.attributes).toMatchObject({ 'aiaas.job.id': job.id, 'aiaas.job.kind': 'prune+fp16-weights' });
    expect(parentOf(jobSpan!)).toBe(consumer!.spanContext().spanId);
    expect(jobSpan!.status.code).toBe(SpanStatusCode.OK);

    const passes = named('optimizer.pass').sort(
      (a, b) => Number(a.attributes['aiaas.pass.index']) - Number(b.attributes['aiaas.pass.index']),
    );
    expect(passes.map((s) => [s.attributes['aiaas.pass.name'], s.attributes['aiaas.pass.index']])).toEqual([
      ['prune', 0],
      ['fp16-weights', 1],
    ]);
    for (const pass of passes) {
      expect(parentOf(pass)).toBe(jobSpan!.spanContext().spanId);
      expect(pass.attributes['aiaas.pass.size_before_bytes']).toBeGreaterThan(0);
      expect(pass.attributes['aiaas.pass.size_after_bytes']).toBeGreaterThan(0);
    }
    const [validate] = named('optimizer.validate');
    expect(parentOf(validate!)).toBe(jobSpan!.spanContext().spanId);
    expect(validate!.attributes).toMatchObject({ 'aiaas.validate.inputs': 'generated', 'aiaas.validate.passed': true });

    // The sandbox's calls (it has no SDK: it sends the job span's traceparent) are children of the job span.
    const fromSandbox = spans.filter(
      (s) => s.kind === SpanKind.SERVER && parentOf(s) === jobSpan!.spanContext().spanId,
    );
    const methods = new Set(fromSandbox.map((s) => s.name.split('/').at(-1)));
    expect(methods).toEqual(new Set(['ReportJobEvent', 'DownloadVersion', 'UploadVersion']));
  });

  it('serves /metrics: jobs by kind and state, pass durations, active jobs, process metrics', async () => {
    const failing = await submitTraced({
      model: 'mlp',
      version: 1,
      passes: [{ name: 'prune', settings_json: '{"mode":"structured","sparsity":0.9}' }],
      thresholds: { min_cosine: 0.9999 },
    });
    await waitForEnd(failing.job.id);
    // The sandbox reports the failure to the registry (which ends WatchJob) before the worker learns
    // of it from the sandbox and ends its span and counts the job: wait for that.
    const failedSpan = await pollUntil(
      'the failed job’s optimizer.job span',
      (): ReadableSpan | undefined =>
        tracing.spans().find((s) => s.name === 'optimizer.job' && s.attributes['aiaas.job.id'] === failing.job.id),
      20_000,
      50,
    );
    expect(failedSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(failedSpan.attributes['aiaas.job.outcome']).toBe('failed');

    const response = await fetch(`http://127.0.0.1:${worker.metricsPort}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^aiaas_optimizer_jobs_total\{kind="prune\+fp16-weights",state="completed"\} 1$/m);
    expect(text).toMatch(/^aiaas_optimizer_jobs_total\{kind="prune",state="failed"\} 1$/m);
    expect(text).toMatch(/^aiaas_optimizer_pass_duration_seconds_count\{pass="prune"\} 2$/m);
    expect(text).toMatch(/^aiaas_optimizer_pass_duration_seconds_count\{pass="fp16-weights"\} 1$/m);
    expect(text).toMatch(/^aiaas_optimizer_pass_duration_seconds_count\{pass="validate"\} 2$/m);
    expect(text).toMatch(/^aiaas_optimizer_jobs_active 0$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
