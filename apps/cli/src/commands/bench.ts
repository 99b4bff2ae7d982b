import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { AiaasClient, ModelStatistics, TensorInput } from '@aiaas/client';
import { addConnectionOptions, addJsonOption, withClient } from '../cli-context';
import type { CliContext, CommonFlags } from '../cli-context';
import { parseDurationSeconds, parseIntFlag } from '../flag-parsers';
import { summarizeLatencies } from '../latency-stats';
import type { LatencySummary } from '../latency-stats';
import { formatModelTarget, parseModelTarget } from '../model-target';
import { formatJson, formatMs, formatTable } from '../output';
import { buildInputs } from './infer';

interface BenchFlags extends CommonFlags {
  concurrency: string;
  duration: string;
  batch: string;
  warmup: string;
  seed: string;
}

/** Start of the footnote of a row whose server columns are empty; the reason follows in parentheses. */
export const SERVER_TIMES_UNAVAILABLE = 'server queue / compute time: not measured';

/** One benchmark row: a concurrency level and what it measured. */
export interface BenchRow extends LatencySummary {
  concurrency: number;
  batch: number;
  seconds: number;
  /**
   * Server-side times per request over the window (ModelStatistics deltas, summed over the
   * replicas); null when they cannot be read, with the reason in {@link BenchRow.serverTimesError}.
   */
  serverQueueMs: number | null;
  /** Input + infer + output compute time per request. */
  serverComputeMs: number | null;
  /** Why the server times are null. */
  serverTimesError?: string;
  firstError?: string;
}

/** Server-side times per request between two ModelStatistics snapshots, or why there are none. */
export type ServerTimes = { queueMs: number; computeMs: number } | { error: string };

/**
 * Per-request server queue and compute (input + infer + output) time over a window, from the
 * statistics before and after it, as perf_analyzer computes them: each delta in ns divided by the
 * delta of successful requests. Other clients' requests in the window are counted too.
 */
export function serverTimesBetween(before: ModelStatistics, after: ModelStatistics): ServerTimes {
  if (before.version !== after.version) {
    return { error: `the served version changed during the window (${before.version} → ${after.version})` };
  }
  const delta = (pick: (s: ModelStatistics) => number): number => pick(after) - pick(before);
  const requests = delta((s) => s.inferenceStats.success.count);
  const queueNs = delta((s) => s.inferenceStats.queue.ns);
  const computeNs =
    delta((s) => s.inferenceStats.computeInput.ns) +
    delta((s) => s.inferenceStats.computeInfer.ns) +
    delta((s) => s.inferenceStats.computeOutput.ns);
  if (requests < 0 || queueNs < 0 || computeNs < 0) {
    return { error: 'the server’s counters went backwards during the window (a replica restarted or left)' };
  }
  if (requests === 0) return { error: 'the server recorded no successful request during the window' };
  return { queueMs: queueNs / requests / 1e6, computeMs: computeNs / requests / 1e6 };
}

/** `1,4,8` → [1, 4, 8]: the concurrency levels to measure, in order. */
export function parseConcurrency(text: string): number[] {
  const levels = text.split(',').map((part) => parseIntFlag(part.trim(), '--concurrency', 1, 1024));
  if (levels.length === 0) throw new Error('--concurrency: expected a number or a list such as 1,4,8');
  return levels;
}

/**
 * Runs `concurrency` closed loops, each sending its next request once the previous one answered,
 * for `seconds`, and summarizes the client-side latencies (perf_analyzer's concurrency mode).
 */
