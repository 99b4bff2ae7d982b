import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { bindServer, createLogger, shutdownServer, startMetricsServer } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { INFERENCE_SERVICE_NAME, loadInferencePackage, loadRegistryPackage } from '@aiaas/proto';
import type { AuthDb } from './auth/auth-database';
import { Authenticator } from './auth/authenticator';
import { KeyStore } from './auth/key-store';
import { TokenIssuer } from './auth/token-issuer';
import type { GatewayConfig } from './config';
import { Gateway } from './gateway';
import { openGatewayDatabase } from './gateway-database';
import { GatewayMetrics } from './gateway-metrics';
import { createFrontDoorHandlers } from './grpc-front-door';
import { RateLimiter, createBucketStore } from './rate-limiter';
import type { BucketSettings } from './rate-limiter';
import { RegistryClients } from './registry-clients';
import { createRegistryProxy } from './registry-proxy';
import { ReplicaPool } from './replica-pool';
import { createRestApp } from './rest-app';
import { RouteTable } from './route-table';
import { serverTracingInterceptors } from '@aiaas/telemetry';

/** A running gateway: its ports, its stores, and how to stop it. */
export interface RunningGateway {
  restPort: number;
  grpcPort: number;
  metricsPort: number;
  /** The bootstrap admin key when this start generated it (print it once); undefined otherwise. */
  adminKey: string | undefined;
  keys: KeyStore;
  tokens: TokenIssuer;
  routes: RouteTable;
  pool: ReplicaPool;
  db: AuthDb;
  /** Graceful: not ready, stop taking requests, finish in-flight ones, close channels and the database. */
  close(): Promise<void>;
}

