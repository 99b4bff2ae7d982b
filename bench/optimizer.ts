/**
 * `npm run bench:optimizer`: what each optimization pass does to MLP-large and CNN_BENCH (the
 * @aiaas/onnx builders; CNN_BENCH is 3×32×32 → 3 Conv + Relu → 3 Gemm, 2.29M parameters, most of the
 * bytes in the dense layers and most of the arithmetic in the convolutions) — size before/after, p50 latency at batch 1 and 32 before/after, and how
 * far the outputs move (cosine similarity, max abs error, and that error relative to the largest
 * |output|) — for quantize-int8, fp16, fp16-weights, prune unstructured 50%, prune structured 50%
 * of hidden units (and, for models with Conv, of Conv output channels too: `convChannels`),
 * graph-optimize, and quantize-int8 + graph-optimize together.
 *
 * Latency: onnxruntime-node sessions in this process, the same options for the source and every
 * candidate (1 intra-op and 1 inter-op thread, sequential execution, ORT's default graph
 * optimizations), inputs generated once per model and batch size. The source and the candidate are
 * measured interleaved (5 rounds of source runs then candidate runs, BENCH_SECONDS in all per cell,
 * default 2, at least 5 runs each), so a machine shared with other work slows both alike; the
 * nearest-rank p50 of each is reported, so "before" differs a little from row to row. Accuracy
 * compares source and candidate on the same 32-row input.
 *
 * Pass settings, the same for both models: quantize-int8 per channel on MatMul and Gemm (its
 * default operators), plus for models with Conv a "+Conv" row (ConvInteger, dynamic) and a
 * "static Conv" row (quantizeInt8StaticConv: QLinearConv with activation scales calibrated on two
 * 32-row batches drawn like, but not equal to, the measured inputs, then quantize-int8 on the
 * Gemms: what the service's quantize-int8 pass does with `conv: "static"`); fp16-weights with
 * minElements 0; fp16 defaults; graph-optimize level extended.
 *
 * Goals (issue 5): int8 ≥ 3.5× smaller with cosine ≥ 0.99 and not slower at batch 32;
 * fp16-weights 2× smaller (≥ 1.95×: the graph itself stays) with max abs error ≤ 1e-2 relative;
 * structured pruning of 50% of hidden units ≥ 1.8× faster (p50 at batch 32). Prints the table and
 * writes it to bench/results/optimizer.md, keeping the hand-written analysis after the marker.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import {
  CNN_BENCH,
  MLP_LARGE,
  buildConvNet,
  buildMlp,
  convertFp16,
  convertFp16Weights,
  decodeModel,
  graphOptimize,
  inspectModel,
  mulberry32,
  prune,
  quantizeInt8,
  quantizeInt8StaticConv,
  uniformFloat32,
} from '@aiaas/onnx';
import { formatNumber, markdownTable, percentile } from './latency-summary';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '2');
const ROUNDS = 5;
if (!Number.isFinite(SECONDS) || SECONDS <= 0) {
  throw new Error(`BENCH_SECONDS: expected a positive number, got "${process.env['BENCH_SECONDS']}"`);
}
const RESULTS_FILE = path.resolve(__dirname, '..', 'bench', 'results', 'optimizer.md');
const BATCHES = [1, 32] as const;
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
};

/** A pass's output and what its report said (notes, nodes it left alone). */
interface PassOutput {
  bytes: Uint8Array;
  report: { notes?: string[]; skippedNodes?: { name: string; opType: string; reason: string }[] };
}

interface Variant {
  name: string;
  /** `calibration`: input batches like, but not equal to, the measured ones (for static quantization). */
  run(bytes: Uint8Array, calibration: Record<string, ort.Tensor>[]): Promise<PassOutput>;
  /** Only for models with this operator. @default every model */
  needsOp?: string;
  goal?: (row: Row) => { text: string; met: boolean };
}

interface Row {
  model: string;
  pass: string;
  sizeBefore: number;
  sizeAfter: number;
  p50Before: Record<number, number>;
  p50After: Record<number, number>;
  cosine: number;
  maxAbsError: number;
  relMaxAbsError: number;
  goal: string;
  met: boolean | undefined;
  notes: string[];
  /** The pass returned the source's bytes or a model with the same size and identical outputs. */
  unchanged: boolean;
}

