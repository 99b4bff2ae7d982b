import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadSync } from '@grpc/proto-loader';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { bindServer, createLogger, shutdownServer, startMetricsServer } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { INFERENCE_SERVICE_NAME, loadInferencePackage, loadInferencePackageDefinition } from '@aiaas/proto';
import fs from 'node:fs';
import path from 'node:path';
import { serverTracingInterceptors } from '@aiaas/telemetry';
import type { NodeConfig } from './config';
import { modelRepositoryOf } from './config';
import { RegistryAgent } from './registry-agent';
import { createInferenceHandlers } from './grpc-service';
import { InferenceNode } from './inference-node';
import { ModelRepository } from './model-repository';
import { NodeMetrics } from './node-metrics';

/** A running inference node: its ports and how to stop it. */
export interface RunningNode {
  node: InferenceNode;
  /** Set when the node serves what a registry assigns it. */
  agent: RegistryAgent | undefined;
  grpcPort: number;
  metricsPort: number;
  metrics: NodeMetrics;
  /** Graceful: NOT_SERVING, stop accepting, finish in-flight calls, end sessions, close ports. */
  close(): Promise<void>;
}

/**
 * Starts the gRPC server (inference service, grpc.health.v1, reflection) and the metrics port,
 * then loads every model in the repository. The health status turns SERVING once loading ends.
 */
export async function startInferenceNode(config: NodeConfig, logger: Logger = createLogger({ service: 'inference-node' })): Promise<RunningNode> {
  const metrics = new NodeMetrics();
  const modelRepository = modelRepositoryOf(config);
  if (config.registry && !config.modelRepository) {
    // A registry-managed repository is derived state: start empty, the assignments refill it.
    fs.rmSync(modelRepository, { recursive: true, force: true });
  }
  fs.mkdirSync(modelRepository, { recursive: true });
  const node = new InferenceNode({ repository: new ModelRepository(modelRepository), metrics, logger });
  const server = new Server({
    'grpc.max_receive_message_length': config.maxMessageBytes,
    'grpc.max_send_message_length': config.maxMessageBytes,
    interceptors: serverTracingInterceptors(),
  });
  server.addService(loadInferencePackage().inference.GRPCInferenceService.service, createInferenceHandlers(node));
  const health = new HealthImplementation({ '': 'NOT_SERVING', [INFERENCE_SERVICE_NAME]: 'NOT_SERVING' });
  health.addToServer(server);
  // Reflection describes every service served here, so grpcurl and similar tools can list and call them.
  new ReflectionService({ ...loadInferencePackageDefinition(), ...loadSync(healthProtoPath) }).addToServer(server);

  const grpcPort = await bindServer(server, config.host, config.grpcPort);
  let metricsServer: http.Server;
  try {
    metricsServer = await startMetricsServer(config.host, config.metricsPort, metrics.registry, () => node.ready, () => node.collectGauges());
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
  const metricsPort = (metricsServer.address() as AddressInfo).port;
  logger.info({ grpcPort, metricsPort, modelRepository }, 'inference node listening');

  await node.loadAll();
  health.setStatus('', 'SERVING');
  health.setStatus(INFERENCE_SERVICE_NAME, 'SERVING');
  let agent: RegistryAgent | undefined;
  if (config.registry) {
    agent = new RegistryAgent({
      registryAddress: config.registry,
      internalToken: config.internalToken,
      advertisedAddress: config.advertiseAddress ?? `${config.host}:${grpcPort}`,
      nodeId: config.nodeId,
      memoryBytes: config.memoryBytes,
      devices: config.devices,
      repositoryRoot: modelRepository,
      cacheDir: path.join(config.dataDir, 'node', 'artifacts'),
      node,
      logger,
    });
    await agent.start();
  }
  logger.info('inference node ready');

  let closed: Promise<void> | undefined;
  return {
    node,
    agent,
    grpcPort,
    metricsPort,
    metrics,
    close() {
      closed ??= (async () => {
        health.setStatus('', 'NOT_SERVING');
        health.setStatus(INFERENCE_SERVICE_NAME, 'NOT_SERVING');
        // Leave the registry first: it stops routing here while in-flight calls finish.
        await agent?.close();
        // Stop accepting first, so in-flight calls finish against loaded sessions; then end the sessions.
        await shutdownServer(server, config.shutdownGraceMs);
        await node.close();
        await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        logger.info('inference node stopped');
      })();
      return closed;
    },
  };
}