/**
 * Opens the auth store (creating the bootstrap admin key on an empty one), follows the
 * registry's routes, and serves REST, the gRPC front door and /metrics.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger({ service: 'gateway' }),
): Promise<RunningGateway> {
  const db = await openGatewayDatabase(config.databaseUrl, config.dataDir);
  const cleanups: (() => Promise<void> | void)[] = [() => db.destroy()];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const keys = new KeyStore(db);
    const bootstrap = await keys.ensureBootstrapAdminKey(
      config.bootstrapAdminKey === undefined ? {} : { envKey: config.bootstrapAdminKey },
    );
    if (bootstrap.created)
      logger.warn({ keyId: bootstrap.record.id, source: bootstrap.source }, 'created the bootstrap admin key');

    const metrics = new GatewayMetrics();
    const routes = new RouteTable({ registryAddress: config.registry, internalToken: config.internalToken, logger });
    const pool = new ReplicaPool({ logger, maxMessageBytes: config.maxMessageBytes });
    routes.onChange((all) => pool.retain(all));
    routes.start();
    cleanups.push(
      () => routes.close(),
      () => pool.close(),
    );

    // The issuer is a name, not a URL anyone fetches: with --rest-port 0 it says ":0", which is
    // fine for verification (every gateway of a deployment must be given the same one anyway).
    const tokens = new TokenIssuer(db, {
      issuer: config.issuer ?? `http://${config.host}:${config.restPort}`,
      ttlSeconds: config.tokenTtlSeconds,
    });
    const authenticator = new Authenticator(keys, tokens, { cacheTtlMs: config.keyCacheTtlMs });
    const rateLimiter = new RateLimiter(
      {
        perKey: bucket(config.rateLimitKeyPerSecond, config.rateLimitKeyBurst),
        perTenant: bucket(config.rateLimitTenantPerSecond, config.rateLimitTenantBurst),
      },
      createBucketStore({ redisUrl: config.redisUrl, prefix: config.rateLimitRedisPrefix, logger }),
    );
    cleanups.push(() => rateLimiter.close());
    const gateway = new Gateway({
      authenticator,
      routes,
      pool,
      internalToken: config.internalToken,
      ...(rateLimiter.active ? { rateLimiter } : {}),
    });
    const registry = new RegistryClients(config.registry, config.internalToken);
    cleanups.push(() => registry.close());

    // Bound after the REST app (so REST is up first); /v1/info reads it when asked.
    let boundGrpcPort = config.grpcPort;
    const app = createRestApp({
      gateway,
      grpcPort: () => boundGrpcPort,
      keys,
      tokens,
      logger,
      metrics,
      maxInferBodyBytes: config.maxInferBodyBytes,
      restTimeoutMs: config.restTimeoutMs,
      shutdownGraceMs: config.shutdownGraceMs,
      management: {
        registry,
        maxUploadBytes: config.maxUploadBytes,
        onEventStream: (delta) => metrics.jobEventStreams.inc(delta),
      },
    });
    await app.listen({ host: config.host, port: config.restPort });
    cleanups.push(() => app.close());
    const restPort = (app.server.address() as AddressInfo).port;

    const server = new Server({
      'grpc.max_receive_message_length': config.maxMessageBytes,
      'grpc.max_send_message_length': config.maxMessageBytes,
      interceptors: serverTracingInterceptors(),
    });
    server.addService(
      loadInferencePackage().inference.GRPCInferenceService.service,
      createFrontDoorHandlers(gateway, metrics, logger),
    );
    // The registry's ModelRegistry and Jobs services, proxied with the same credentials and scopes as REST.
    const registryServices = loadRegistryPackage().aiaas.registry.v1;
    for (const name of ['ModelRegistry', 'Jobs'] as const) {
      const proxy = createRegistryProxy(name, registryServices[name].service, { gateway, registry, metrics, logger });
      server.addService(proxy.definition, proxy.handlers);
    }
    const health = new HealthImplementation({ '': 'NOT_SERVING', [INFERENCE_SERVICE_NAME]: 'NOT_SERVING' });
    health.addToServer(server);
    const grpcPort = await bindServer(server, config.host, config.grpcPort);
    boundGrpcPort = grpcPort;
    cleanups.push(() => server.forceShutdown());

    const metricsServer: http.Server = await startMetricsServer(
      config.host,
      config.metricsPort,
      metrics.registry,
      () => routes.synced,
    );
    cleanups.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
    const metricsPort = (metricsServer.address() as AddressInfo).port;

    await routes.waitUntilSynced(config.routesWaitMs).catch((err: Error) => {
      // Serve anyway: /v2/health/ready says 503 until the registry answers, and the watch keeps retrying.
      logger.warn({ registry: config.registry, err: err.message }, 'starting without routes');
    });
    health.setStatus('', 'SERVING');
    health.setStatus(INFERENCE_SERVICE_NAME, 'SERVING');
    logger.info({ restPort, grpcPort, metricsPort, registry: config.registry }, 'gateway listening');

    let closed: Promise<void> | undefined;
    return {
      restPort,
      grpcPort,
      metricsPort,
      adminKey: bootstrap.created && bootstrap.source === 'generated' ? bootstrap.key : undefined,
      keys,
      tokens,
      routes,
      pool,
      db,
      close() {
        closed ??= (async () => {
          health.setStatus('', 'NOT_SERVING');
          health.setStatus(INFERENCE_SERVICE_NAME, 'NOT_SERVING');
          // Front doors first (in-flight requests still need routes and channels), then the rest.
          await Promise.all([shutdownServer(server, config.shutdownGraceMs), app.close()]);
          await cleanUp();
          logger.info('gateway stopped');
        })();
        return closed;
      },
    };
  } catch (err) {
    await cleanUp().catch(() => undefined);
    throw err;
  }
}

/** A bucket from a rate and a burst; a burst of 0 is the rate rounded up (at least 1). */
function bucket(ratePerSecond: number, burst: number): BucketSettings {
  return { ratePerSecond, burst: burst > 0 ? burst : Math.max(1, Math.ceil(ratePerSecond)) };
}