const ratio = (row: Row): number => row.sizeBefore / row.sizeAfter;
const speedup = (row: Row, batch: number): number => (row.p50Before[batch] ?? NaN) / (row.p50After[batch] ?? NaN);

const INT8 = { perChannel: true } as const;
const INT8_CONV = { perChannel: true, opTypes: ['MatMul', 'Gemm', 'Conv'] } as const;

function int8Goal(row: Row): { text: string; met: boolean } {
  return {
    text: `≥ 3.5× smaller (${formatNumber(ratio(row))}×), cosine ≥ 0.99 (${row.cosine.toFixed(4)}), not slower at b32 (${formatNumber(speedup(row, 32))}×)`,
    met: ratio(row) >= 3.5 && row.cosine >= 0.99 && speedup(row, 32) >= 1,
  };
}

function pruneGoal(row: Row): { text: string; met: boolean } {
  return { text: `≥ 1.8× faster at b32 (${formatNumber(speedup(row, 32))}×)`, met: speedup(row, 32) >= 1.8 };
}

const VARIANTS: Variant[] = [
  { name: 'quantize-int8', run: async (bytes) => quantizeInt8(bytes, INT8), goal: int8Goal },
  {
    name: 'quantize-int8 +Conv',
    needsOp: 'Conv',
    run: async (bytes) => quantizeInt8(bytes, INT8_CONV),
    goal: int8Goal,
  },
  {
    name: 'quantize-int8 static Conv + Gemm',
    needsOp: 'Conv',
    run: async (bytes, calibration) => {
      const conv = await quantizeInt8StaticConv(bytes, { calibration, perChannel: true });
      const dense = quantizeInt8(conv.bytes, INT8);
      return { bytes: dense.bytes, report: { notes: [...conv.report.notes, ...(dense.report.notes ?? [])] } };
    },
    goal: int8Goal,
  },
  { name: 'fp16', run: async (bytes) => convertFp16(bytes, {}) },
  {
    name: 'fp16-weights',
    run: async (bytes) => convertFp16Weights(bytes, { minElements: 0 }),
    goal: (row) => ({
      text: `2× smaller, ≥ 1.95× (${formatNumber(ratio(row))}×); max abs error ≤ 1e-2 relative (${row.relMaxAbsError.toExponential(2)})`,
      met: ratio(row) >= 1.95 && row.relMaxAbsError <= 1e-2,
    }),
  },
  { name: 'prune unstructured 50%', run: async (bytes) => prune(bytes, { mode: 'unstructured', sparsity: 0.5 }) },
  {
    name: 'prune structured 50%',
    run: async (bytes) => prune(bytes, { mode: 'structured', sparsity: 0.5 }),
    goal: pruneGoal,
  },
  {
    name: 'prune structured 50% +Conv channels',
    needsOp: 'Conv',
    run: async (bytes) => prune(bytes, { mode: 'structured', sparsity: 0.5, convChannels: true }),
    goal: pruneGoal,
  },
  { name: 'graph-optimize (extended)', run: (bytes) => graphOptimize(bytes, { level: 'extended' }) },
  {
    name: 'quantize-int8 + graph-optimize',
    run: async (bytes) => {
      const quantized = quantizeInt8(bytes, INT8);
      const optimized = await graphOptimize(quantized.bytes, { level: 'extended' });
      return { bytes: optimized.bytes, report: quantized.report };
    },
    goal: int8Goal,
  },
];

/** The operator types of a model's graph. */
function opTypes(bytes: Uint8Array): Set<string> {
  return new Set((decodeModel(bytes).graph?.node ?? []).map((node) => node.opType ?? ''));
}

/** Inputs for every model input at `batch` rows: floats uniform in [-1, 1), the same per seed. */
function feedsFor(bytes: Uint8Array, batch: number, seed = 7 + batch): Record<string, ort.Tensor> {
  const random = mulberry32(seed);
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of inspectModel(bytes).inputs) {
    const dims = input.shape.map((dim, i) => (typeof dim === 'number' ? dim : i === 0 ? batch : 1));
    const count = dims.reduce((a, b) => a * b, 1);
    feeds[input.name] = new ort.Tensor('float32', uniformFloat32(random, count, 1), dims);
  }
  return feeds;
}

