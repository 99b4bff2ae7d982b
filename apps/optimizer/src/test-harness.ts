// Shared set-up of the optimizer's integration specs: a real registry on a temp data dir with a
// fresh BullMQ queue on the real Redis, and gRPC clients for it. Not exported from the app.
import { randomUUID } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import type { ChannelOptions, Metadata, ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { callerMetadata, createLogger } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import type { JobEvent__Output, JobsClient, WatchJobResponse__Output } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { chunksOf, createRegistryClient, makeTempDir, registryCall, removeDir, uploadVersion } from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { loadOptimizerConfig } from './config';
import type { OptimizerConfig } from './config';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/** The Redis the specs use (CI's service container, or a local one). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The caller every spec submits jobs as. */
export const TEST_TENANT = { tenant: 'acme', principal: 'tester' };

/** A logger that writes nothing, for the services a spec starts in-process. */
export const silentLogger = createLogger({ service: 'test', level: 'silent' });

/** Internal caller metadata for {@link TEST_TENANT}. */
export const tenantMetadata = (): Metadata => callerMetadata(TEST_TENANT, undefined);

/** One unary Jobs RPC by name, as {@link TEST_TENANT} unless `metadata` is given. */
export function jobsCall<Res>(
  client: JobsClient,
  method: string,
  request: object,
  metadata: Metadata = tenantMetadata(),
): Promise<Res> {
  const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!;
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, (err: ServiceError | null, response: Res) =>
      err ? reject(err) : resolve(response),
    );
  });
}

/** Every event of a job until its last (completed, failed, cancelled). */
export async function watchJob(client: JobsClient, id: string): Promise<JobEvent__Output[]> {
  const events: JobEvent__Output[] = [];
  const call = client.WatchJob({ id }, tenantMetadata());
  for await (const message of call as AsyncIterable<WatchJobResponse__Output>) events.push(message.event!);
  return events;
}

/** A running registry with its own job queue, and clients for it. */
export interface JobsTestBed {
  queueName: string;
  prefix: string;
  dataDir: string;
  registry: RunningRegistry;
  /** `127.0.0.1:<gRPC port>` of the registry. */
  registryAddress: string;
  client: RegistryClient;
  jobs: JobsClient;
  /** Creates model `name` and uploads `bytes` as its next version. */
  addModel(name: string, bytes: Uint8Array): Promise<void>;
  /** A worker config for this queue and registry; `flags` add to or override it. */
  workerConfig(flags?: Record<string, unknown>): OptimizerConfig;
  /** Closes the clients and the registry, deletes the queue from Redis and the data dir. Stop workers first. */
  close(): Promise<void>;
}

/** What differs between specs: the temp dir's name, registry flags, and options for the Jobs client. */
export interface JobsTestBedOptions {
  tempDirName: string;
  /** Extra flags for loadRegistryConfig (jobAttempts, allowTestPasses, ...). */
  registryFlags?: Record<string, unknown>;
  jobsChannelOptions?: ChannelOptions;
}

/** Starts a registry on a fresh temp dir and a fresh queue name and prefix, and connects to it. */
export async function startJobsTestBed(options: JobsTestBedOptions): Promise<JobsTestBed> {
  const queueName = `test-${randomUUID()}`;
  const prefix = `test-${randomUUID()}`;
  const dataDir = makeTempDir(options.tempDirName);
  let registry: RunningRegistry;
  try {
    registry = await startRegistry(
      loadRegistryConfig(
        {
          dataDir,
          grpcPort: 0,
          metricsPort: 0,
          redisUrl: REDIS_URL,
          jobQueueName: queueName,
          jobQueuePrefix: prefix,
          ...options.registryFlags,
        },
        {},
      ),
      silentLogger,
    );
  } catch (err) {
    removeDir(dataDir);
    throw err;
  }
  const registryAddress = `127.0.0.1:${registry.grpcPort}`;
  const client = createRegistryClient(registry.grpcPort);
  const { Jobs } = loadRegistryPackage().aiaas.registry.v1;
  const jobs = new Jobs(registryAddress, credentials.createInsecure(), {
    ...options.jobsChannelOptions,
    interceptors: clientTracingInterceptors(registryAddress),
  });
  return {
    queueName,
    prefix,
    dataDir,
    registry,
    registryAddress,
    client,
    jobs,
    async addModel(name, bytes) {
      await registryCall(client, 'CreateModel', { name }, tenantMetadata());
      await uploadVersion(client, tenantMetadata(), { model: name }, chunksOf(bytes, 1 << 20));
    },
    workerConfig: (flags = {}) =>
      loadOptimizerConfig({ registry: registryAddress, redisUrl: REDIS_URL, queueName, prefix, ...flags }),
    async close() {
      jobs.close();
      client.close();
      await registry.close();
      const queue = new Queue(queueName, { connection: { url: REDIS_URL }, prefix });
      await queue.obliterate({ force: true });
      await queue.close();
      removeDir(dataDir);
    },
  };
}
