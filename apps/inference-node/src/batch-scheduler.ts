import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Context, Link, Span, Tracer } from '@opentelemetry/api';
import { CancelledError, DeadlineExceededError, InternalError, ResourceExhaustedError, UnavailableError } from '@aiaas/common';
import { ortTypeOf } from './datatypes';
import type { Datatype, OrtType } from './datatypes';
import type { TensorSpec } from './model-config';
import { bytesToTypedArray } from './tensor-codec';
import type { DecodedTensor } from './tensor-codec';
import type { RunResult } from './session-instance';
import type { WorkerTensor } from './worker-protocol';

/** One output tensor of one request, split back out of its batch. */
export interface OutputTensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  bytes: Buffer | undefined;
  strings: string[] | undefined;
}

/** What a request's caller gets back, with the timings the statistics need. */
export interface RequestResult {
  outputs: OutputTensor[];
  queueNs: number;
  /** The size of the batch the request ran in (in rows). */
  batchSize: number;
}

/** An inference request waiting for, or running on, an instance. */
export interface QueuedRequest {
  inputs: DecodedTensor[];
  /** Rows this request contributes to a batch (its first dimension; 1 for a model without batching). */
  rows: number;
  /** Requests merge only when every non-batch dimension of every input matches. */
  shapeKey: string;
  fetches: string[];
  /** Epoch ms; Infinity when the caller set none. */
  deadlineMs: number;
}

interface Entry {
  request: QueuedRequest;
  enqueuedNs: bigint;
  /** The caller's context at submit (the gRPC server span): batches and their spans hang off it. */
  context: Context;
  /**
   * `inference.queue`: from submit to dispatch; only for a request whose caller's span is recorded
   * (a request that is not sampled pays for none of the node's spans).
   */
  queueSpan: Span | undefined;
  timer: NodeJS.Timeout | undefined;
  resolve(result: RequestResult): void;
  reject(err: Error): void;
}

/** Timings of one executed batch, reported to statistics and metrics. */
export interface BatchReport {
  batchSize: number;
  requestCount: number;
  computeInputNs: number;
  computeInferNs: number;
  computeOutputNs: number;
  failed: boolean;
}

export interface SchedulerSettings {
  /** 0: requests have no batch dimension. */
  maxBatchSize: number;
  /** Undefined: each request runs alone. */
  dynamicBatching: { maxQueueDelayUs: number; preferredBatchSizes: number[] } | undefined;
  maxQueueSize: number;
  outputs: readonly TensorSpec[];
}

/** What the scheduler needs of a model instance: run one batch at a time. */
export interface BatchRunner {
  run(feeds: WorkerTensor[], fetches: string[]): Promise<RunResult>;
}

/** Name of the tracer of the node's own spans (no-op unless @aiaas/telemetry registered a provider). */
const TRACER_NAME = '@aiaas/inference-node';

function endWithError(span: Span, err: Error): void {
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
  span.end();
}

/** Key that decides which requests may share a batch: datatypes and all dimensions but the first. */
export function shapeKeyOf(inputs: readonly DecodedTensor[], batched: boolean): string {
  return inputs.map((t) => (batched ? t.shape.slice(1) : t.shape).join('x')).join('|');
}

/**
 * Triton-style dynamic batcher for one model version: a bounded FIFO queue, and whenever an
 * instance is free, the oldest request plus every compatible one behind it (up to max batch
 * size, preferring preferred sizes, waiting at most max_queue_delay for more) run as one batch.
 */
export class BatchScheduler {
  private readonly queue: Entry[] = [];
  private readonly idle: BatchRunner[];
  private busyCount = 0;
  private delayTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private drainWaiters: (() => void)[] = [];
  // Looked up once: a scheduler is made when its model loads, after telemetry has started.
  private readonly tracer: Tracer = trace.getTracer(TRACER_NAME);

  constructor(
    private readonly settings: SchedulerSettings,
    instances: BatchRunner[],
    private readonly onBatch: (report: BatchReport) => void = () => undefined,
  ) {
    this.idle = [...instances];
  }

  /** Requests waiting for an instance. */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Requests waiting or running. */
  get inFlight(): number {
    return this.queue.length + this.busyCount;
  }

  submit(request: QueuedRequest): Promise<RequestResult> {
    if (this.closed) return Promise.reject(new UnavailableError('model is unloading; retry on another replica'));
    if (this.queue.length >= this.settings.maxQueueSize) {
      return Promise.reject(
        new ResourceExhaustedError(`queue is full (${this.settings.maxQueueSize} requests waiting); retry later`),
      );
    }
    return new Promise<RequestResult>((resolve, reject) => {
      const caller = context.active();
      const queueSpan =
        trace.getSpan(caller)?.isRecording() === true
          ? this.tracer.startSpan('inference.queue', { attributes: { 'inference.rows': request.rows } }, caller)
          : undefined;
      const entry: Entry = {
        request,
        enqueuedNs: process.hrtime.bigint(),
        context: caller,
        queueSpan,
        timer: undefined,
        resolve,
        reject: (err) => {
          if (queueSpan) endWithError(queueSpan, err);
          reject(err);
        },
      };
      if (Number.isFinite(request.deadlineMs)) {
        const remaining = Math.max(0, request.deadlineMs - Date.now());
        entry.timer = setTimeout(() => this.expire(entry), remaining);
      }
      this.queue.push(entry);
      this.schedule();
    });
  }

