import { SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { JOB_PASSES } from './job-passes';
import type { JobStepEvent, OptimizeJobData } from './run-optimize-job';

/** How one job attempt ended, as the `state` label of `aiaas_optimizer_jobs_total`. */
export type JobOutcome = 'completed' | 'failed' | 'retrying' | 'cancelled' | 'timed_out';

/** The `kind` label: the passes joined with `+` (at most three, unknown names as `other`), so it stays bounded. */
export function jobKind(passes: readonly { name: string }[]): string {
  const names = passes.slice(0, 3).map((pass) => (pass.name in JOB_PASSES ? pass.name : 'other'));
  return names.join('+') + (passes.length > 3 ? '+more' : '');
}

/**
 * The worker's Prometheus metrics, on a registry of its own (several workers in one test process
 * never collide), with the default process metrics.
 */
export class OptimizerMetrics {
  readonly registry = new Registry();
  readonly jobs = new Counter({
    name: 'aiaas_optimizer_jobs_total',
    help: 'Job attempts by kind (passes) and how they ended: completed, failed, retrying, cancelled, timed_out',
    labelNames: ['kind', 'state'] as const,
    registers: [this.registry],
  });
  readonly passDuration = new Histogram({
    name: 'aiaas_optimizer_pass_duration_seconds',
    help: 'Time one pass took (validation as pass="validate")',
    labelNames: ['pass'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });
  readonly active = new Gauge({
    name: 'aiaas_optimizer_jobs_active',
    help: 'Jobs this worker is running now',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

const tracer = (): ReturnType<typeof trace.getTracer> => trace.getTracer('aiaas-optimizer');

/**
 * One job attempt as the worker sees it: an `optimizer.job` span, child of the active context (made
 * in the processor: BullMQ's consumer span, which continues the registry's producer span and so the
 * submitter's trace), an `optimizer.pass` span per pass and an
 * `optimizer.validate` span (from the sandbox's step events, with their own timestamps), and the
 * metrics. Spans are made in the worker process, so the sandbox needs no OpenTelemetry SDK.
 */
export class JobAttemptTelemetry {
  readonly span: Span;
  readonly context: Context;
  readonly #metrics: OptimizerMetrics | undefined;
  readonly #kind: string;
  readonly #steps = new Map<string, { span: Span; at: number }>();
  #ended = false;

  constructor(data: OptimizeJobData, attempt: number, metrics: OptimizerMetrics | undefined) {
    const parent = context.active();
    this.#kind = jobKind(data.passes);
    this.span = tracer().startSpan(
      'optimizer.job',
      {
        attributes: {
          'aiaas.job.id': data.jobId,
          'aiaas.job.kind': this.#kind,
          'aiaas.job.attempt': attempt,
          'aiaas.model': data.model,
          'aiaas.model.source_version': data.sourceVersion,
          'aiaas.job.passes': data.passes.map((pass) => pass.name).join(','),
        },
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
    this.#metrics = metrics;
    metrics?.active.inc();
  }

  /** W3C headers of the job span, for the sandbox's calls to the registry. */
  traceHeaders(): Record<string, string> {
    const carrier: Record<string, string> = {};
    propagation.inject(this.context, carrier);
    return carrier;
  }

  /** A step event from runOptimizeJob (in this process or the sandbox). */
  onStep(event: JobStepEvent): void {
    if (this.#ended) return;
    switch (event.type) {
      case 'pass-start':
        this.#start(`pass:${event.index}`, 'optimizer.pass', event.at, {
          'aiaas.pass.name': event.pass,
          'aiaas.pass.index': event.index,
          'aiaas.pass.size_before_bytes': event.sizeBefore,
        });
        break;
      case 'pass-end':
        this.#end(`pass:${event.index}`, event.pass, event.at, event.ok, {
          'aiaas.pass.size_after_bytes': event.sizeAfter,
        });
        break;
      case 'validate-start':
        this.#start('validate', 'optimizer.validate', event.at, { 'aiaas.validate.inputs': event.inputs });
        break;
      case 'validate-end':
        this.#end('validate', 'validate', event.at, event.ok, { 'aiaas.validate.passed': event.passed });
        break;
    }
  }

  /** Ends the attempt: open step spans, the job span, the counters. */
  finish(outcome: JobOutcome, error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    const now = Date.now();
    for (const { span } of this.#steps.values()) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `job ${outcome}` });
      span.end(now);
    }
    this.#steps.clear();
    this.span.setAttribute('aiaas.job.outcome', outcome);
    if (outcome === 'completed') this.span.setStatus({ code: SpanStatusCode.OK });
    else {
      if (error !== undefined) this.span.recordException(error);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? outcome });
    }
    this.span.end(now);
    this.#metrics?.active.dec();
    this.#metrics?.jobs.inc({ kind: this.#kind, state: outcome });
  }

  #start(key: string, name: string, at: number, attributes: Record<string, string | number>): void {
    const span = tracer().startSpan(name, { startTime: at, attributes }, this.context);
    this.#steps.set(key, { span, at });
  }

  #end(
    key: string,
    pass: string,
    at: number,
    ok: boolean,
    attributes: Record<string, string | number | boolean>,
  ): void {
    const step = this.#steps.get(key);
    if (step === undefined) return;
    this.#steps.delete(key);
    step.span.setAttributes(attributes);
    if (!ok) step.span.setStatus({ code: SpanStatusCode.ERROR });
    step.span.end(at);
    if (ok) this.#metrics?.passDuration.observe({ pass }, Math.max(0, at - step.at) / 1000);
  }
}

/** Runs `fn` with the attempt's span as the active context (in-process jobs: instrumented gRPC joins it). */
export function withAttemptContext<T>(attempt: JobAttemptTelemetry, fn: () => Promise<T>): Promise<T> {
  return context.with(attempt.context, fn);
}
