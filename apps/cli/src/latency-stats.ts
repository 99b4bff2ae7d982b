/** Summary of one benchmark run's client-side latencies, as perf_analyzer prints them. */
export interface LatencySummary {
  /** Requests that succeeded. */
  count: number;
  /** Requests that failed. */
  errors: number;
  /** Inferences per second: successful requests × batch size / measured seconds. */
  throughput: number;
  avgMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The q-quantile (0..1) of sorted values by the nearest-rank method perf_analyzer uses: the
 * smallest value with at least q of the values at or below it.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Summarizes latencies (ms) measured over `seconds`, each request carrying `batch` inferences. */
export function summarizeLatencies(
  latenciesMs: readonly number[],
  options: { seconds: number; batch: number; errors: number },
): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const count = sorted.length;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count,
    errors: options.errors,
    throughput: options.seconds > 0 ? (count * options.batch) / options.seconds : 0,
    avgMs: count === 0 ? Number.NaN : sum / count,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: count === 0 ? Number.NaN : sorted[count - 1]!,
  };
}