/** p50 (ms) of `before` and `after` on the same feeds, measured in interleaved rounds. */
async function p50Pair(
  before: ort.InferenceSession,
  after: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
): Promise<[number, number]> {
  const latencies: [number[], number[]] = [[], []];
  const sessions = [before, after] as const;
  for (const session of sessions) for (let i = 0; i < 3; i++) await session.run(feeds);
  const slice = (SECONDS * 1000) / ROUNDS / 2;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, session] of sessions.entries()) {
      const until = performance.now() + slice;
      let runs = 0;
      while (runs < 1 || performance.now() < until) {
        const start = performance.now();
        await session.run(feeds);
        latencies[index]!.push(performance.now() - start);
        runs++;
      }
    }
  }
  const p50 = (values: number[]): number => percentile(Float64Array.from(values).sort(), 0.5);
  return [p50(latencies[0]), p50(latencies[1])];
}

function compare(expected: ort.Tensor, actual: ort.Tensor): { cosine: number; maxAbs: number; rel: number } {
  const a = expected.data as Float32Array;
  const b = actual.data as Float32Array;
  let dot = 0;
  let na = 0;
  let nb = 0;
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
    maxAbs = Math.max(maxAbs, Math.abs(x - y));
    maxRef = Math.max(maxRef, Math.abs(x));
  }
  return { cosine: dot / Math.sqrt(na * nb), maxAbs, rel: maxRef === 0 ? maxAbs : maxAbs / maxRef };
}

async function benchModel(model: string, source: Uint8Array): Promise<Row[]> {
  const feeds = Object.fromEntries(BATCHES.map((batch) => [batch, feedsFor(source, batch)]));
  // Other seeds than the measured inputs (7 + batch), so static scales are not fitted to them.
  const calibration = [feedsFor(source, 32, 1001), feedsFor(source, 32, 1002)];
  const sourceSession = await ort.InferenceSession.create(source, SESSION_OPTIONS);
  const outputName = sourceSession.outputNames[0]!;
  const reference = (await sourceSession.run(feeds[32]!))[outputName]!;
  const rows: Row[] = [];
  const ops = opTypes(source);
  for (const variant of VARIANTS) {
    if (variant.needsOp !== undefined && !ops.has(variant.needsOp)) continue;
    const output = await variant.run(source, calibration);
    const { bytes } = output;
    const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
    const p50Before: Record<number, number> = {};
    const p50After: Record<number, number> = {};
    for (const batch of BATCHES) {
      [p50Before[batch], p50After[batch]] = await p50Pair(sourceSession, session, feeds[batch]!);
    }
    const accuracy = compare(reference, (await session.run(feeds[32]!))[outputName]!);
    await session.release();
    const row: Row = {
      model,
      pass: variant.name,
      sizeBefore: source.byteLength,
      sizeAfter: bytes.byteLength,
      p50Before,
      p50After,
      cosine: accuracy.cosine,
      maxAbsError: accuracy.maxAbs,
      relMaxAbsError: accuracy.rel,
      goal: '',
      met: undefined,
      unchanged:
        Buffer.from(bytes).equals(Buffer.from(source)) ||
        (bytes.byteLength === source.byteLength && accuracy.maxAbs === 0 && variant.name.startsWith('prune')),
      notes: [
        ...(output.report.notes ?? []),
        ...(output.report.skippedNodes ?? []).map((node) => `left ${node.opType} "${node.name}" as is: ${node.reason}`),
      ],
    };
    const goal = variant.goal?.(row);
    if (goal !== undefined) Object.assign(row, { goal: goal.text, met: goal.met });
    rows.push(row);
    console.error(`${model} / ${variant.name}: done`);
  }
  await sourceSession.release();
  return rows;
}

/**
 * Rows whose pass left the model as it was (the same bytes, or a prune that removed nothing: same
 * size, identical outputs): their "speed-up" is the measurement noise of this machine (shared,
 * other work running), a yardstick for the other rows.
 */
