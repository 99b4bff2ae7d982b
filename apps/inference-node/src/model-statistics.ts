import type { BatchReport } from './batch-scheduler';

/** Count and cumulative nanoseconds, as Triton's StatisticDuration. */
export interface Duration {
  count: number;
  ns: number;
}

/** Cumulative statistics of one model version, shaped like Triton's ModelStatistics. */
export interface VersionStatistics {
  lastInferenceMs: number;
  inferenceCount: number;
  executionCount: number;
  success: Duration;
  fail: Duration;
  queue: Duration;
  computeInput: Duration;
  computeInfer: Duration;
  computeOutput: Duration;
  batches: Map<number, { computeInput: Duration; computeInfer: Duration; computeOutput: Duration }>;
}

function duration(): Duration {
  return { count: 0, ns: 0 };
}

function add(target: Duration, ns: number, count = 1): void {
  target.count += count;
  target.ns += ns;
}

/** Accumulates per-version statistics for the ModelStatistics RPC. */
export class ModelStatistics {
  readonly stats: VersionStatistics = {
    lastInferenceMs: 0,
    inferenceCount: 0,
    executionCount: 0,
    success: duration(),
    fail: duration(),
    queue: duration(),
    computeInput: duration(),
    computeInfer: duration(),
    computeOutput: duration(),
    batches: new Map(),
  };

  /** A request finished successfully after `totalNs`, `queueNs` of it waiting. */
  recordSuccess(totalNs: number, queueNs: number, rows: number): void {
    add(this.stats.success, totalNs);
    add(this.stats.queue, queueNs);
    this.stats.inferenceCount += rows;
    this.stats.lastInferenceMs = Date.now();
  }

  recordFailure(totalNs: number): void {
    add(this.stats.fail, totalNs);
  }

  /**
   * One execution of the model. Triton counts compute durations once per request in
   * inference_stats and once per execution in batch_stats; so do we.
   */
  recordBatch(report: BatchReport): void {
    if (report.failed) return;
    this.stats.executionCount += 1;
    const n = report.requestCount;
    add(this.stats.computeInput, report.computeInputNs * n, n);
    add(this.stats.computeInfer, report.computeInferNs * n, n);
    add(this.stats.computeOutput, report.computeOutputNs * n, n);
    let batch = this.stats.batches.get(report.batchSize);
    if (!batch) {
      batch = { computeInput: duration(), computeInfer: duration(), computeOutput: duration() };
      this.stats.batches.set(report.batchSize, batch);
    }
    add(batch.computeInput, report.computeInputNs);
    add(batch.computeInfer, report.computeInferNs);
    add(batch.computeOutput, report.computeOutputNs);
  }
}
