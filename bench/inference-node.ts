/**
 * `npm run bench:node`: the inference node against onnxruntime-node in-process, on MLP-small,
 * MLP-large and the CNN.
 *
 * 1. In-process limit: one session with default options in this process, sequential runs at a
 *    few batch sizes (rows/s, p50/p99 per run).
 * 2. The node with batching off and 3. with dynamic batching on, each in its own child process
 *    (this machine may have 2 cores; the load generator must not share the node's event loop):
 *    closed-loop batch-1 gRPC requests at several concurrencies.
 *
 * 4. Tracing overhead: the node with batching on at concurrency 32, tracing off next to tracing on
 *    with 10% (parentbased_traceidratio 0.1) and 100% (always_on) sampling, spans exported over
 *    OTLP/HTTP protobuf to a loopback receiver (bench/otlp-receiver.ts).
 *
 * Prints one markdown table per model and the goals, and writes them to
 * bench/results/inference-node.md. Settings: BENCH_SECONDS (measured window, default 3) and
 * BENCH_WARMUP_SECONDS (default 0.5); BENCH_TRACING_ONLY=1 runs only part 4 and prints it without
 * writing the results file; BENCH_TRACING_ROUNDS (default 60) sets its rounds and BENCH_TRACING_PROCESSES
 * (default 4) its nodes per setup; BENCH_NODE_CPU_PROF=DIR profiles the nodes of part 4; BENCH_TRACING_AA=1 (with
 * BENCH_TRACING_ONLY) runs part 4 with every node untraced, so its "loss" and "CPU vs off" columns show the
 * method's own noise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { MLP_LARGE, MLP_SMALL, buildCnn, buildMlp, mulberry32, uniformFloat32 } from '@aiaas/onnx';
import { callUnary, createInferenceClient, makeTempDir, removeDir, writeModelRepository } from '@aiaas/testing';
import type { InferenceClient } from '@aiaas/testing';
import type { ModelInferRequest, ModelInferResponse__Output, ModelStatisticsResponse__Output } from '@aiaas/proto';
import {
  formatNumber,
  formatPercentChange,
  markdownTable,
  formatLoss,
  lossVerdict,
  processesOfRound,
  formatLossByGroup,
  roundsLoss,
  tracingRunSettings,
  shuffled,
  summarize,
} from './latency-summary';
import type { LatencySummary, RoundsLoss } from './latency-summary';
import { processCpuMs, startNodeProcess } from './node-process';
import type { NodeProcess } from './node-process';
import { benchExportEnv, start as startOtlpReceiver } from './otlp-receiver';
import type { OtlpReceiver } from './otlp-receiver';

/** Reads a positive number of seconds from the environment. */
function secondsFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name}: expected a positive number of seconds, got "${text}"`);
  return value;
}

const MEASURE_MS = secondsFromEnv('BENCH_SECONDS', 3) * 1000;
const WARMUP_MS = secondsFromEnv('BENCH_WARMUP_SECONDS', 0.5) * 1000;
const CONCURRENCIES = [1, 8, 32, 64] as const;
/** Per-call deadline: long enough never to fire on a healthy node, short enough to end a stuck run. */
const CALL_DEADLINE_MS = 30_000;
const RESULTS_FILE = path.resolve(__dirname, '..', 'bench', 'results', 'inference-node.md');

type ModelKey = 'mlp-small' | 'mlp-large' | 'cnn';

interface BenchModel {
  key: ModelKey;
  title: string;
  bytes: Uint8Array;
  inputName: string;
  outputName: string;
  /** Shape of one row (the input without its batch dimension). */
  rowShape: number[];
  /** Elements of one output row, to check responses. */
  outputRowElements: number;
  inProcessBatchSizes: number[];
}

type Mode = 'off' | 'on';

const MODE_CONFIG: Record<Mode, object> = {
  off: { max_batch_size: 64 },
  on: { max_batch_size: 64, dynamic_batching: {} },
};
const MODE_LABEL: Record<Mode, string> = {
  off: 'node, batching off',
  on: 'node, batching on',
};

interface InProcessRow {
  batch: number;
  summary: LatencySummary;
}

interface NodeRow {
  mode: Mode;
  concurrency: number;
  summary: LatencySummary;
  errors: number;
  firstError: string | undefined;
  /** inference_count / execution_count over the measured window; undefined if statistics failed. */
  averageBatch: number | undefined;
}

/** ServerLive round trips at concurrency 1: what any unary call costs before inference. */
interface TransportFloor extends LoadResult {
  mode: Mode;
}

interface ModelResults {
  model: BenchModel;
  inProcess: InProcessRow[];
  node: NodeRow[];
}

function rowElements(model: BenchModel): number {
  return model.rowShape.reduce((a, b) => a * b, 1);
}

function buildModels(): BenchModel[] {
  const small = buildMlp(MLP_SMALL);
  const large = buildMlp(MLP_LARGE);
  const cnn = buildCnn();
  return [
    {
      key: 'mlp-small',
      title: 'MLP-small (64→64→10)',
      bytes: small.bytes,
      inputName: small.inputName,
      outputName: small.outputName,
      rowShape: [MLP_SMALL.inputSize],
      outputRowElements: MLP_SMALL.outputSize,
      inProcessBatchSizes: [1, 8, 32, 64],
    },
    {
      key: 'mlp-large',
      title: 'MLP-large (1024→1024×3→10)',
      bytes: large.bytes,
      inputName: large.inputName,
      outputName: large.outputName,
      rowShape: [MLP_LARGE.inputSize],
      outputRowElements: MLP_LARGE.outputSize,
      inProcessBatchSizes: [1, 8, 32, 64],
    },
    {
      key: 'cnn',
      title: 'CNN (image [batch,3,64,64] → logits [batch,10])',
      bytes: cnn.bytes,
      inputName: cnn.inputName,
      outputName: cnn.outputName,
      rowShape: [3, 64, 64],
      outputRowElements: 10,
      inProcessBatchSizes: [1, 8, 32],
    },
  ];
}

function randomInput(model: BenchModel, rows: number, seed: number): Float32Array {
  return uniformFloat32(mulberry32(seed), rows * rowElements(model), 1);
}

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Sequential session.run at each batch size, in this process, with default session options. */
async function benchInProcess(model: BenchModel): Promise<InProcessRow[]> {
  const session = await ort.InferenceSession.create(model.bytes);
  const rows: InProcessRow[] = [];
  try {
    for (const batch of model.inProcessBatchSizes) {
      const feeds = {
        [model.inputName]: new ort.Tensor('float32', randomInput(model, batch, 7), [batch, ...model.rowShape]),
      };
      const warmupEnd = performance.now() + WARMUP_MS;
      while (performance.now() < warmupEnd) await session.run(feeds);
      const latencies: number[] = [];
      const start = performance.now();
      const end = start + MEASURE_MS;
      let now = start;
      while (now < end) {
        const t0 = performance.now();
        await session.run(feeds);
        now = performance.now();
        latencies.push(now - t0);
      }
      const summary = summarize(latencies, now - start, batch);
      rows.push({ batch, summary });
      progress(
        `  ${model.key} in-process batch ${batch}: ${formatNumber(summary.rowsPerSecond)} rows/s, p50 ${formatNumber(summary.p50Ms)} ms`,
      );
    }
  } finally {
    await session.release();
  }
  return rows;
}

function inferRequest(model: BenchModel, input: Float32Array): ModelInferRequest {
  return {
    model_name: model.key,
    inputs: [
      {
        name: model.inputName,
        datatype: 'FP32',
        shape: [1, ...model.rowShape],
      },
    ],
    raw_input_contents: [Buffer.from(input.buffer, input.byteOffset, input.byteLength)],
  };
}

function deadline(): Date {
  return new Date(Date.now() + CALL_DEADLINE_MS);
}

async function readCounts(client: InferenceClient, model: string): Promise<{ inferences: number; executions: number }> {
  const response = await callUnary<object, ModelStatisticsResponse__Output>(
    client,
    client.ModelStatistics,
    { name: model },
    { deadline: deadline() },
  );
  let inferences = 0;
  let executions = 0;
  for (const stats of response.model_stats) {
    inferences += Number(stats.inference_count);
    executions += Number(stats.execution_count);
  }
  return { inferences, executions };
}

/** One request, checked, so that a broken setup stops the bench instead of filling tables with errors. */
async function checkModel(client: InferenceClient, model: BenchModel, request: ModelInferRequest): Promise<void> {
  const response = await callUnary<ModelInferRequest, ModelInferResponse__Output>(client, client.ModelInfer, request, {
    deadline: deadline(),
  });
  const output = response.outputs.find((o) => o.name === model.outputName);
  const index = response.outputs.findIndex((o) => o.name === model.outputName);
  const raw = response.raw_output_contents[index];
  const expectedBytes = model.outputRowElements * 4;
  if (!output || output.datatype !== 'FP32' || !raw || raw.length !== expectedBytes) {
    throw new Error(
      `${model.key}: expected output "${model.outputName}" FP32 with ${expectedBytes} raw bytes, got ` +
        `${JSON.stringify(response.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape })))} ` +
        `with ${response.raw_output_contents.map((b) => b.length).join(',') || 'no'} raw bytes`,
    );
  }
}

interface LoadResult {
  summary: LatencySummary;
  /** Latencies (ms) of the calls that completed in the measured window. */
  latencies: number[];
  /** Calls that succeeded over the whole run (warm-up and tail included). */
  completed: number;
  errors: number;
  firstError: string | undefined;
}

/**
 * Closed loop: `concurrency` workers, each sending its next call as soon as the previous one
 * answers. Calls that complete inside the measured window count for throughput and latency;
 * errors count over the whole run (warm-up included), since any error is a finding.
 */
async function closedLoop(
  node: NodeProcess,
  concurrency: number,
  call: () => Promise<unknown>,
  onWindowStart: () => void = () => undefined,
  measureMs: number = MEASURE_MS,
  warmupMs: number = WARMUP_MS,
): Promise<LoadResult> {
  const start = performance.now();
  const windowStart = start + warmupMs;
  const windowEnd = windowStart + measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let completed = 0;
  let firstError: string | undefined;
  const timer = setTimeout(onWindowStart, warmupMs);
  const worker = async (): Promise<void> => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= windowEnd || node.exited) return;
      let ok = true;
      try {
        await call();
      } catch (err) {
        ok = false;
        errors++;
        firstError ??= (err as Error).message;
      }
      const t1 = performance.now();
      if (ok) completed++;
      if (ok && t1 >= windowStart && t1 < windowEnd) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  clearTimeout(timer);
  if (node.exited) throw new Error(`inference node exited during the run: ${JSON.stringify(node.exited)}`);
  return { summary: summarize(latencies, measureMs, 1), latencies, completed, errors, firstError };
}

/** Batch-1 ModelInfer in a closed loop, with the average batch size the node reports over the window. */
async function inferLoad(
  node: NodeProcess,
  client: InferenceClient,
  model: BenchModel,
  mode: Mode,
  request: ModelInferRequest,
  concurrency: number,
): Promise<NodeRow> {
  let countsAtStart: Promise<{ inferences: number; executions: number } | undefined> = Promise.resolve(undefined);
  const load = await closedLoop(
    node,
    concurrency,
    () => callUnary(client, client.ModelInfer, request, { deadline: deadline() }),
    () => {
      countsAtStart = readCounts(client, model.key).catch(() => undefined);
    },
  );
  let averageBatch: number | undefined;
  const before = await countsAtStart;
  const after = await readCounts(client, model.key).catch(() => undefined);
  if (before && after && after.executions > before.executions) {
    averageBatch = (after.inferences - before.inferences) / (after.executions - before.executions);
  }
  return { mode, concurrency, ...load, averageBatch };
}

async function benchNodeMode(
  distDir: string,
  models: BenchModel[],
  mode: Mode,
  results: Map<ModelKey, ModelResults>,
  floors: TransportFloor[],
): Promise<NodeProcess['problems']> {
  const repository = makeTempDir(`bench-node-${mode}`);
  let node: NodeProcess | undefined;
  let client: InferenceClient | undefined;
  try {
    writeModelRepository(
      repository,
      models.map((m) => ({
        name: m.key,
        versions: { 1: m.bytes },
        config: MODE_CONFIG[mode],
      })),
    );
    progress(`starting the node (${MODE_LABEL[mode]})...`);
    node = await startNodeProcess(distDir, repository);
    client = createInferenceClient(node.grpcPort);
    const liveClient = client;
    // The transport floor: an empty unary call's round trip through grpc-js on both sides.
    const floor = await closedLoop(node, 1, () =>
      callUnary(liveClient, liveClient.ServerLive, {}, { deadline: deadline() }),
    );
    floors.push({ mode, ...floor });
    progress(
      `  ServerLive c=1 (${MODE_LABEL[mode]}): p50 ${formatNumber(floor.summary.p50Ms)} ms, p99 ${formatNumber(floor.summary.p99Ms)} ms`,
    );
    for (const model of models) {
      const request = inferRequest(model, randomInput(model, 1, 11));
      await checkModel(client, model, request);
      for (const concurrency of CONCURRENCIES) {
        const row = await inferLoad(node, client, model, mode, request, concurrency);
        results.get(model.key)!.node.push(row);
        progress(
          `  ${model.key} ${MODE_LABEL[mode]} c=${concurrency}: ${formatNumber(row.summary.perSecond)} req/s, ` +
            `p50 ${formatNumber(row.summary.p50Ms)} ms, p99 ${formatNumber(row.summary.p99Ms)} ms, errors ${row.errors}` +
            (row.averageBatch !== undefined ? `, avg batch ${formatNumber(row.averageBatch)}` : ''),
        );
      }
    }
    return node.problems;
  } finally {
    client?.close();
    await node?.stop();
    removeDir(repository);
  }
}

type Tracing = 'off' | '0%' | '10%' | '100%';

/**
 * '0%' (the SDK and instrumentations loaded, `always_off`) shows what context propagation alone
 * costs, before any span is recorded or exported.
 */
const TRACING_SETUPS: readonly Tracing[] = ['off', '0%', '10%', '100%'];
/** Sampling per setup; the exporter endpoint is added when the receiver is up. */
const TRACING_ENV: Record<Tracing, NodeJS.ProcessEnv> = {
  // Undefined removes a variable the bench itself may have been started with.
  off: {
    OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
    OTEL_TRACES_EXPORTER: undefined,
  },
  '0%': { OTEL_TRACES_SAMPLER: 'always_off' },
  '10%': { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  '100%': { OTEL_TRACES_SAMPLER: 'always_on' },
};
const TRACING_CONCURRENCY = 32;
/** BENCH_NODE_CPU_PROF=DIR: each node of part 4 writes a V8 CPU profile when it stops, in DIR/off-1, DIR/0-1, DIR/10-1, DIR/100-1, ... */
const PROFILE_DIR = process.env['BENCH_NODE_CPU_PROF'] || undefined;
/** Goals: throughput loss at most this fraction of tracing off. */
const TRACING_GOALS: Record<'10%' | '100%', number> = { '10%': 0.05, '100%': 0.15 };
/**
 * Many short windows, one per setup per round, the setups in a new random order each round, so that
 * a change in the machine's load (other processes share its cores; a burst lasts a second or two)
 * hits every setup alike; the loss compares the requests served over all rounds, with a bootstrap
 * interval over rounds (see roundsLoss). On this shared 2-core machine a window's throughput
 * scatters by about ±20% with the machine's speed, so 60 rounds put the interval at about ±3 points.
 * One more round before them warms every node up and is not counted. Several nodes per setup
 * (BENCH_TRACING_PROCESSES), round `r` on the `(r − 1) mod n`-th of each: two identical node processes can
 * differ by several percent for their whole life (JIT and heap layout), which no number of rounds on
 * one process averages out; several per setup do, and the loss's interval then includes that
 * difference (roundsLoss with groups).
 */
const { rounds: TRACING_ROUNDS, processes: TRACING_PROCESSES } = tracingRunSettings(process.env);
const TRACING_WINDOW_MS = 500;
const TRACING_WARMUP_MS = 200;
const TRACING_MODELS: readonly ModelKey[] = ['mlp-small', 'mlp-large'];
/** An A/A run: every node untraced, so what the table shows between them is noise (BENCH_TRACING_AA=1). */
const TRACING_AA = process.env['BENCH_TRACING_AA'] === '1';

interface TracingRow {
  model: ModelKey;
  tracing: Tracing;
  /** Requests per second over all the setup's windows. */
  perSecond: number;
  /** Requests per second in each round's window. */
  roundPerSecond: number[];
  /** Which of the setup's nodes each round loaded (the same for every setup of a round). */
  roundGroups: number[];
  /**
   * The node process's CPU time (all threads) per request over every round; on a machine shared
   * with other work this moves far less than throughput does. Undefined without /proc.
   */
  cpuMsPerRequest: number | undefined;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  firstError: string | undefined;
  /** Spans the receiver got from this setup's node over its windows and warm-ups. */
  spans: number;
  requests: number;
  /** inference_count / execution_count over the counted windows (with their warm-ups). */
  averageBatch: number | undefined;
}

interface TracingResults {
  rows: TracingRow[];
  problems: (NodeProcess['problems'][number] & { tracing: Tracing })[];
  rejectedExports: number;
}

type TracingNode = { node: NodeProcess; client: InferenceClient; receiver: OtlpReceiver | undefined };

/**
 * The node with batching on, {@link TRACING_PROCESSES} processes per tracing setup (one receiver
 * each so spans are counted per node), loaded at concurrency {@link TRACING_CONCURRENCY} in
 * alternating rounds.
 */
async function benchTracing(distDir: string, models: BenchModel[]): Promise<TracingResults> {
  const chosen = models.filter((m) => TRACING_MODELS.includes(m.key));
  const repository = makeTempDir('bench-node-tracing');
  const nodes = new Map<Tracing, TracingNode[]>();
  const allNodes = (): TracingNode[] => [...nodes.values()].flat();
  try {
    writeModelRepository(
      repository,
      chosen.map((m) => ({ name: m.key, versions: { 1: m.bytes }, config: MODE_CONFIG.on })),
    );
    // Started in turns (off, 0%, 10%, 100%, off, ...) so each setup's nodes are alike in age.
    const starts = Array.from({ length: TRACING_PROCESSES }, () => TRACING_SETUPS).flat();
    for (const tracing of starts) {
      const index = nodes.get(tracing)?.length ?? 0;
      progress(`starting the node (batching on, tracing ${tracing}, #${index + 1})...`);
      const receiver = tracing === 'off' || TRACING_AA ? undefined : await startOtlpReceiver();
      const env: NodeJS.ProcessEnv = { ...TRACING_ENV[TRACING_AA ? 'off' : tracing] };
      if (receiver) Object.assign(env, benchExportEnv(receiver.url));
      const execArgv =
        PROFILE_DIR === undefined
          ? []
          : ['--cpu-prof', '--cpu-prof-dir', path.join(PROFILE_DIR, `${tracing.replace('%', '')}-${index + 1}`)];
      const node = await startNodeProcess(distDir, repository, { env, execArgv });
      const started = { node, client: createInferenceClient(node.grpcPort), receiver };
      nodes.set(tracing, [...(nodes.get(tracing) ?? []), started]);
    }
    const rows: TracingRow[] = [];
    for (const model of chosen) {
      const request = inferRequest(model, randomInput(model, 1, 13));
      const samples = new Map<
        Tracing,
        {
          latencies: number[];
          count: number;
          errors: number;
          firstError?: string;
          spans: number;
          rounds: number[];
          cpuMs: number | undefined;
          completed: number;
          inferences: number;
          executions: number;
        }
      >(
        TRACING_SETUPS.map((t) => [
          t,
          {
            latencies: [],
            count: 0,
            errors: 0,
            spans: 0,
            rounds: [],
            cpuMs: 0,
            completed: 0,
            inferences: 0,
            executions: 0,
          },
        ]),
      );
      for (const { client } of allNodes()) await checkModel(client, model, request);
      const random = mulberry32(7);
      // Round 0 warms every node up and is not counted; round r then loads the ((r - 1) mod n)-th
      // node of each setup, its group in roundsLoss.
      const roundGroups: number[] = [];
      for (let round = 0; round <= TRACING_ROUNDS; round++) {
        const indices = processesOfRound(round, TRACING_PROCESSES);
        if (round > 0) roundGroups.push(indices[0]!);
        for (const [index, tracing] of indices.flatMap((i) =>
          shuffled(TRACING_SETUPS, random).map((t) => [i, t] as const),
        )) {
          const { node, client, receiver } = nodes.get(tracing)![index]!;
          const spansBefore = receiver?.spanCount() ?? 0;
          const countsBefore = await readCounts(client, model.key);
          const cpuBefore = processCpuMs(node.pid);
          const load = await closedLoop(
            node,
            TRACING_CONCURRENCY,
            () => callUnary(client, client.ModelInfer, request, { deadline: deadline() }),
            undefined,
            TRACING_WINDOW_MS,
            TRACING_WARMUP_MS,
          );
          const countsAfter = await readCounts(client, model.key);
          if (round === 0) continue;
          const sample = samples.get(tracing)!;
          sample.inferences += countsAfter.inferences - countsBefore.inferences;
          sample.executions += countsAfter.executions - countsBefore.executions;
          sample.rounds.push(load.summary.perSecond);
          const cpuAfter = processCpuMs(node.pid);
          sample.cpuMs =
            sample.cpuMs === undefined || cpuBefore === undefined || cpuAfter === undefined
              ? undefined
              : sample.cpuMs + (cpuAfter - cpuBefore);
          sample.completed += load.completed;
          sample.count += load.summary.samples;
          sample.latencies.push(...load.latencies);
          sample.errors += load.errors;
          sample.firstError ??= load.firstError;
          sample.spans += (receiver?.spanCount() ?? 0) - spansBefore;
          progress(
            `  ${model.key} tracing ${tracing} #${index + 1} c=${TRACING_CONCURRENCY} round ${round}: ` +
              `${formatNumber(load.summary.perSecond)} req/s, errors ${load.errors}`,
          );
        }
      }
      for (const tracing of TRACING_SETUPS) {
        const sample = samples.get(tracing)!;
        const summary = summarize(sample.latencies, TRACING_WINDOW_MS * TRACING_ROUNDS, 1);
        rows.push({
          model: model.key,
          tracing,
          perSecond: summary.perSecond,
          roundPerSecond: sample.rounds,
          roundGroups,
          cpuMsPerRequest: sample.cpuMs === undefined ? undefined : sample.cpuMs / sample.completed,
          p50Ms: summary.p50Ms,
          p99Ms: summary.p99Ms,
          errors: sample.errors,
          firstError: sample.firstError,
          spans: sample.spans,
          requests: sample.count,
          averageBatch: sample.executions > 0 ? sample.inferences / sample.executions : undefined,
        });
      }
    }
    const problems = [...nodes.entries()].flatMap(([tracing, setupNodes]) =>
      setupNodes.flatMap(({ node }) => node.problems.map((p) => ({ ...p, tracing }))),
    );
    const rejectedExports = allNodes().reduce((sum, n) => sum + (n.receiver?.rejectedCount() ?? 0), 0);
    return { rows, problems, rejectedExports };
  } finally {
    for (const { node, client, receiver } of allNodes()) {
      client.close();
      await node.stop();
      await receiver?.close();
    }
    removeDir(repository);
  }
}

