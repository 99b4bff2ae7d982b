import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { credentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { callerMetadata, createLogger } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadRegistryPackage } from '@aiaas/proto';
import type { JobEvent__Output, JobsClient, SubmitJobResponse__Output, WatchJobResponse__Output } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import {
  REPO_ROOT,
  chunksOf,
  createRegistryClient,
  makeTempDir,
  registryCall,
  removeDir,
  uploadVersion,
} from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TENANT = { tenant: 'acme', principal: 'tester' };
const md = (): ReturnType<typeof callerMetadata> => callerMetadata(TENANT, undefined);

/** `aiaas worker` as a real process, from the sources through tsx (no build needed, so no dist/ race). */
function spawnWorker(
  registryPort: number,
  queueName: string,
  prefix: string,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      pathToFileURL(require.resolve('tsx')).href,
      path.join(REPO_ROOT, 'apps/cli/src/main.ts'),
      'worker',
      '--registry',
      `127.0.0.1:${registryPort}`,
      '--redis',
      REDIS_URL,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        AIAAS_JOB_QUEUE_NAME: queueName,
        AIAAS_JOB_QUEUE_PREFIX: prefix,
        AIAAS_OPTIMIZER_STALLED_INTERVAL_MS: '1000',
        AIAAS_OPTIMIZER_LOCK_DURATION_MS: '2000',
        AIAAS_OPTIMIZER_TEST_PASSES: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('optimizer worker on queue')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, ready };
}

/** The pids of a process's children (its sandboxed job processes), to clean up after a kill -9. */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

describe('aiaas worker processes (real Redis, real registry)', () => {
  const queueName = `test-${randomUUID()}`;
  const prefix = `test-${randomUUID()}`;
  let dataDir: string;
  let registry: RunningRegistry;
  let client: RegistryClient;
  let jobs: JobsClient;
  const spawned: ChildProcess[] = [];
  const orphans: number[] = [];

  beforeAll(async () => {
    dataDir = makeTempDir('optimizer-kill');
    registry = await startRegistry(
      loadRegistryConfig(
        {
          dataDir,
          grpcPort: 0,
          metricsPort: 0,
          redisUrl: REDIS_URL,
          jobQueueName: queueName,
          jobQueuePrefix: prefix,
          allowTestPasses: true,
        },
        {},
      ),
      createLogger({ service: 'test', level: 'silent' }),
    );
    client = createRegistryClient(registry.grpcPort);
    const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
    jobs = new Jobs(`127.0.0.1:${registry.grpcPort}`, credentials.createInsecure());
    await registryCall(client, 'CreateModel', { name: 'mlp' }, md());
    await uploadVersion(client, md(), { model: 'mlp' }, chunksOf(buildMlp(MLP_SMALL).bytes, 1 << 20));
  });

  afterAll(async () => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const pid of orphans) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    jobs?.close();
    client?.close();
    await registry?.close();
    const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
    removeDir(dataDir);
  });

  it('picks a job up again after kill -9 of its worker and registers exactly one version', async () => {
    const first = spawnWorker(registry.grpcPort, queueName, prefix);
    spawned.push(first.child);
    await first.ready;
    const { job } = await new Promise<SubmitJobResponse__Output>((resolve, reject) =>
      jobs.SubmitJob(
        {
          model: 'mlp',
          passes: [
            { name: 'sleep', settings_json: '{"ms":3000}' },
            { name: 'fp16-weights', settings_json: '{}' },
          ],
        },
        md(),
        (err: ServiceError | null, response?: SubmitJobResponse__Output) => (err ? reject(err) : resolve(response!)),
      ),
    );
    const events: JobEvent__Output[] = [];
    const call = jobs.WatchJob({ id: job!.id }, md());
    const watched = (async () => {
      for await (const message of call as AsyncIterable<WatchJobResponse__Output>) {
        events.push(message.event!);
        if (message.event!.kind === 'JOB_EVENT_KIND_PASS_STARTED' && first.child.exitCode === null) {
          orphans.push(...childPids(first.child.pid!));
          first.child.kill('SIGKILL');
        }
      }
    })();
    // The first worker dies mid-job; a second one finds the stalled job and runs it again.
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = spawnWorker(registry.grpcPort, queueName, prefix);
    spawned.push(second.child);
    await second.ready;
    await watched;
    expect(events.at(-1)?.kind).toBe('JOB_EVENT_KIND_COMPLETED');
    expect(events.filter((e) => e.kind === 'JOB_EVENT_KIND_STARTED').length).toBeGreaterThanOrEqual(2);
    const versions = await registryCall(client, 'ListVersions', { model: 'mlp' }, md());
    expect(versions.versions.map((v) => v.version)).toEqual(['1', '2']);
    expect(versions.versions[1]?.lineage?.job_id).toBe(job!.id);

    // SIGTERM: close() lets in-flight work finish, and the process exits 0.
    const exited = new Promise<number | null>((resolve) => second.child.once('exit', (code) => resolve(code)));
    second.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});
