import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Queue } from 'bullmq';
import { createLogger } from '@aiaas/common';
import { MLP_LARGE, MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadOptimizerConfig, startOptimizerWorker } from '@aiaas/optimizer';
import type { RunningOptimizerWorker } from '@aiaas/optimizer';
import { AiaasClient, AiaasError } from './index';
import type { JobEvent } from './index';
import { startTestPlatform } from './test-platform';
import type { TestPlatform } from './test-platform';

/**
 * Jobs through the SDK against a real registry (real Redis queue), an in-process optimizer worker
 * and the gateway: submit, watch to the end, resume after a sequence, reconnect with
 * Last-Event-ID when the connection breaks mid-stream (through a TCP proxy the test cuts), list,
 * get, cancel, and errors.
 */
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const silent = createLogger({ service: 'client-jobs-test', level: 'silent' });

/** A TCP proxy to `port` whose open connections the test can cut. */
async function startProxy(port: number): Promise<{ port: number; cut: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const [a, b] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
      sockets.add(a);
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.on('error', () => b.destroy());
      a.pipe(b);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      return count;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('jobs through the SDK (registry + Redis + optimizer worker + gateway)', () => {
  const queueName = `client-jobs-${randomUUID()}`;
  const prefix = `client-jobs-${randomUUID()}`;
  let platform: TestPlatform;
  let worker: RunningOptimizerWorker;
  let client: AiaasClient;

  beforeAll(async () => {
    platform = await startTestPlatform({
      nodes: 0,
      registry: { redisUrl: REDIS_URL, jobQueueName: queueName, jobQueuePrefix: prefix, jobAttempts: 1 },
      gateway: { routesWaitMs: 100 },
    });
    worker = await startOptimizerWorker(
      loadOptimizerConfig({
        registry: platform.registryAddress,
        redisUrl: REDIS_URL,
        queueName,
        prefix,
        memoryLimitMb: 512,
      }),
      { mode: 'in-process', logger: silent },
    );
    client = new AiaasClient({ url: platform.url, apiKey: await platform.createKey('acme') });
    await client.models.upload('small', Buffer.from(buildMlp({ ...MLP_SMALL, seed: 2 }).bytes), { createModel: true });
    await client.models.upload('large', Buffer.from(buildMlp({ ...MLP_LARGE, seed: 2 }).bytes), { createModel: true });
  }, 90_000);

  afterAll(async () => {
    client?.close();
    await worker?.worker.close(true);
    await worker?.close();
    await platform?.close();
    const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  }, 60_000);

  it('submits, watches to completion, and the result is a new version with lineage', async () => {
    const job = await client.jobs.submit({
      model: 'small',
      version: 1,
      passes: [{ name: 'quantize-int8' }, { name: 'graph-optimize', settings: { level: 'basic' } }],
      alias_on_success: 'optimized',
    });
    expect(job).toMatchObject({ model: 'small', source_version: 1, state: 'queued' });
    const events: JobEvent[] = [];
    for await (const event of client.jobs.watch(job.id)) events.push(event);
    expect([events.at(-1)!.kind, events.at(-1)!.message]).toEqual(['completed', expect.any(String)]);
    expect(events[0]!.kind).toBe('queued');
    const sequences = events.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(events.filter((e) => e.kind === 'pass_finished').map((e) => e.pass)).toEqual([
      'quantize-int8',
      'graph-optimize',
    ]);

    const done = await client.jobs.get(job.id);
    expect(done.state).toBe('completed');
    expect(done.result_version).toBe(2);
    expect(done.events.map((e) => e.sequence)).toEqual(sequences);
    const version = await client.models.getVersion('small', done.result_version);
    expect(version.lineage).toMatchObject({ parent_version: 1, job_id: job.id });
    expect(version.aliases).toEqual(['optimized']);

    // Resuming after a sequence replays only the later events.
    const middle = sequences[Math.floor(sequences.length / 2)]!;
    const later: number[] = [];
    for await (const event of client.jobs.watch(job.id, { afterSequence: middle })) later.push(event.sequence);
    expect(later).toEqual(sequences.filter((s) => s > middle));

    const listed = await client.jobs.list({ model: 'small', state: 'completed' });
    expect(listed.jobs.map((j) => j.id)).toContain(job.id);
    // wait() follows the same stream and returns the final job.
    await expect(client.jobs.wait(job.id)).resolves.toMatchObject({ id: job.id, state: 'completed' });
  }, 120_000);

  it('reconnects with Last-Event-ID when the connection breaks mid-stream: no event lost or repeated', async () => {
    const proxy = await startProxy(platform.gateway.restPort);
    const viaProxy = new AiaasClient({
      url: `http://127.0.0.1:${proxy.port}`,
      apiKey: await platform.createKey('acme'),
    });
    try {
      const job = await viaProxy.jobs.submit({
        model: 'large',
        passes: [{ name: 'quantize-int8' }, { name: 'graph-optimize', settings: { level: 'basic' } }],
      });
      const events: JobEvent[] = [];
      let cuts = 0;
      for await (const event of viaProxy.jobs.watch(job.id)) {
        events.push(event);
        // Cut the connection after the first and the third event.
        if (events.length === 1 || events.length === 3) cuts += proxy.cut() > 0 ? 1 : 0;
      }
      expect(cuts).toBe(2);
      const done = await client.jobs.get(job.id);
      expect(done.state).toBe('completed');
      expect(events.map((e) => e.sequence)).toEqual(done.events.map((e) => e.sequence));
      expect(events.at(-1)!.kind).toBe('completed');
    } finally {
      viaProxy.close();
      await proxy.close();
    }
  }, 120_000);

  it('cancels a job; errors come back as AiaasError', async () => {
    const job = await client.jobs.submit({
      model: 'large',
      passes: [{ name: 'quantize-int8' }, { name: 'prune', settings: { mode: 'unstructured', sparsity: 0.5 } }],
    });
    const cancelled = await client.jobs.cancel(job.id);
    expect(['cancelling', 'cancelled', 'completed']).toContain(cancelled.state);
    // Bounded: a job stuck in "cancelling" fails here with its state rather than hanging.
    const final = await client.jobs.wait(job.id, { signal: AbortSignal.timeout(60_000) });
    expect(['cancelled', 'completed']).toContain(final.state);

    const missing = await client.jobs.get('no-such-job').catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(AiaasError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    // Watching an unknown job fails at once instead of reconnecting.
    const watching = (async () => {
      for await (const _event of client.jobs.watch('no-such-job')) throw new Error('no events expected');
    })();
    await expect(watching).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.jobs.submit({ model: 'small', passes: [{ name: 'quantize-int9' }] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      status: 400,
    });
    const key = await platform.createKey('acme', ['models:read']);
    const readOnly = new AiaasClient({ url: platform.url, apiKey: key });
    try {
      await expect(readOnly.jobs.list()).rejects.toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
    } finally {
      readOnly.close();
    }
  }, 120_000);
});