/** The row of `model` with `tracing`. */
function tracingRow(results: TracingResults, model: ModelKey, tracing: Tracing): TracingRow {
  return results.rows.find((r) => r.model === model && r.tracing === tracing)!;
}

/** Relative increase of CPU per request over tracing off; undefined without /proc. */
function tracingCpuIncrease(results: TracingResults, model: ModelKey, tracing: Tracing): number | undefined {
  const on = tracingRow(results, model, tracing).cpuMsPerRequest;
  const off = tracingRow(results, model, 'off').cpuMsPerRequest;
  return on === undefined || off === undefined ? undefined : on / off - 1;
}

/** Throughput loss against off over the rounds, each round's setups measured back to back (see {@link roundsLoss}). */
function tracingLoss(results: TracingResults, model: ModelKey, tracing: Tracing): RoundsLoss {
  const on = tracingRow(results, model, tracing);
  // Seeded per row, so the table and the goals below show the same interval.
  return roundsLoss(
    on.roundPerSecond,
    tracingRow(results, model, 'off').roundPerSecond,
    mulberry32(5),
    2000,
    on.roundGroups,
  );
}

function tracingTable(results: TracingResults): string {
  const header = [
    'Model',
    'Tracing',
    'Concurrency',
    'Req/s',
    'Loss vs off (90% interval)',
    'Loss by node',
    'CPU ms/req',
    'CPU vs off',
    'p50 ms',
    'p99 ms',
    'Avg batch',
    'Errors',
    'Spans received',
  ];
  const rows = results.rows.map((r) => [
    r.model,
    r.tracing === 'off' ? 'off (no SDK)' : TRACING_AA ? `off, in place of ${r.tracing}` : `on, ${r.tracing} sampled`,
    String(TRACING_CONCURRENCY),
    formatNumber(r.perSecond),
    r.tracing === 'off' ? '—' : formatLoss(tracingLoss(results, r.model, r.tracing)),
    r.tracing === 'off'
      ? '—'
      : formatLossByGroup(r.roundPerSecond, tracingRow(results, r.model, 'off').roundPerSecond, r.roundGroups),
    r.cpuMsPerRequest === undefined ? '—' : formatNumber(r.cpuMsPerRequest),
    r.tracing === 'off' ? '—' : formatPercentChange(tracingCpuIncrease(results, r.model, r.tracing)),
    formatNumber(r.p50Ms),
    formatNumber(r.p99Ms),
    r.averageBatch === undefined ? '—' : formatNumber(r.averageBatch),
    String(r.errors),
    r.tracing === 'off' ? '—' : String(r.spans),
  ]);
  const aa = TRACING_AA
    ? ['**A/A run (BENCH_TRACING_AA=1): every node untraced; the differences are the method’s noise.**', '']
    : [];
  return [
    '### Tracing overhead (node, batching on)',
    '',
    ...aa,
    `${TRACING_PROCESSES} nodes per setup, started in turns: tracing off (no SDK loaded); on with \`always_off\` (SDK, gRPC interceptors and the node’s explicit context`,
    'propagation, no span recorded); on with `parentbased_traceidratio` 0.1; on with `always_on`. OTLP/HTTP protobuf to a loopback receiver,',
    `the SDK's batch processor exporting in full batches of 512 only (the cadence of its defaults under steady load, in the windows that recorded them); ${TRACING_ROUNDS} rounds of one ${TRACING_WINDOW_MS / 1000} s window per setup (after`,
    `${TRACING_WARMUP_MS / 1000} s of warm-up each), the setups in a new random order each round, round r on the`,
    `((r − 1) mod ${TRACING_PROCESSES})-th node of each setup, after one uncounted warm-up round on every node.`,
    'Req/s, p50, p99 are over all windows. Loss vs off: the requests a setup served over all its windows against off’s over',
    'the same rounds, with its 90% interval in brackets (bootstrap over the nodes, then over the rounds of each, each round',
    'kept paired, so the interval holds the difference between identical processes too). Loss by node: the same over the',
    'rounds of each node in turn. CPU ms/req is the',
    'node process’s CPU time (all threads, /proc) per request over all rounds: on a machine shared with other work it is',
    'the steadier measure of what tracing costs (at saturation, throughput falls as CPU per request rises).',
    'Spans received counts the windows and their warm-ups (about 4 spans per sampled request: server, queue, batch, run).',
    '',
    markdownTable(header, rows),
  ].join('\n');
}

