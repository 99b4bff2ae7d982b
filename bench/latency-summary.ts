/** Throughput and latency of one measured window. */
export interface LatencySummary {
  /** Completed operations (runs or requests) per second in the window. */
  perSecond: number;
  /** Rows per second: perSecond × rows per operation. */
  rowsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

/** Nearest-rank percentile of ascending `sorted`; NaN when empty. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

/** Summarises the latencies (ms) of the operations that completed in a window of `windowMs`. */
export function summarize(latenciesMs: readonly number[], windowMs: number, rowsPerOperation: number): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  const perSecond = (latenciesMs.length * 1000) / windowMs;
  return {
    perSecond,
    rowsPerSecond: perSecond * rowsPerOperation,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    samples: latenciesMs.length,
  };
}

/** A number for a table cell: thousands without decimals, small values with a few significant digits. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median over rounds of `1 - on / off`: each round's setups were measured back to back. */
export function medianRoundLoss(onPerSecond: readonly number[], offPerSecond: readonly number[]): number {
  return median(onPerSecond.map((perSecond, i) => 1 - perSecond / offPerSecond[i]!));
}

/** A relative change for a table cell, signed: `+12.3%`, `-4.0%`; `—` when unknown. */
export function formatPercentChange(value: number | undefined): string {
  return value === undefined ? '—' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
}

/** A markdown table from a header row and body rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A copy of `items` in a random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
