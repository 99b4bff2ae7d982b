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

/** How a bench runs its tracing rounds: rounds measured, and processes per tracing setup. */
export interface TracingRunSettings {
  rounds: number;
  processes: number;
}

/**
 * BENCH_TRACING_ROUNDS (default 60) and BENCH_TRACING_PROCESSES (default 4), checked: whole
 * numbers, at least one round, and from 1 to `rounds` processes (each process must get a round).
 */
export function tracingRunSettings(env: NodeJS.ProcessEnv): TracingRunSettings {
  const wholeNumber = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]?.trim();
    const value = text === undefined || text === '' ? fallback : Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${env[name]}")`);
    }
    return value;
  };
  const rounds = wholeNumber('BENCH_TRACING_ROUNDS', 60, 1, 100_000);
  return { rounds, processes: wholeNumber('BENCH_TRACING_PROCESSES', 4, 1, rounds) };
}

/**
 * The processes of each tracing setup that `round` loads: every one in the uncounted warm-up round 0,
 * then round `r` the `(r − 1) mod processes`-th (its group in {@link roundsLoss}).
 */
export function processesOfRound(round: number, processes: number): number[] {
  return round === 0 ? Array.from({ length: processes }, (_, i) => i) : [(round - 1) % processes];
}

/** A setup's throughput loss against tracing off over paired rounds, with how far it can be trusted. */
export interface RoundsLoss {
  /** `1 - Σ on / Σ off`: the requests the setup served over all its windows against off's, same windows. */
  loss: number;
  /** The 90% bootstrap interval of `loss`: its 5th and 95th percentiles over the rounds (and groups) resampled with replacement. */
  low: number;
  high: number;
}

/**
 * The loss of `on` against `off`, round `i` of each measured back to back, with a 90% paired
 * bootstrap interval (rounds resampled whole, so each keeps its pairing). The ratio of totals rather
 * than a median of per-round ratios: the machine's speed moves from window to window (by 2–3× on a
 * shared 2-core VM) and a ratio of totals weights each round by the work it measured. `random` is
 * seeded by the caller so a run's interval can be reproduced from its figures.
 *
 * `groups` (optional) names the processes each round measured: rounds of one group ran on the same
 * processes. Two identical processes can differ by several percent for their whole life (JIT and
 * heap layout), which resampling rounds alone leaves out of the interval; with groups the bootstrap
 * resamples the groups first and then the rounds within each, so that difference is in it.
 */
export function roundsLoss(
  onPerSecond: readonly number[],
  offPerSecond: readonly number[],
  random: () => number,
  resamples = 2000,
  groups?: readonly number[],
): RoundsLoss {
  const n = onPerSecond.length;
  if (n === 0 || offPerSecond.length !== n) {
    throw new Error(
      `roundsLoss needs the same number of rounds on and off, at least one (got ${n} and ${offPerSecond.length})`,
    );
  }
  if (groups !== undefined && groups.length !== n) {
    throw new Error(`roundsLoss needs a group for every round (got ${groups.length} groups for ${n} rounds)`);
  }
  const lossOf = (rounds: readonly number[]): number => lossOver(onPerSecond, offPerSecond, rounds);
  const groupRounds = roundsByGroup(n, groups);
  const all = Array.from({ length: n }, (_, i) => i);
  const resampled = new Float64Array(resamples);
  const pick: number[] = [];
  for (let b = 0; b < resamples; b++) {
    pick.length = 0;
    for (let g = 0; g < groupRounds.length; g++) {
      // One group: the plain paired bootstrap over rounds (no draw, so its intervals stay as they were).
      const members =
        groupRounds.length === 1 ? groupRounds[0]! : groupRounds[Math.floor(random() * groupRounds.length)]!;
      for (let i = 0; i < members.length; i++) pick.push(members[Math.floor(random() * members.length)]!);
    }
    resampled[b] = lossOf(pick);
  }
  resampled.sort();
  return { loss: lossOf(all), low: percentile(resampled, 0.05), high: percentile(resampled, 0.95) };
}

/** `1 - Σ on / Σ off` over the given rounds (indices, repeats counted again). */
function lossOver(onPerSecond: readonly number[], offPerSecond: readonly number[], rounds: readonly number[]): number {
  let on = 0;
  let off = 0;
  for (const round of rounds) {
    on += onPerSecond[round]!;
    off += offPerSecond[round]!;
  }
  return 1 - on / off;
}

/** The indices of `n` rounds by group, groups in the order they first appear; no groups: one group of all. */
function roundsByGroup(n: number, groups: readonly number[] | undefined): number[][] {
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const group = groups?.[i] ?? 0;
    const members = byGroup.get(group) ?? [];
    members.push(i);
    byGroup.set(group, members);
  }
  return [...byGroup.values()];
}

/** The loss `1 - Σ on / Σ off` over the rounds of each group in turn, groups in the order they first appear. */
export function lossByGroup(
  onPerSecond: readonly number[],
  offPerSecond: readonly number[],
  groups: readonly number[],
): number[] {
  return roundsByGroup(groups.length, groups).map((rounds) => lossOver(onPerSecond, offPerSecond, rounds));
}

/** The loss of each group for a table cell, in percent: `8.1, 12.0, 6.3, 9.9`. */
export function formatLossByGroup(
  onPerSecond: readonly number[],
  offPerSecond: readonly number[],
  groups: readonly number[],
): string {
  return lossByGroup(onPerSecond, offPerSecond, groups)
    .map((loss) => (loss * 100).toFixed(1))
    .join(', ');
}

/**
 * Whether a loss meets a goal of at most `goal`: `met` when the whole 90% interval is within it,
 * `NOT met` when the whole interval is above it, and `not shown` when the interval holds the goal
 * (the run cannot tell; more rounds narrow the interval).
 */
export function lossVerdict(loss: RoundsLoss, goal: number): 'met' | 'NOT met' | 'not shown' {
  if (loss.high <= goal) return 'met';
  if (loss.low > goal) return 'NOT met';
  return 'not shown';
}

/** A loss for a table cell: `4.1% (1.2 to 7.0)`, the interval in percent. */
export function formatLoss(loss: RoundsLoss): string {
  const pct = (value: number): string => (value * 100).toFixed(1);
  return `${pct(loss.loss)}% (${pct(loss.low)} to ${pct(loss.high)})`;
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
