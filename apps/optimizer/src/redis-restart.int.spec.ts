import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { credentials } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { callerMetadata, createLogger } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadRegistryPackage } from '@aiaas/proto';
import type { JobsClient, Job__Output } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import {
  chunksOf,
  createRegistryClient,
  freePort,
  makeTempDir,
  registryCall,
  removeDir,
  uploadVersion,
} from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { loadOptimizerConfig } from './config';
import { startOptimizerWorker } from './optimizer-worker';
import type { RunningOptimizerWorker } from './optimizer-worker';

const TENANT = { tenant: 'acme', principal: 'tester' };
const silent = createLogger({ service: 'test', level: 'silent' });
const md = (): Metadata => callerMetadata(TENANT, undefined);

function redisServerPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const REDIS_SERVER = redisServerPath();
if (REDIS_SERVER === undefined) {
  console.warn('redis-restart.int.spec: SKIPPED — redis-server is not on PATH (install redis-server to run it)');
}
const describeWithRedisServer = REDIS_SERVER === undefined ? describe.skip : describe;

/** A private, empty, non-persistent Redis on `port` (never the shared 6379 one). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER!,
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (/ready to accept connections/i.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
  });
  return child;
}

function jobsCall<Res>(client: JobsClient, method: string, request: object): Promise<Res> {
  const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!;
  return new Promise((resolve, reject) => {
    fn.call(client, request, md(), (err: ServiceError | null, response: Res) =>
      err ? reject(err) : resolve(response),
    );
  });
}

describeWithRedisServer('Redis restarted (empty) under load', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let dataDir: string;
  let registry: RunningRegistry;
  let client: RegistryClient;
  let jobs: JobsClient;
  const workers: RunningOptimizerWorker[] = [];

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    dataDir = makeTempDir('optimizer-redis-restart');
    registry = await startRegistry(
      loadRegistryConfig(
        {
          dataDir,
          grpcPort: 0,
          metricsPort: 0,
          redisUrl: `redis://127.0.0.1:${port}`,
          jobAttempts: 3,
          jobBackoffMs: 200,
          allowTestPasses: true,
        },
        {},
      ),
      silent,
    );
    client = createRegistryClient(registry.grpcPort);
    const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
    jobs = new Jobs(`127.0.0.1:${registry.grpcPort}`, credentials.createInsecure());
    await registryCall(client, 'CreateModel', { name: 'mlp' }, md());
    await uploadVersion(client, md(), { model: 'mlp' }, chunksOf(buildMlp(MLP_SMALL).bytes, 1 << 20));
  });

  afterAll(async () => {
    for (const worker of workers) {
      await worker.worker.close(true).catch(() => undefined);
      await worker.close().catch(() => undefined);
    }
    jobs?.close();
    client?.close();
    await registry?.close();
    redis?.kill('SIGKILL');
    removeDir(dataDir);
  });

  it('loses no submitted job: the registry re-queues from its records, each job completes exactly once', async () => {
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startOptimizerWorker(
          loadOptimizerConfig({
            registry: `127.0.0.1:${registry.grpcPort}`,
            redisUrl: `redis://127.0.0.1:${port}`,
            stalledIntervalMs: 1000,
            lockDurationMs: 2000,
          }),
          { mode: 'in-process', logger: silent, env: { AIAAS_OPTIMIZER_TEST_PASSES: '1' } },
        ),
      );
    }
    const submitted: Job__Output[] = [];
    for (let i = 0; i < 6; i++) {
      const { job } = await jobsCall<{ job: Job__Output }>(jobs, 'SubmitJob', {
        model: 'mlp',
        passes: [
          { name: 'sleep', settings_json: '{"ms":1500}' },
          { name: 'fp16-weights', settings_json: '{}' },
        ],
      });
      submitted.push(job);
    }
    const get = async (id: string): Promise<Job__Output> =>
      (await jobsCall<{ job: Job__Output }>(jobs, 'GetJob', { id })).job;
    // Kill Redis while two jobs run and four wait in it.
    for (let i = 0; i < 200; i++) {
      const states = await Promise.all(submitted.map(async (job) => (await get(job.id)).state));
      if (states.filter((state) => state === 'JOB_STATE_RUNNING').length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis!.kill('SIGKILL');
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    redis = await startRedis(port); // empty: --save '' --appendonly no

    const deadline = Date.now() + 150_000;
    let finished: Job__Output[] = [];
    while (Date.now() < deadline) {
      finished = await Promise.all(submitted.map((job) => get(job.id)));
      if (
        finished.every((job) => ['JOB_STATE_COMPLETED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(job.state))
      ) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(finished.map((job) => job.state)).toEqual(submitted.map(() => 'JOB_STATE_COMPLETED'));
    for (const job of finished) {
      expect(job.events.filter((e) => e.kind === 'JOB_EVENT_KIND_COMPLETED')).toHaveLength(1);
    }
    // One version per job, no duplicates: lineage names each job once.
    const { versions } = await registryCall(client, 'ListVersions', { model: 'mlp', page_size: 100 }, md());
    expect(versions.map((v) => v.version)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    const lineageJobs = versions.slice(1).map((v) => v.lineage?.job_id);
    expect([...lineageJobs].sort()).toEqual(submitted.map((job) => job.id).sort());
    expect(new Set(finished.map((job) => job.result_version)).size).toBe(6);
  }, 240_000);
});