export async function measure(
  call: () => Promise<unknown>,
  options: { concurrency: number; seconds: number; batch: number },
): Promise<Omit<BenchRow, 'serverQueueMs' | 'serverComputeMs'>> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    batch: options.batch,
    seconds,
    ...summarizeLatencies(latencies, { seconds, batch: options.batch, errors }),
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/** The perf_analyzer-like table, with a footnote when the server columns could not be measured. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const na = (value: number | null): string => (value === null ? 'n/a*' : formatMs(value));
  const table = formatTable(
    [
      { header: 'CONCURRENCY', align: 'right' },
      { header: 'BATCH', align: 'right' },
      { header: 'REQUESTS', align: 'right' },
      { header: 'ERRORS', align: 'right' },
      { header: 'INFER/S', align: 'right' },
      { header: 'AVG MS', align: 'right' },
      { header: 'P50 MS', align: 'right' },
      { header: 'P90 MS', align: 'right' },
      { header: 'P99 MS', align: 'right' },
      { header: 'SERVER QUEUE MS', align: 'right' },
      { header: 'SERVER COMPUTE MS', align: 'right' },
    ],
    rows.map((r) => [
      r.concurrency,
      r.batch,
      r.count,
      r.errors,
      r.throughput.toFixed(1),
      formatMs(r.avgMs),
      formatMs(r.p50Ms),
      formatMs(r.p90Ms),
      formatMs(r.p99Ms),
      na(r.serverQueueMs),
      na(r.serverComputeMs),
    ]),
  );
  const unavailable = rows.filter((r) => r.serverQueueMs === null || r.serverComputeMs === null);
  if (unavailable.length === 0) return table;
  const reasons = [
    ...new Set(unavailable.flatMap((r) => (r.serverTimesError === undefined ? [] : [r.serverTimesError]))),
  ];
  return `${table}* ${SERVER_TIMES_UNAVAILABLE}${reasons.length === 0 ? '' : ` (${reasons.join('; ')})`}\n`;
}

/** `aiaas bench`: throughput and latency percentiles through the gateway, like perf_analyzer. */
export function registerBenchCommand(program: Command, context: CliContext): void {
  addConnectionOptions(
    addJsonOption(
      program
        .command('bench')
        .description('Measure throughput and latency percentiles of a model through the gateway (like perf_analyzer)')
        .argument('<model>', 'NAME, NAME@ALIAS or NAME:VERSION')
        .option('--concurrency <c>', 'requests in flight at once; a list such as 1,4,8 measures each', '1')
        .option('--duration <duration>', 'how long each concurrency level is measured (e.g. 10s, 1m)', '10s')
        .option('--batch <b>', 'batch size of each request (a variable first dimension)', '1')
        .option('--warmup <n>', 'requests per loop sent before measuring (not counted)', '2')
        .option('--seed <n>', 'seed of the generated inputs', '0'),
    ),
  ).action(async (ref: string, flags: BenchFlags) => {
    const target = parseModelTarget(ref);
    const levels = parseConcurrency(flags.concurrency);
    const seconds = parseDurationSeconds(flags.duration, '--duration');
    const batch = parseIntFlag(flags.batch, '--batch', 1, 1 << 20);
    const warmup = parseIntFlag(flags.warmup, '--warmup', 0, 10_000);
    const seed = parseIntFlag(flags.seed, '--seed', 0, 2 ** 32 - 1);
    await withClient(flags, context, async (client) => {
      const model = formatModelTarget(target);
      const metadata = await client.inference.modelMetadata(model);
      const inputs = await buildInputs(metadata, { input: [], random: true, seed, batch });
      const rows: BenchRow[] = [];
      for (const concurrency of levels) {
        context.stderr.write(`measuring ${model}: concurrency ${concurrency}, batch ${batch}, ${flags.duration}...\n`);
        await warm(client, model, inputs, concurrency, warmup);
        const before = await statistics(client, model);
        const row = await measure(() => client.inference.infer(model, inputs), { concurrency, seconds, batch });
        const after = await statistics(client, model);
        if (row.count === 0) {
          throw new Error(`every request failed at concurrency ${concurrency}: ${row.firstError ?? 'no answer'}`);
        }
        if (row.firstError !== undefined) {
          context.stderr.write(`${row.errors} request(s) failed; the first: ${row.firstError}\n`);
        }
        const times =
          'error' in before ? before : 'error' in after ? after : serverTimesBetween(before.stats, after.stats);
        rows.push(
          'error' in times
            ? { ...row, serverQueueMs: null, serverComputeMs: null, serverTimesError: times.error }
            : { ...row, serverQueueMs: times.queueMs, serverComputeMs: times.computeMs },
        );
      }
      if (flags.json === true) {
        context.stdout.write(
          formatJson({
            model,
            rows,
            server_times: rows.some((r) => r.serverQueueMs === null) ? SERVER_TIMES_UNAVAILABLE : 'measured',
          }),
        );
        return;
      }
      context.stdout.write(
        `${model} (${metadata.inputs.map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`).join(', ')}), ${flags.duration} per level\n`,
      );
      context.stdout.write(formatBenchTable(rows));
    });
  });
}

/** A ModelStatistics snapshot, or why it could not be read (the table says so instead of failing the run). */
async function statistics(client: AiaasClient, model: string): Promise<{ stats: ModelStatistics } | { error: string }> {
  try {
    return { stats: await client.inference.modelStatistics(model) };
  } catch (err) {
    return { error: `ModelStatistics failed: ${(err as Error).message}` };
  }
}

/** Opens the channel and warms the replicas: `perLoop` requests on each of `concurrency` loops. */
async function warm(
  client: AiaasClient,
  model: string,
  inputs: TensorInput[],
  concurrency: number,
  perLoop: number,
): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < perLoop; i++) await client.inference.infer(model, inputs);
    }),
  );
}
