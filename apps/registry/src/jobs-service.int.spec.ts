import { randomUUID } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { callerMetadata, createLogger } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadRegistryPackage } from '@aiaas/proto';
import type { Job__Output } from '@aiaas/proto';
import { chunksOf, createRegistryClient, makeTempDir, registryCall, removeDir, uploadVersion } from '@aiaas/testing';
import { loadRegistryConfig } from './config';
import { JOBS_NEED_REDIS_MESSAGE } from './jobs-service';
import { startRegistry } from './server';
import type { RunningRegistry } from './server';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
type JobsClient = InstanceType<ReturnType<typeof loadRegistryPackage>['aiaas']['registry']['v1']['Jobs']>;

/**
 * Opens WatchJob and resolves with how the stream ended: its status error (null when it ended OK)
 * and the messages that came first. Bounded by a 30 s deadline so a stream that never ends fails
 * the test with DEADLINE_EXCEEDED instead of hanging it.
 */
function watchUntilEnd(
  jobs: JobsClient,
  id: string,
  md: Metadata,
): Promise<{ err: ServiceError | null; count: number }> {
  return new Promise((resolve) => {
    const call = jobs.WatchJob({ id }, md, { deadline: Date.now() + 30_000 });
    let count = 0;
    let err: ServiceError | null = null;
    call.on('data', () => count++);
    call.on('error', (e: ServiceError) => (err = e));
    call.on('status', () => setImmediate(() => resolve({ err, count })));
  });
}

describe('Jobs without Redis', () => {
  let dataDir: string;
  let running: RunningRegistry;

  beforeAll(async () => {
    dataDir = makeTempDir('jobs-no-redis');
    running = await startRegistry(
      loadRegistryConfig({ dataDir, grpcPort: 0, metricsPort: 0 }, {}),
      createLogger({ service: 'registry', level: 'silent' }),
    );
  });

  afterAll(async () => {
    await running?.close();
    removeDir(dataDir);
  });

  it('answers UNAVAILABLE saying what to do, while the rest of the registry serves', async () => {
    const md = callerMetadata({ tenant: 'acme', principal: 'alice' }, undefined);
    const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
    const jobs = new Jobs(`127.0.0.1:${running.grpcPort}`, credentials.createInsecure());
    const client = createRegistryClient(running.grpcPort);
    try {
      const err = await new Promise<ServiceError | null>((resolve) =>
        jobs.SubmitJob({ model: 'm', passes: [{ name: 'fp16', settings_json: '{}' }] }, md, (e) => resolve(e)),
      );
      expect(err).toMatchObject({ code: 14, details: JOBS_NEED_REDIS_MESSAGE });
      // The stream form gets the same status at once (not a silent stream left to its deadline).
      const watched = await watchUntilEnd(jobs, randomUUID(), md);
      expect(watched.err).toMatchObject({ code: 14, details: JOBS_NEED_REDIS_MESSAGE });
      const created = await registryCall(client, 'CreateModel', { name: 'still-serving' }, md);
      expect(created.model?.name).toBe('still-serving');
    } finally {
      jobs.close();
      client.close();
    }
  });
});

describe('WatchJob errors end the stream with their status (real Redis)', () => {
  const queueName = `watch-errors-${randomUUID()}`;
  const prefix = `watch-errors-${randomUUID()}`;
  let dataDir: string;
  let running: RunningRegistry;
  let jobs: JobsClient;
  const acme = callerMetadata({ tenant: 'acme', principal: 'alice' }, undefined);
  const globex = callerMetadata({ tenant: 'globex', principal: 'mallory' }, undefined);

  beforeAll(async () => {
    dataDir = makeTempDir('jobs-watch-errors');
    running = await startRegistry(
      loadRegistryConfig(
        { dataDir, grpcPort: 0, metricsPort: 0, redisUrl: REDIS_URL, jobQueueName: queueName, jobQueuePrefix: prefix },
        {},
      ),
      createLogger({ service: 'registry', level: 'silent' }),
    );
    const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
    jobs = new Jobs(`127.0.0.1:${running.grpcPort}`, credentials.createInsecure());
  }, 60_000);

  afterAll(async () => {
    jobs?.close();
    await running?.close();
    const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    removeDir(dataDir);
  });

  it('answers NOT_FOUND for an unknown job id, well before the deadline', async () => {
    const id = randomUUID();
    const watched = await watchUntilEnd(jobs, id, acme);
    expect(watched.count).toBe(0);
    expect(watched.err).toMatchObject({ code: 5 });
    expect(watched.err?.details).toContain(id);
  });

  it('answers NOT_FOUND for another tenant’s job, while its owner watches it', async () => {
    const client = createRegistryClient(running.grpcPort);
    try {
      await registryCall(client, 'CreateModel', { name: 'mlp' }, acme);
      await uploadVersion(client, acme, { model: 'mlp' }, chunksOf(buildMlp(MLP_SMALL).bytes, 1 << 20));
    } finally {
      client.close();
    }
    const job = await new Promise<Job__Output>((resolve, reject) =>
      jobs.SubmitJob({ model: 'mlp', passes: [{ name: 'fp16', settings_json: '{}' }] }, acme, (e, r) =>
        e ? reject(e) : resolve(r!.job!),
      ),
    );
    const foreign = await watchUntilEnd(jobs, job.id, globex);
    expect(foreign.err).toMatchObject({ code: 5 });
    expect(foreign.count).toBe(0);

    // The owner's stream opens and sends the queued event (no worker runs: cancel ends it).
    const owner = jobs.WatchJob({ id: job.id }, acme, { deadline: Date.now() + 30_000 });
    const first = await new Promise<unknown>((resolve, reject) => {
      owner.once('data', resolve);
      owner.once('error', reject);
    });
    expect(first).toMatchObject({ event: { kind: 'JOB_EVENT_KIND_QUEUED' } });
    owner.cancel();
  });
});