function evaluateTracingGoals(results: TracingResults): string[] {
  return TRACING_MODELS.flatMap((model) =>
    (['10%', '100%'] as const).map((tracing) => {
      const loss = tracingLoss(results, model, tracing);
      const goal = TRACING_GOALS[tracing];
      return (
        `- Tracing ${tracing} (${model}, concurrency ${TRACING_CONCURRENCY}, throughput loss ≤ ${goal * 100}%): ` +
        `${lossVerdict(loss, goal).toUpperCase()} — ${formatLoss(loss)} loss (90% interval; met only when all of it is within the goal); ` +
        `CPU per request ${formatPercentChange(tracingCpuIncrease(results, model, tracing))} vs tracing off.`
      );
    }),
  );
}

function modelTable(result: ModelResults): string {
  const header = ['Setup', 'Batch', 'Concurrency', 'Rows/s', 'p50 ms', 'p99 ms', 'Errors', 'Avg batch'];
  const rows: string[][] = [];
  for (const r of result.inProcess) {
    rows.push([
      'onnxruntime in-process',
      String(r.batch),
      '1',
      formatNumber(r.summary.rowsPerSecond),
      formatNumber(r.summary.p50Ms),
      formatNumber(r.summary.p99Ms),
      '0',
      String(r.batch),
    ]);
  }
  for (const r of result.node) {
    rows.push([
      MODE_LABEL[r.mode],
      '1',
      String(r.concurrency),
      formatNumber(r.summary.rowsPerSecond),
      formatNumber(r.summary.p50Ms),
      formatNumber(r.summary.p99Ms),
      String(r.errors),
      r.averageBatch === undefined ? '—' : formatNumber(r.averageBatch),
    ]);
  }
  const best = bestInProcess(result);
  return [
    `### ${result.model.title}`,
    '',
    markdownTable(header, rows),
    '',
    `Best in-process: ${formatNumber(best.summary.rowsPerSecond)} rows/s at batch ${best.batch}.`,
  ].join('\n');
}