function noiseLine(rows: readonly Row[]): string {
  const unchanged = rows.filter((row) => row.unchanged);
  if (unchanged.length === 0) return 'No row left its model unchanged, so there is no noise yardstick in this run.';
  const cells = unchanged.map(
    (row) => `${row.model} / ${row.pass} (${formatNumber(speedup(row, 1))}× / ${formatNumber(speedup(row, 32))}×)`,
  );
  return `Noise yardstick: these passes left the model's size and outputs unchanged, so their speed-ups (b1 / b32) are measurement noise on this machine: ${cells.join(', ')}.`;
}

/** Marks the hand-written analysis at the end of the results file, which a rerun keeps. */
const ANALYSIS_MARKER = '<!-- analysis: written by hand, kept when the bench rewrites this file -->';

/** The results file's hand-written analysis (from the marker on), or '' when it has none. */
function keptAnalysis(): string {
  const previous = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '';
  const at = previous.indexOf(ANALYSIS_MARKER);
  return at < 0 ? '' : `\n${previous.slice(at)}`;
}

const kb = (bytes: number): string => `${formatNumber(bytes / 1024)} KiB`;

async function main(): Promise<void> {
  const started = performance.now();
  const cnn = buildConvNet(CNN_BENCH);
  const cnnLabel = `CNN (3×32×32, 3 conv + 3 dense, ${formatNumber(cnn.parameters / 1e6)}M params)`;
  const rows = [
    ...(await benchModel('MLP-large', buildMlp(MLP_LARGE).bytes)),
    ...(await benchModel(cnnLabel, cnn.bytes)),
  ];
  const table = markdownTable(
    [
      'model',
      'pass',
      'size before → after',
      'smaller',
      'p50 b1 before → after (ms)',
      'p50 b32 before → after (ms)',
      'speed-up b1 / b32',
      'cosine',
      'max abs err (rel.)',
      'goal',
      'met',
    ],
    rows.map((row) => [
      row.model,
      row.pass,
      `${kb(row.sizeBefore)} → ${kb(row.sizeAfter)}`,
      `${formatNumber(ratio(row))}×`,
      `${formatNumber(row.p50Before[1]!)} → ${formatNumber(row.p50After[1]!)}`,
      `${formatNumber(row.p50Before[32]!)} → ${formatNumber(row.p50After[32]!)}`,
      `${formatNumber(speedup(row, 1))}× / ${formatNumber(speedup(row, 32))}×`,
      row.cosine.toFixed(5),
      `${row.maxAbsError.toExponential(2)} (${row.relMaxAbsError.toExponential(2)})`,
      row.goal || '—',
      row.met === undefined ? '—' : row.met ? 'yes' : '**NO**',
    ]),
  );
  const missed = rows.filter((row) => row.met === false);
  const missedText = missed.map((row) => {
    const notes = row.notes.length === 0 ? '' : ` Pass report: ${row.notes.slice(0, 3).join('; ')}.`;
    return `- ${row.model} / ${row.pass}: ${row.goal}.${notes}`;
  });
  const cpus = os.cpus();
  const text = [
    '# Optimizer passes (`npm run bench:optimizer`)',
    '',
    `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, onnxruntime-node ${ort.env.versions.common}.`,
    `Sessions in-process, 1 intra-op + 1 inter-op thread for source and candidates alike; source and candidate measured interleaved (${ROUNDS} rounds, ${SECONDS} s per cell), p50; accuracy on one 32-row input.`,
    'Settings: quantize-int8 per channel on MatMul/Gemm (the default ops), and on Conv too in the "+Conv" row (ConvInteger); "static Conv + Gemm": quantizeInt8StaticConv (QLinearConv, uint8 activations with scales calibrated on 2 × 32 inputs of other seeds than the measured ones, same uniform [-1, 1) distribution), then quantize-int8 on the Gemms; fp16-weights minElements 0; prune 50% (structured: hidden units of consecutive MatMul/Gemm layers; "+Conv channels": convChannels on, so also half the output channels of each Conv, with the next Conv\'s input channels or the next Gemm\'s rows after Flatten); graph-optimize extended.',
    '',
    table,
    '',
    noiseLine(rows),
    '',
    missed.length === 0 ? 'Every goal met.' : ['Goals missed:', ...missedText].join('\n'),
    '',
    `Run took ${formatNumber((performance.now() - started) / 1000)} s.`,
    '',
  ].join('\n');
  console.log(text);
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, text + keptAnalysis());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
