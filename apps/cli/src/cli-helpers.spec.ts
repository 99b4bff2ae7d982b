import type { Job } from '@aiaas/client';
import { formatBenchTable, measure, parseConcurrency, SERVER_TIMES_UNAVAILABLE } from './commands/bench';
import { deploymentSpec } from './commands/deploy';
import { formatOutput, v2Json } from './commands/infer';
import { buildPasses, buildThresholds, formatJobReport } from './commands/jobs';
import { parseScopes } from './commands/keys';
import { parseKeyValues } from './commands/models';
import { parseDurationSeconds, parseIntFlag, parseNumberFlag } from './flag-parsers';
import { percentile, summarizeLatencies } from './latency-stats';
import { formatModelTarget, parseModelTarget } from './model-target';
import { formatUsageError } from './program';

describe('model targets', () => {
  it('parses NAME, NAME@ALIAS and NAME:VERSION', () => {
    expect(parseModelTarget('mlp')).toEqual({ name: 'mlp' });
    expect(parseModelTarget('mlp@production')).toEqual({ name: 'mlp', alias: 'production' });
    expect(parseModelTarget('mlp:3')).toEqual({ name: 'mlp', version: 3 });
    expect(formatModelTarget({ name: 'mlp', version: 3 })).toBe('mlp:3');
    expect(formatModelTarget({ name: 'mlp', alias: 'a' })).toBe('mlp@a');
  });

  it('refuses the rest, saying what is expected', () => {
    expect(() => parseModelTarget('mlp@a:3')).toThrow(/alias or a version, not both/);
    expect(() => parseModelTarget('mlp:0')).toThrow(/VERSION a positive integer/);
    expect(() => parseModelTarget('mlp:x')).toThrow(/VERSION a positive integer/);
    expect(() => parseModelTarget('@a')).toThrow(/expected NAME, NAME@ALIAS or NAME:VERSION/);
    expect(() => parseModelTarget('')).toThrow(/expected NAME/);
  });
});

describe('flag parsers', () => {
  it('reads durations, integers and numbers', () => {
    expect(parseDurationSeconds('90', '--t')).toBe(90);
    expect(parseDurationSeconds('15m', '--t')).toBe(900);
    expect(parseDurationSeconds('30d', '--t')).toBe(30 * 86_400);
    expect(parseDurationSeconds('0.5s', '--t')).toBe(0.5);
    expect(() => parseDurationSeconds('soon', '--expires-in')).toThrow(
      /--expires-in "soon": expected a positive duration/,
    );
    expect(() => parseDurationSeconds('0s', '--t')).toThrow(/positive duration/);
    expect(parseIntFlag('4', '--replicas', 0, 10)).toBe(4);
    expect(() => parseIntFlag('11', '--replicas', 0, 10)).toThrow(/--replicas "11": expected an integer in \[0, 10\]/);
    expect(() => parseIntFlag('1.5', '--n', 1)).toThrow(/expected an integer ≥ 1/);
    expect(() => parseIntFlag('', '--n', 1)).toThrow(/expected an integer/);
    expect(parseNumberFlag('0.99', '--min-cosine')).toBe(0.99);
    expect(() => parseNumberFlag('high', '--min-cosine')).toThrow(/--min-cosine "high": expected a number/);
  });

  it('reads tags, scopes and deployment flags', () => {
    expect(parseKeyValues(['a=1', 'b=x=y'], '--tag')).toEqual({ a: '1', b: 'x=y' });
    expect(() => parseKeyValues(['a'], '--tag')).toThrow(/--tag "a": expected KEY=VALUE/);
    expect(parseScopes('infer,models:read infer')).toEqual(['infer', 'models:read']);
    expect(() => parseScopes('infer,root')).toThrow(/unknown scope\(s\) root; expected some of infer/);
    expect(deploymentSpec({ replicas: '2', maxBatch: '8', maxDelayUs: '500', device: 'cpu' })).toEqual({
      replicas: 2,
      batching: { max_batch_size: 8, max_queue_delay_microseconds: 500 },
      device: 'cpu',
    });
    expect(deploymentSpec({})).toEqual({});
    expect(() => deploymentSpec({ device: 'tpu' })).toThrow(/--device "tpu": expected cpu or gpu/);
  });

  it('prints usage errors as one line naming the command', () => {
    expect(formatUsageError("error: unknown option '--nope'\n", 'aiaas models ls')).toBe(
      `aiaas: unknown option '--nope' (see "aiaas models ls --help")\n`,
    );
  });
});

