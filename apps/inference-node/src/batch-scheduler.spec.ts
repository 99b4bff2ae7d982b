import { BatchScheduler, shapeKeyOf } from './batch-scheduler';
import type { BatchReport, BatchRunner, QueuedRequest, SchedulerSettings } from './batch-scheduler';
import type { RunResult } from './session-instance';
import type { WorkerTensor } from './worker-protocol';

/**
 * A runner that doubles its FP32 input ("x" → "y") and finishes only when the test releases it,
 * so the tests decide exactly what is queued when an instance frees up.
 */
class ControlledRunner implements BatchRunner {
  readonly batches: number[][] = [];
  private releases: (() => void)[] = [];

  run(feeds: WorkerTensor[]): Promise<RunResult> {
    const input = feeds[0]!;
    const data = input.data as Float32Array;
    this.batches.push([...input.dims]);
    const output = Float32Array.from(data, (v) => v * 2);
    return new Promise((resolve) => {
      this.releases.push(() =>
        resolve({
          outputs: [{ name: 'y', type: 'float32', dims: input.dims, data: output }],
          timing: { inputNs: 1, inferNs: 2, outputNs: 3 },
        }),
      );
    });
  }

  releaseAll(): void {
    const releases = this.releases;
    this.releases = [];
    for (const release of releases) release();
  }
}

const settings = (overrides: Partial<SchedulerSettings> = {}): SchedulerSettings => ({
  maxBatchSize: 8,
  dynamicBatching: { maxQueueDelayUs: 0, preferredBatchSizes: [] },
  maxQueueSize: 100,
  outputs: [{ name: 'y', datatype: 'FP32', shape: ['batch', 2] }],
  ...overrides,
});

function request(rows: number, first: number, deadlineMs = Infinity, width = 2): QueuedRequest {
  const values = Float32Array.from({ length: rows * width }, (_, i) => first + i);
  const inputs = [{ name: 'x', datatype: 'FP32' as const, shape: [rows, width], bytes: Buffer.from(values.buffer), strings: undefined }];
  return { inputs, rows, shapeKey: shapeKeyOf(inputs, true), fetches: ['y'], deadlineMs };
}

const floats = (b: Buffer | undefined): number[] => Array.from(new Float32Array(b!.buffer, b!.byteOffset, b!.length / 4));
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchScheduler', () => {
  it('merges requests that queued while the instance was busy and gives each caller its own rows', async () => {
    const runner = new ControlledRunner();
    const reports: BatchReport[] = [];
    const scheduler = new BatchScheduler(settings(), [runner], (r) => reports.push(r));
    const first = scheduler.submit(request(1, 0));
    const second = scheduler.submit(request(2, 10));
    const third = scheduler.submit(request(1, 100));
    expect(runner.batches).toEqual([[1, 2]]);
    runner.releaseAll();
    await tick();
    expect(runner.batches).toEqual([[1, 2], [3, 2]]);
    runner.releaseAll();
    const results = await Promise.all([first, second, third]);
    expect(floats(results[0].outputs[0]!.bytes)).toEqual([0, 2]);
    expect(floats(results[1].outputs[0]!.bytes)).toEqual([20, 22, 24, 26]);
    expect(results[1].outputs[0]!.shape).toEqual([2, 2]);
    expect(floats(results[2].outputs[0]!.bytes)).toEqual([200, 202]);
    expect(results[2].batchSize).toBe(3);
    expect(reports.map((r) => [r.batchSize, r.requestCount])).toEqual([
      [1, 1],
      [3, 2],
    ]);
  });

  it('never merges requests whose non-batch shapes differ', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings(), [runner]);
    const blocker = scheduler.submit(request(1, 0));
    const narrow = scheduler.submit(request(1, 0, Infinity, 2));
    const wide = scheduler.submit(request(1, 0, Infinity, 3));
    runner.releaseAll();
    await tick();
    runner.releaseAll();
    await tick();
    runner.releaseAll();
    await Promise.all([blocker, narrow, wide]);
    expect(runner.batches).toEqual([[1, 2], [1, 2], [1, 3]]);
  });

  it('stops at max batch size and at the largest preferred size reached', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings({ maxBatchSize: 4, dynamicBatching: { maxQueueDelayUs: 0, preferredBatchSizes: [2] } }), [runner]);
    const all = [scheduler.submit(request(1, 0))];
    for (let i = 0; i < 5; i++) all.push(scheduler.submit(request(1, i)));
    for (let i = 0; i < 4; i++) {
      runner.releaseAll();
      await tick();
    }
    await Promise.all(all);
    // One running, then five queued: preferred size 2 twice, then the one left over.
    expect(runner.batches.map((b) => b[0])).toEqual([1, 2, 2, 1]);
  });

  it('waits up to max_queue_delay for a fuller batch', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings({ dynamicBatching: { maxQueueDelayUs: 100_000, preferredBatchSizes: [] } }), [runner]);
    const started = Date.now();
    const a = scheduler.submit(request(1, 0));
    const b = scheduler.submit(request(1, 1));
    expect(runner.batches).toEqual([]);
    while (runner.batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(runner.batches).toEqual([[2, 2]]);
    runner.releaseAll();
    await Promise.all([a, b]);
  });

  it('runs each request alone when dynamic batching is off', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings({ dynamicBatching: undefined }), [runner]);
    const all = [scheduler.submit(request(1, 0)), scheduler.submit(request(1, 1)), scheduler.submit(request(2, 2))];
    for (let i = 0; i < 3; i++) {
      runner.releaseAll();
      await tick();
    }
    await Promise.all(all);
    expect(runner.batches.map((b) => b[0])).toEqual([1, 1, 2]);
  });

  it('answers RESOURCE_EXHAUSTED at once when the queue is full', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings({ maxQueueSize: 2 }), [runner]);
    const running = scheduler.submit(request(1, 0));
    const queued = [scheduler.submit(request(1, 1)), scheduler.submit(request(1, 2))];
    await expect(scheduler.submit(request(1, 3))).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect(scheduler.queueDepth).toBe(2);
    runner.releaseAll();
    await tick();
    runner.releaseAll();
    await Promise.all([running, ...queued]);
  });

  it('drops a request whose deadline passes in the queue without running it', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings(), [runner]);
    const running = scheduler.submit(request(1, 0));
    const doomed = scheduler.submit(request(1, 1, Date.now() + 20));
    await expect(doomed).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    expect(scheduler.queueDepth).toBe(0);
    runner.releaseAll();
    await running;
    expect(runner.batches).toEqual([[1, 2]]);
  });

  it('removes a cancelled request from the queue', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings(), [runner]);
    const running = scheduler.submit(request(1, 0));
    const req = request(1, 1);
    const cancelled = scheduler.submit(req);
    expect(scheduler.cancel(req)).toBe(true);
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    runner.releaseAll();
    await running;
    expect(runner.batches).toHaveLength(1);
  });

  it('drains: finishes queued work, then refuses new requests', async () => {
    const runner = new ControlledRunner();
    const scheduler = new BatchScheduler(settings(), [runner]);
    const a = scheduler.submit(request(1, 0));
    const b = scheduler.submit(request(1, 1));
    let drained = false;
    const draining = scheduler.drain().then(() => (drained = true));
    await expect(scheduler.submit(request(1, 2))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    runner.releaseAll();
    await tick();
    expect(drained).toBe(false);
    runner.releaseAll();
    await Promise.all([a, b, draining]);
    expect(drained).toBe(true);
  });
});