function bestInProcess(result: ModelResults): InProcessRow {
  return result.inProcess.reduce((best, r) => (r.summary.rowsPerSecond > best.summary.rowsPerSecond ? r : best));
}

function nodeRow(result: ModelResults, mode: Mode, concurrency: number): NodeRow {
  const row = result.node.find((r) => r.mode === mode && r.concurrency === concurrency);
  if (!row) throw new Error(`no ${mode} c=${concurrency} result for ${result.model.key}`);
  return row;
}

function verdict(met: boolean): string {
  return met ? 'MET' : 'NOT MET';
}

function evaluateGoals(results: Map<ModelKey, ModelResults>): string[] {
  const small = results.get('mlp-small')!;
  const large = results.get('mlp-large')!;
  const inProcessP50 = small.inProcess.find((r) => r.batch === 1)!.summary.p50Ms;
  const overhead = (mode: Mode): number => nodeRow(small, mode, 1).summary.p50Ms - inProcessP50;
  const overheadOn = overhead('on');
  const overheadOff = overhead('off');
  const goal1 = overheadOn <= 0.5 && overheadOff <= 0.5;

  const on32 = nodeRow(large, 'on', 32).summary.rowsPerSecond;
  const off32 = nodeRow(large, 'off', 32).summary.rowsPerSecond;
  const best = bestInProcess(large);
  const ratioOff = on32 / off32;
  const ratioBest = on32 / best.summary.rowsPerSecond;
  return [
    `- Goal 1 (MLP-small, concurrency 1, node adds ≤ 0.5 ms p50 over in-process batch 1): ${verdict(goal1)} — ` +
      `in-process p50 ${formatNumber(inProcessP50)} ms; node p50 ${formatNumber(nodeRow(small, 'on', 1).summary.p50Ms)} ms batching on ` +
      `(+${formatNumber(overheadOn)} ms), ${formatNumber(nodeRow(small, 'off', 1).summary.p50Ms)} ms batching off (+${formatNumber(overheadOff)} ms).`,
    `- Goal 2a (MLP-large, concurrency 32, batching on ≥ 3× batching off): ${verdict(ratioOff >= 3)} — ` +
      `${formatNumber(on32)} vs ${formatNumber(off32)} rows/s = ${ratioOff.toFixed(2)}×.`,
    `- Goal 2b (MLP-large, concurrency 32, batching on ≥ 70% of best in-process): ${verdict(ratioBest >= 0.7)} — ` +
      `${formatNumber(on32)} vs ${formatNumber(best.summary.rowsPerSecond)} rows/s (batch ${best.batch}) = ${(ratioBest * 100).toFixed(1)}%.`,
  ];
}