describe('jobs', () => {
  it('builds passes with --set settings (JSON values or text)', () => {
    expect(
      buildPasses(
        ['quantize-int8', 'graph-optimize'],
        ['quantize-int8.per_channel=true', 'graph-optimize.level=extended'],
      ),
    ).toEqual([
      { name: 'quantize-int8', settings: { per_channel: true } },
      { name: 'graph-optimize', settings: { level: 'extended' } },
    ]);
    expect(buildPasses(['prune'], ['prune.sparsity=0.5'])).toEqual([{ name: 'prune', settings: { sparsity: 0.5 } }]);
    expect(buildPasses(['graph-optimize'], [])).toEqual([{ name: 'graph-optimize', settings: { level: 'basic' } }]);
    expect(() => buildPasses([], [])).toThrow(/give at least one --pass: quantize-int8/);
    expect(() => buildPasses(['fp16'], ['prune.sparsity=0.5'])).toThrow(/no --pass prune in this job/);
    expect(() => buildPasses(['fp16'], ['fp16=1'])).toThrow(/expected PASS\.KEY=VALUE/);
  });

  it('builds thresholds from the flags given only', () => {
    expect(buildThresholds({ pass: [], set: [], minCosine: '0.99', maxAbsError: '0.05' })).toEqual({
      min_cosine: 0.99,
      max_abs_error: 0.05,
    });
    expect(buildThresholds({ pass: [], set: [] })).toBeUndefined();
  });

  it('prints the report table from the job report, leaving absent figures empty', () => {
    const job = {
      passes: [
        { name: 'quantize-int8', settings: {} },
        { name: 'graph-optimize', settings: {} },
      ],
      result_version: 2,
      report: {
        passes: [
          { pass: 'quantize-int8', sizeBefore: 40_000, sizeAfter: 12_000 },
          { pass: 'graph-optimize', sizeBefore: 12_000, sizeAfter: 11_000 },
        ],
        validation: {
          passed: true,
          metrics: { y: { cosine: 0.99991, maxAbsError: 0.0123 }, z: { cosine: 0.9995, maxAbsError: 0.001 } },
        },
        sizeBefore: 40_000,
        sizeAfter: 11_000,
      },
    } as unknown as Job;
    const lines = formatJobReport(job).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PASS\s+SIZE\s+COSINE\s+MAX ABS ERR\s+NEW VERSION$/);
    expect(lines[1]).toMatch(/^quantize-int8\s+39\.1 KiB → 11\.7 KiB$/);
    expect(lines[2]).toMatch(/^graph-optimize\s+11\.7 KiB → 10\.7 KiB$/);
    expect(lines[3]).toMatch(/^validation \(passed\)\s+39\.1 KiB → 10\.7 KiB\s+0\.999500\s+1\.230e-2\s+v2$/);
    const empty = formatJobReport({ ...job, report: null, result_version: 0 });
    expect(empty.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('infer output', () => {
  const result = {
    modelName: 'mlp',
    modelVersion: '1',
    id: '',
    parameters: {},
    outputs: {},
    outputList: [
      { name: 'y', datatype: 'FP32' as const, shape: [2, 3], data: Float32Array.from([1, 2.5, 3, 4, 5, 6]) },
    ],
  };

  it('prints KServe V2 JSON and a readable form', () => {
    expect(v2Json(result)).toEqual({
      model_name: 'mlp',
      model_version: '1',
      outputs: [{ name: 'y', datatype: 'FP32', shape: [2, 3], data: [1, 2.5, 3, 4, 5, 6] }],
    });
    expect(formatOutput(result.outputList[0]!)).toBe('y  FP32  [2,3]\n  1 2.5 3\n  4 5 6\n');
  });
});

describe('bench', () => {
  it('computes nearest-rank percentiles and throughput', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.9)).toBe(90);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile([5], 0.99)).toBe(5);
    expect(percentile([], 0.5)).toBeNaN();
    const summary = summarizeLatencies([3, 1, 2, 4], { seconds: 2, batch: 4, errors: 1 });
    expect(summary).toMatchObject({ count: 4, errors: 1, throughput: 8, avgMs: 2.5, p50Ms: 2, p99Ms: 4, maxMs: 4 });
  });

  it('runs closed loops for the duration and counts failures', async () => {
    let calls = 0;
    const row = await measure(
      async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (calls % 10 === 0) throw new Error('boom');
      },
      { concurrency: 3, seconds: 0.3, batch: 2 },
    );
    expect(row.count + row.errors).toBe(calls);
    expect(row.errors).toBeGreaterThan(0);
    expect(row.firstError).toBe('boom');
    expect(row.count).toBeGreaterThan(10);
    expect(row.p50Ms).toBeGreaterThanOrEqual(4);
    expect(row.throughput).toBeCloseTo((row.count * 2) / row.seconds, 5);
  });

  it('says in the table when server times cannot be measured', () => {
    const text = formatBenchTable([
      {
        concurrency: 2,
        batch: 1,
        seconds: 1,
        count: 100,
        errors: 0,
        throughput: 100,
        avgMs: 2,
        p50Ms: 1.9,
        p90Ms: 2.5,
        p99Ms: 3,
        maxMs: 4,
        serverQueueMs: null,
        serverComputeMs: null,
      },
    ]);
    expect(text).toContain('SERVER QUEUE MS');
    expect(text).toMatch(/n\/a\*\s+n\/a\*\n/);
    expect(text).toContain(`* ${SERVER_TIMES_UNAVAILABLE}`);
    expect(parseConcurrency('1, 4,8')).toEqual([1, 4, 8]);
    expect(() => parseConcurrency('0')).toThrow(/--concurrency "0"/);
  });
});
