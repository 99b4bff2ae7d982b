import * as ort from 'onnxruntime-node';
import { inspectModel } from '../inspect-model';
import { PassSettingsError } from './pass';
import { generateInputs, toOrtTensor } from './validate';

/** Options of {@link benchmarkModel}. */
export interface BenchmarkOptions {
  /** Batch sizes to time (the first symbolic dimension of every input). @default [1, 8, 32] */
  batchSizes?: readonly number[];
  /** Timed runs per batch size. @default 50 */
  iterations?: number;
  /** Untimed runs first, so allocation and first-run costs are left out. @default 5 */
  warmup?: number;
  /** onnxruntime intra-op threads; 0 lets onnxruntime choose (one per core). @default 0 */
  intraOpThreads?: number;
  /** Seed of the generated inputs. @default 1234 */
  seed?: number;
}

/** Latency and throughput at one batch size. */
export interface BenchmarkRow {
  batchSize: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** batchSize × runs / total seconds of the timed runs. */
  rowsPerSecond: number;
}

const DEFAULT_BATCH_SIZES = [1, 8, 32] as const;

function positiveInteger(name: string, value: number, allowZero = false): void {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new PassSettingsError(
      `benchmark: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`,
    );
  }
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * Times a model on this machine with onnxruntime-node's CPU provider at each batch size, on
 * inputs generated from its signature (see `generateInputs`). Each run is timed on its own with
 * a monotonic clock; percentiles are nearest-rank. When the model's batch dimension is fixed,
 * only that size can be fed: the other sizes are left out and the fixed one is timed instead.
 *
 * @throws PassSettingsError for empty or non-integer batch sizes, iterations or warm-up counts
 */
export async function benchmarkModel(bytes: Uint8Array, options: BenchmarkOptions = {}): Promise<BenchmarkRow[]> {
  const batchSizes = options.batchSizes ?? DEFAULT_BATCH_SIZES;
  const iterations = options.iterations ?? 50;
  const warmup = options.warmup ?? 5;
  const intraOpThreads = options.intraOpThreads ?? 0;
  if (batchSizes.length === 0) throw new PassSettingsError('benchmark: batchSizes is empty');
  batchSizes.forEach((size) => positiveInteger('each batch size', size));
  positiveInteger('iterations', iterations);
  positiveInteger('warmup', warmup, true);
  positiveInteger('intraOpThreads', intraOpThreads, true);

  const signature = inspectModel(bytes);
  const fixedBatches = new Set(
    signature.inputs.map((input) => input.shape[0]).filter((dim): dim is number => typeof dim === 'number'),
  );
  const fixed = fixedBatches.size === 1 ? [...fixedBatches][0] : undefined;
  const sizes = fixed === undefined ? [...batchSizes] : [fixed];

  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(intraOpThreads > 0 ? { intraOpNumThreads: intraOpThreads } : {}),
  });
  try {
    const rows: BenchmarkRow[] = [];
    for (const batchSize of sizes) {
      const sample = generateInputs(signature, { batchSize, seed: options.seed });
      const feeds = Object.fromEntries(
        Object.entries(sample).map(([name, tensor]) => [name, toOrtTensor(name, tensor)]),
      );
      for (let i = 0; i < warmup; i++) await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const start = process.hrtime.bigint();
        await session.run(feeds);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const total = times.reduce((a, b) => a + b, 0);
      times.sort((a, b) => a - b);
      rows.push({
        batchSize,
        p50Ms: percentile(times, 50),
        p90Ms: percentile(times, 90),
        p99Ms: percentile(times, 99),
        rowsPerSecond: (batchSize * iterations) / (total / 1000),
      });
    }
    return rows;
  } finally {
    await session.release();
  }
}