  /** Removes a request that its caller abandoned; it is never run. Returns false if already running. */
  cancel(request: QueuedRequest): boolean {
    const index = this.queue.findIndex((e) => e.request === request);
    if (index < 0) return false;
    const [entry] = this.queue.splice(index, 1);
    clearTimeout(entry!.timer);
    entry!.reject(new CancelledError('request cancelled by the caller before it ran'));
    this.notifyDrained();
    return true;
  }

  private expire(entry: Entry): void {
    const index = this.queue.indexOf(entry);
    if (index < 0) return;
    this.queue.splice(index, 1);
    entry.reject(new DeadlineExceededError('deadline passed while the request was queued; it was not run'));
    this.notifyDrained();
  }

  private schedule(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (!batch) return;
      const instance = this.idle.pop()!;
      this.busyCount++;
      void this.execute(instance, batch).finally(() => {
        this.busyCount--;
        this.idle.push(instance);
        this.schedule();
        this.notifyDrained();
      });
    }
  }

  /** Picks the next batch, or undefined when it is better to wait for more requests. */
  private takeBatch(): Entry[] | undefined {
    const head = this.queue[0]!;
    const batching = this.settings.dynamicBatching;
    if (!batching) {
      this.queue.shift();
      return [head];
    }
    const max = this.settings.maxBatchSize;
    const candidates: Entry[] = [];
    let rows = 0;
    for (const entry of this.queue) {
      if (entry.request.shapeKey !== head.request.shapeKey) continue;
      if (rows + entry.request.rows > max) break;
      candidates.push(entry);
      rows += entry.request.rows;
      if (rows === max) break;
    }

    // Preferred sizes win over a full batch (as in Triton); without any, a full batch goes at once
    // and a partial one waits for more until the head has waited max_queue_delay.
    let chosen = candidates;
    const preferred = batching.preferredBatchSizes.filter((size) => size <= rows);
    if (preferred.length > 0) {
      chosen = prefixWithRows(candidates, preferred[preferred.length - 1]!);
    } else if (rows < max && !this.closed) {
      const waitedUs = Number(process.hrtime.bigint() - head.enqueuedNs) / 1000;
      if (waitedUs < batching.maxQueueDelayUs) {
        this.armDelayTimer(batching.maxQueueDelayUs - waitedUs);
        return undefined;
      }
    }
    const taken = new Set(chosen);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (taken.has(this.queue[i]!)) this.queue.splice(i, 1);
    }
    return chosen;
  }

  private armDelayTimer(remainingUs: number): void {
    if (this.delayTimer) return;
    this.delayTimer = setTimeout(
      () => {
        this.delayTimer = undefined;
        this.schedule();
      },
      Math.max(0, remainingUs / 1000),
    );
  }

  private async execute(instance: BatchRunner, entries: Entry[]): Promise<void> {
    const dispatchedNs = process.hrtime.bigint();
    // One timestamp for "queue wait ends" and "batch starts": spans of different parents may read
    // differently anchored clocks, so reading the time twice could put the batch before its queue.
    const dispatchedAt = performance.timeOrigin + performance.now();
    const live: Entry[] = [];
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.queueSpan?.end(dispatchedAt);
      // A deadline can pass between the timer check and dispatch; such a request is still never run.
      if (entry.request.deadlineMs <= Date.now()) {
        entry.reject(new DeadlineExceededError('deadline passed while the request was queued; it was not run'));
      } else {
        live.push(entry);
      }
    }
    if (live.length === 0) return;
    const batched = this.settings.maxBatchSize > 0;
    const totalRows = live.reduce((sum, e) => sum + e.request.rows, 0);
    const report: BatchReport = {
      batchSize: batched ? totalRows : 1,
      requestCount: live.length,
      computeInputNs: 0,
      computeInferNs: 0,
      computeOutputNs: 0,
      failed: false,
    };
    // One batch span per run, under the first traced request's trace, linked to every traced
    // request it served; none when no request in the batch is traced.
    const traced = live.filter((e) => e.queueSpan !== undefined);
    const batchSpan =
      traced.length === 0
        ? undefined
        : this.tracer.startSpan(
            'inference.batch',
            {
              attributes: { 'inference.batch_size': report.batchSize, 'inference.request_count': live.length },
              links: traced.flatMap((e): Link[] => {
                const spanContext = trace.getSpanContext(e.context);
                return spanContext ? [{ context: spanContext }] : [];
              }),
              startTime: dispatchedAt,
            },
            traced[0]!.context,
          );
    try {
      const assembleStart = process.hrtime.bigint();
      const feeds = assembleFeeds(live.map((e) => e.request), batched, totalRows);
      const fetches = [...new Set(live.flatMap((e) => e.request.fetches))];
      const assembleNs = Number(process.hrtime.bigint() - assembleStart);
      const runSpan = batchSpan && this.tracer.startSpan('onnxruntime.run', {}, trace.setSpan(traced[0]!.context, batchSpan));
      let result: RunResult;
      try {
        result = await instance.run(feeds, fetches);
        runSpan?.end();
      } catch (err) {
        if (runSpan) endWithError(runSpan, err as Error);
        throw err;
      }
      const splitStart = process.hrtime.bigint();
      const perRequest = splitOutputs(result, live, batched, totalRows, this.settings.outputs);
      report.computeInputNs = assembleNs + result.timing.inputNs;
      report.computeInferNs = result.timing.inferNs;
      report.computeOutputNs = result.timing.outputNs + Number(process.hrtime.bigint() - splitStart);
      live.forEach((entry, i) => {
        entry.resolve({
          outputs: perRequest[i]!,
          queueNs: Number(dispatchedNs - entry.enqueuedNs),
          batchSize: report.batchSize,
        });
      });
      batchSpan?.end();
    } catch (err) {
      report.failed = true;
      if (batchSpan) endWithError(batchSpan, err as Error);
      for (const entry of live) entry.reject(err as Error);
    } finally {
      this.onBatch(report);
    }
  }

  /** Stops taking requests and resolves once everything queued or running has finished. */
  async drain(): Promise<void> {
    this.closed = true;
    if (this.delayTimer) {
      clearTimeout(this.delayTimer);
      this.delayTimer = undefined;
    }
    this.schedule();
    if (this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private notifyDrained(): void {
    if (!this.closed || this.inFlight > 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function prefixWithRows(entries: Entry[], rows: number): Entry[] {
  const out: Entry[] = [];
  let total = 0;
  for (const entry of entries) {
    if (total + entry.request.rows > rows) break;
    out.push(entry);
    total += entry.request.rows;
  }
  return out;
}

/** Stacks the requests' inputs along the first dimension into fresh buffers the worker can own. */
function assembleFeeds(requests: QueuedRequest[], batched: boolean, totalRows: number): WorkerTensor[] {
  const first = requests[0]!;
  return first.inputs.map((template, index) => {
    const shape = batched ? [totalRows, ...template.shape.slice(1)] : template.shape;
    const type: OrtType = ortTypeOf(template.datatype);
    if (template.datatype === 'BYTES') {
      const strings = requests.length === 1 ? template.strings! : requests.flatMap((r) => r.inputs[index]!.strings!);
      return { name: template.name, type, dims: shape, data: strings };
    }
    const total = requests.reduce((sum, r) => sum + r.inputs[index]!.bytes!.length, 0);
    // One copy per input: it packs the batch and gives the worker an aligned buffer it can take over.
    const buffer = new ArrayBuffer(total);
    const target = new Uint8Array(buffer);
    let offset = 0;
    for (const request of requests) {
      const bytes = request.inputs[index]!.bytes!;
      target.set(bytes, offset);
      offset += bytes.length;
    }
    return { name: template.name, type, dims: shape, data: bytesToTypedArray(template.datatype, buffer, 0, total) };
  });
}

function splitOutputs(
  result: RunResult,
  entries: Entry[],
  batched: boolean,
  totalRows: number,
  specs: readonly TensorSpec[],
): OutputTensor[][] {
  const perRequest: OutputTensor[][] = entries.map(() => []);
  for (const output of result.outputs) {
    const spec = specs.find((s) => s.name === output.name);
    if (!spec) throw new InternalError(`onnxruntime returned unknown output "${output.name}"`);
    if (batched && output.dims[0] !== totalRows) {
      throw new InternalError(
        `output "${output.name}" has first dimension ${output.dims[0]} for a batch of ${totalRows}; the model does not keep the batch dimension`,
      );
    }
    const rowCount = batched ? totalRows : 1;
    let row = 0;
    entries.forEach((entry, i) => {
      if (!entry.request.fetches.includes(output.name)) {
        row += entry.request.rows;
        return;
      }
      const rows = batched ? entry.request.rows : 1;
      const shape = batched ? [rows, ...output.dims.slice(1)] : [...output.dims];
      if (Array.isArray(output.data)) {
        const perRow = output.data.length / rowCount;
        const strings = entries.length === 1 ? output.data : output.data.slice(row * perRow, (row + rows) * perRow);
        perRequest[i]!.push({ name: output.name, datatype: spec.datatype, shape, bytes: undefined, strings });
      } else {
        const data = output.data;
        const perRow = data.byteLength / rowCount;
        // A view, not a copy: the response serializer copies it once into the wire buffer.
        const bytes = Buffer.from(data.buffer, data.byteOffset + row * perRow, rows * perRow);
        perRequest[i]!.push({ name: output.name, datatype: spec.datatype, shape, bytes, strings: undefined });
      }
      row += rows;
    });
  }
  return perRequest;
}
