import type { ModelStatistics } from '@aiaas/client';
import { formatBenchTable, serverTimesBetween } from './commands/bench';
import type { BenchRow } from './commands/bench';

/** `aiaas bench`'s server columns: per-request queue and compute time from two ModelStatistics snapshots. */
describe('bench server times', () => {
  const d = (count: number, ns: number) => ({ count, ns });
  const snapshot = (requests: number, queueNs: number, computeNs: number, version = '2'): ModelStatistics => ({
    name: 'mlp',
    version,
    lastInference: 0,
    inferenceCount: requests * 4,
    executionCount: requests,
    inferenceStats: {
      success: d(requests, 0),
      fail: d(0, 0),
      queue: d(requests, queueNs),
      // input, infer and output take 1, 8 and 1 tenths of the compute time.
      computeInput: d(requests, computeNs / 10),
      computeInfer: d(requests, (computeNs * 8) / 10),
      computeOutput: d(requests, computeNs / 10),
    },
    batchStats: [],
  });
  const row = (serverQueueMs: number | null, serverComputeMs: number | null, serverTimesError?: string): BenchRow => ({
    concurrency: 1,
    batch: 4,
    seconds: 1,
    count: 10,
    errors: 0,
    throughput: 40,
    avgMs: 2,
    p50Ms: 2,
    p90Ms: 2,
    p99Ms: 2,
    maxMs: 2,
    serverQueueMs,
    serverComputeMs,
    ...(serverTimesError === undefined ? {} : { serverTimesError }),
  });

  it('divides the window’s queue and compute (input + infer + output) ns by its successful requests', () => {
    // 100 requests in the window: 50 ms queued and 400 ms computing in all.
    const times = serverTimesBetween(snapshot(20, 7e6, 3e6), snapshot(120, 57e6, 403e6));
    expect(times).toEqual({ queueMs: 0.5, computeMs: 4 });
    const text = formatBenchTable([row(0.5, 4)]);
    expect(text).toMatch(/ 0\.500 +4\.00\n$/);
    expect(text).not.toContain('*');
  });

  it('says why, instead of a figure, when the window cannot be measured', () => {
    expect(serverTimesBetween(snapshot(5, 1, 1), snapshot(5, 1, 1))).toEqual({
      error: 'the server recorded no successful request during the window',
    });
    expect(serverTimesBetween(snapshot(50, 10, 10), snapshot(5, 1, 1))).toMatchObject({
      error: expect.stringMatching(/counters went backwards/),
    });
    expect(serverTimesBetween(snapshot(5, 1, 1, '1'), snapshot(9, 2, 2, '2'))).toMatchObject({
      error: expect.stringMatching(/version changed during the window \(1 → 2\)/),
    });
    const text = formatBenchTable([
      row(null, null, 'ModelStatistics failed: model "mlp" not found'),
      row(null, null, 'ModelStatistics failed: model "mlp" not found'),
      row(1, 2),
    ]);
    expect(text).toMatch(/n\/a\* +n\/a\*\n/);
    // One footnote, each reason once.
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '* server queue / compute time: not measured (ModelStatistics failed: model "mlp" not found)',
    );
  });
});
