import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadSync } from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { bindServer, createLogger, shutdownServer, startMetricsServer } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { loadRegistryPackage, loadRegistryPackageDefinition } from '@aiaas/proto';
import { FileBlobStore } from './blob-store';
import type { RegistryConfig } from './config';
import { createDatabase } from './database';
import type { RegistryDb } from './database';
import { ModelStore } from './model-store';
import { RegistryMetrics } from './registry-metrics';
import { createRegistryHandlers } from './registry-service';
import { createDeploymentServices } from './deployments-service';
import { BullJobQueue } from './job-queue';
import type { JobQueue } from './job-queue';
import { JobStore } from './job-store';
import { createJobsService } from './jobs-service';
import { JOB_DATASET_MAX_BYTES, JobDatasetStore } from './job-datasets';
import { serverTracingInterceptors } from '@aiaas/telemetry';

/** The fully-qualified name of the model registry service, as clients and health checks address it. */
export const MODEL_REGISTRY_SERVICE_NAME = 'aiaas.registry.v1.ModelRegistry';
/** The deployment services served beside it, for health checks. */
export const DEPLOYMENT_SERVICE_NAMES = [
  'aiaas.registry.v1.Deployments',
  'aiaas.registry.v1.Nodes',
  'aiaas.registry.v1.Routes',
];
/** The optimization jobs service; served always, UNAVAILABLE without Redis. */
export const JOBS_SERVICE_NAME = 'aiaas.registry.v1.Jobs';

/** A running registry: its ports, its store and server, and how to stop it. */
export interface RunningRegistry {
  grpcPort: number;
  metricsPort: number;
  store: ModelStore;
  db: RegistryDb;
  /** The grpc-js server (already bound and serving). */
  server: Server;
  metrics: RegistryMetrics;
  /** Graceful: NOT_SERVING, end watch streams, finish in-flight calls (cancelled after shutdownGraceMs), close the database. */
  close(): Promise<void>;
}

/**
 * Opens the database (migrating it), removes what a crash mid-upload left behind, and serves
 * ModelRegistry, grpc.health.v1 and server reflection on the gRPC port, /metrics and /healthz on
 * the metrics port.
 */
export async function startRegistry(
  config: RegistryConfig,
  logger: Logger = createLogger({ service: 'registry' }),
): Promise<RunningRegistry> {
  const db = await createDatabase(config.databaseUrl, config.dataDir, {
    ...(config.databaseSchema === undefined ? {} : { schema: config.databaseSchema }),
  });
  const cleanups: (() => Promise<void> | void)[] = [() => db.destroy()];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const store = new ModelStore(db, new FileBlobStore(config.dataDir), undefined, {
      maxArtifactBytes: config.maxArtifactBytes,
    });
    // Before taking uploads: an upload in flight at a crash looks exactly like an orphan.
    const swept = await store.sweepOrphans();
    if (swept.tempFilesRemoved > 0 || swept.blobsRemoved.length > 0) {
      logger.warn(
        { tempFilesRemoved: swept.tempFilesRemoved, blobsRemoved: swept.blobsRemoved.length },
        'removed what an interrupted upload left behind',
      );
    }

    const metrics = new RegistryMetrics();
    const deployments = createDeploymentServices({
      db,
      store,
      logger,
      internalToken: config.internalToken,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      heartbeatTimeoutMs: config.heartbeatTimeoutMs,
      drainGraceMs: config.drainGraceMs,
      metrics,
    });
    // Room for a SubmitJob carrying a validation dataset of up to JOB_DATASET_MAX_BYTES.
    const server = new Server({
      'grpc.max_receive_message_length': JOB_DATASET_MAX_BYTES + 1024 * 1024,
      interceptors: serverTracingInterceptors(),
    });
    server.addService(
      loadRegistryPackage().aiaas.registry.v1.ModelRegistry.service,
      createRegistryHandlers(store, {
        ...(config.internalToken === undefined ? {} : { internalToken: config.internalToken }),
        maxArtifactBytes: config.maxArtifactBytes,
        metrics,
        logger,
        // An alias move re-targets the deployments that follow it at once, not at the next timer tick.
        onChange: (event) => deployments.onRegistryChange(event),
      }),
    );
    for (const { service, handlers } of deployments.services) server.addService(service, handlers);
    // Jobs need Redis (BullMQ); without it the registry serves everything else and Jobs says why not.
    let jobQueue: JobQueue | undefined;
    const jobStore = new JobStore(db);
    if (config.redisUrl !== undefined) {
      const bull = new BullJobQueue({
        connection: { url: config.redisUrl },
        queueName: config.jobQueueName,
        prefix: config.jobQueuePrefix,
        attempts: config.jobAttempts,
        backoffMs: config.jobBackoffMs,
      });
      jobQueue = bull;
      cleanups.push(() => bull.close());
      // Redis restarted empty (or a crash between record and queue entry): re-queue from the records.
      const stopWatching = bull.watchForLostJobs(() => jobStore.listUnfinished(), {
        logger,
        stillUnfinished: async (id) => ['queued', 'running'].includes((await jobStore.get(undefined, id)).state),
      });
      cleanups.push(stopWatching);
    } else {
      logger.warn('REDIS_URL is not set: optimization jobs are unavailable, everything else is served');
    }
    const jobsService = createJobsService({
      jobs: jobStore,
      store,
      queue: jobQueue,
      ...(config.internalToken === undefined ? {} : { internalToken: config.internalToken }),
      allowTestPasses: config.allowTestPasses,
      datasets: new JobDatasetStore(config.dataDir),
      logger,
    });
    server.addService(loadRegistryPackage().aiaas.registry.v1.Jobs.service, jobsService.handlers);
    const names = [MODEL_REGISTRY_SERVICE_NAME, ...DEPLOYMENT_SERVICE_NAMES, JOBS_SERVICE_NAME];
    const health = new HealthImplementation(Object.fromEntries(['', ...names].map((name) => [name, 'NOT_SERVING'])));
    health.addToServer(server);
    new ReflectionService({ ...loadRegistryPackageDefinition(), ...loadSync(healthProtoPath) }).addToServer(server);

    const grpcPort = await bindServer(server, config.host, config.grpcPort);
    cleanups.push(() => server.forceShutdown());
    let ready = false;
    const metricsServer: http.Server = await startMetricsServer(
      config.host,
      config.metricsPort,
      metrics.registry,
      () => ready,
    );
    cleanups.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
    const metricsPort = (metricsServer.address() as AddressInfo).port;
    for (const name of ['', ...names]) health.setStatus(name, 'SERVING');
    ready = true;
    logger.info(
      { grpcPort, metricsPort, dataDir: config.dataDir, database: config.databaseUrl ? 'postgres' : 'sqlite' },
      'registry listening',
    );

    let closed: Promise<void> | undefined;
    return {
      grpcPort,
      metricsPort,
      store,
      db,
      server,
      metrics,
      close() {
        closed ??= (async () => {
          ready = false;
          for (const name of ['', ...names]) health.setStatus(name, 'NOT_SERVING');
          // End the watch streams first (they never end on their own), then stop taking calls and
          // let in-flight ones (uploads) finish; the database closes last.
          await deployments.close();
          jobsService.close();
          await shutdownServer(server, config.shutdownGraceMs);
          await cleanUp();
          logger.info('registry stopped');
        })();
        return closed;
      },
    };
  } catch (err) {
    await cleanUp().catch(() => undefined);
    throw err;
  }
}