function header(loadAtStart: number[], loadAtEnd: number[]): string {
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
  const cpus = os.cpus();
  return [
    '# Inference node benchmark',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node.js: ${process.version}`,
    `- CPU: ${cpus[0]?.model ?? 'unknown'} × ${cpus.length} cores (available parallelism ${os.availableParallelism()})`,
    `- onnxruntime-node: ${ort.env.versions.node ?? ort.env.versions.common}`,
    `- Load average (1/5/15 min) at start ${load(loadAtStart)}, at end ${load(loadAtEnd)}; other processes on the machine compete for the same cores`,
    `- Windows: warm-up ${WARMUP_MS / 1000} s, measured ${MEASURE_MS / 1000} s (BENCH_WARMUP_SECONDS, BENCH_SECONDS)`,
    '- In-process: one session, default options, sequential `session.run`; latency is per run (whole batch).',
    '- Node: `aiaas node` in a child process, config `{"max_batch_size": 64}` (batching off) or',
    '  `{"max_batch_size": 64, "dynamic_batching": {}}` (batching on); closed-loop batch-1 gRPC ModelInfer',
    '  requests with raw_input_contents; Rows/s = requests/s. Avg batch = inference_count / execution_count',
    '  over the measured window (ModelStatistics).',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = os.loadavg();
  const distDir = __dirname;
  if (!fs.existsSync(path.join(distDir, 'aiaas.js')) || !fs.existsSync(path.join(distDir, 'session-worker.js'))) {
    throw new Error(
      `expected aiaas.js and session-worker.js beside this bundle in ${distDir}; run "npm run bench:node"`,
    );
  }
  const models = buildModels();
  if (TRACING_AA && process.env['BENCH_TRACING_ONLY'] !== '1') {
    throw new Error('BENCH_TRACING_AA=1 is a calibration of the tracing rounds: run it with BENCH_TRACING_ONLY=1');
  }
  if (process.env['BENCH_TRACING_ONLY'] === '1') {
    // Only the tracing rows, printed and not written: the results file keeps the whole run.
    const tracing = await benchTracing(distDir, models);
    // An A/A run has no tracing to judge.
    const goals = TRACING_AA ? [] : evaluateTracingGoals(tracing);
    process.stdout.write(`\n${tracingTable(tracing)}\n\n${goals.join('\n')}\n`);
    return;
  }
  const results = new Map<ModelKey, ModelResults>(
    models.map((model) => [model.key, { model, inProcess: [], node: [] }]),
  );

  progress('onnxruntime in-process...');
  for (const model of models) results.get(model.key)!.inProcess = await benchInProcess(model);

  const problems = [];
  const floors: TransportFloor[] = [];
  for (const mode of ['off', 'on'] as const) {
    for (const problem of await benchNodeMode(distDir, models, mode, results, floors))
      problems.push({ mode, ...problem });
  }
  progress('tracing overhead...');
  const tracing = await benchTracing(distDir, models);
  const loadAtEnd = os.loadavg();

  const errorNotes: string[] = [];
  for (const result of results.values()) {
    for (const row of result.node) {
      if (row.firstError)
        errorNotes.push(
          `- ${result.model.key}, ${MODE_LABEL[row.mode]}, c=${row.concurrency}: ${row.errors} errors, first: ${row.firstError}`,
        );
    }
  }
  for (const p of problems)
    errorNotes.push(`- node log (${MODE_LABEL[p.mode]}), level ${p.level}: ${p.msg}${p.err ? ` (${p.err})` : ''}`);
  for (const row of tracing.rows) {
    if (row.firstError)
      errorNotes.push(`- ${row.model}, tracing ${row.tracing}: ${row.errors} errors, first: ${row.firstError}`);
  }
  for (const p of tracing.problems) {
    errorNotes.push(`- node log (tracing ${p.tracing}), level ${p.level}: ${p.msg}${p.err ? ` (${p.err})` : ''}`);
  }
  if (tracing.rejectedExports > 0) errorNotes.push(`- the OTLP receiver rejected ${tracing.rejectedExports} exports`);

  const floorLines = floors.map(
    (f) =>
      `- ${MODE_LABEL[f.mode]}: ServerLive (empty unary call) at concurrency 1: p50 ${formatNumber(f.summary.p50Ms)} ms, ` +
      `p99 ${formatNumber(f.summary.p99Ms)} ms, ${formatNumber(f.summary.perSecond)} calls/s, errors ${f.errors}.`,
  );
  const sections = [
    header(loadAtStart, loadAtEnd),
    ['### gRPC transport floor', '', ...floorLines].join('\n'),
    ...[...results.values()].map(modelTable),
    tracingTable(tracing),
    ['## Goals', '', ...evaluateGoals(results), ...evaluateTracingGoals(tracing)].join('\n'),
    ['## Errors and node warnings', '', ...(errorNotes.length > 0 ? errorNotes : ['None.'])].join('\n'),
  ];
  const report = `${sections.join('\n\n')}\n`;
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, report);
  process.stdout.write(`\n${report}`);
  progress(
    `\nwritten to ${path.relative(process.cwd(), RESULTS_FILE)} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
