import type { ServiceDefinition, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { InvalidArgumentError, checkInternalToken, readCaller, toServiceError, unaryHandler } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import type {
  Deployment,
  Deployment__Output,
  DeploymentsHandlers,
  NodesHandlers,
  ReplicaState,
  ReplicaState__Output,
  RoutesHandlers,
  WatchAssignmentsRequest__Output,
  WatchAssignmentsResponse,
  WatchRoutesRequest__Output,
  WatchRoutesResponse,
} from '@aiaas/proto';
import type { RegistryDb } from './database';
import { DeploymentReconciler } from './deployment-reconciler';
import { DeploymentStore } from './deployment-store';
import type { DeploymentRecord, DeploymentSpec, ReplicaStateName } from './deployment-store';
import type { Clock, ModelStore } from './model-store';
import { SYSTEM_CLOCK } from './model-store';
import { NodeTracker } from './node-tracker';
import type { RegistryMetrics } from './registry-metrics';

/** @default 1000: how often nodes are told to heartbeat. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
/** @default 5000: a node silent this long is marked down. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 5000;
/** @default 1000: the safety-net reconcile (and liveness check) period. */
export const DEFAULT_RECONCILE_INTERVAL_MS = 1000;

export interface DeploymentServicesOptions {
  db: RegistryDb;
  /**
   * The model store the ModelRegistry service uses. Not called today (deployments read models,
   * versions and aliases straight from the shared tables); taken so the wiring stays the same
   * when it is.
   */
  store: ModelStore;
  logger: Logger;
  /** When set, every call must carry it (`x-aiaas-internal-token`). */
  internalToken: string | undefined;
  clock?: Clock;
  /** Told to nodes at registration. @default DEFAULT_HEARTBEAT_INTERVAL_MS */
  heartbeatIntervalMs?: number;
  /** @default DEFAULT_HEARTBEAT_TIMEOUT_MS */
  heartbeatTimeoutMs?: number;
  /** @default DEFAULT_RECONCILE_INTERVAL_MS */
  reconcileIntervalMs?: number;
  /** How long a replaced replica drains (out of the routes, still on its node). @default 2000 */
  drainGraceMs?: number;
  /** Placement and replica metrics (see DeploymentReconciler). */
  metrics?: RegistryMetrics;
}

/** What changed in the model registry; any change may move a deployment's target. */
export interface RegistryChangeEvent {
  tenant: string;
  model: string;
  /** e.g. `alias.set`, `alias.delete`, `version.create`, `version.delete`. */
  action?: string;
}

export interface DeploymentServices {
  /** Add each to the grpc-js server: `server.addService(s.service, s.handlers)`. */
  services: Array<{ service: ServiceDefinition; handlers: UntypedServiceImplementation }>;
  /** Call after an alias or version change made through ModelRegistry; reconciles in the background. */
  onRegistryChange(event: RegistryChangeEvent): void;
  /** Reconciles now and resolves when done (tests, and callers that need the result at once). */
  reconcile(): Promise<void>;
  /**
   * Stops the timer and ends every watch stream with status OK. Call it before shutting the
   * gRPC server down: otherwise the server waits for the streams until its grace period ends.
   */
  close(): Promise<void>;
  store: DeploymentStore;
  nodes: NodeTracker;
}

const STATE_TO_WIRE: Record<ReplicaStateName, ReplicaState> = {
  PENDING: 'REPLICA_STATE_PENDING',
  LOADING: 'REPLICA_STATE_LOADING',
  READY: 'REPLICA_STATE_READY',
  FAILED: 'REPLICA_STATE_FAILED',
  UNPLACED: 'REPLICA_STATE_UNPLACED',
  DRAINING: 'REPLICA_STATE_DRAINING',
};

/**
 * The Deployments, Nodes and Routes services (protos/deployments.proto) over the registry's
 * database. Deployments act for the tenant in trusted metadata (`readCaller`); Nodes and Routes
 * are internal and check only the internal token.
 */
export function createDeploymentServices(options: DeploymentServicesOptions): DeploymentServices {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const { internalToken, logger } = options;
  const store = new DeploymentStore(options.db, clock);
  const nodes = new NodeTracker(options.db, clock);
  const reconciler = new DeploymentReconciler({
    db: options.db,
    nodes,
    logger,
    clock,
    heartbeatTimeoutMs,
    reconcileIntervalMs: options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
    ...(options.drainGraceMs === undefined ? {} : { drainGraceMs: options.drainGraceMs }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
  const pkg = loadRegistryPackage().aiaas.registry.v1;

  const deployments: DeploymentsHandlers = {
    CreateDeployment: unaryHandler(async (request, call) => {
      const caller = readCaller(call.metadata, internalToken);
      const spec = toSpec(request.deployment);
      // proto3 has no "unset": 0 replicas on create means the default, one. (An update that names
      // replicas in its mask must say how many: 0 there stays an error.)
      const created = await store.create(caller, { ...spec, replicas: spec.replicas === 0 ? 1 : spec.replicas });
      await reconciler.reconcileQuietly();
      return { deployment: toWire(await store.get(caller, created.name)) };
    }),
    GetDeployment: unaryHandler(async (request, call) => {
      const caller = readCaller(call.metadata, internalToken);
      return { deployment: toWire(await store.get(caller, request.name)) };
    }),
    UpdateDeployment: unaryHandler(async (request, call) => {
      const caller = readCaller(call.metadata, internalToken);
      const spec = request.deployment;
      if (spec === null || spec.name === '')
        throw new InvalidArgumentError('deployment.name: expected the deployment to update');
      await store.update(caller, spec.name, toUpdate(spec), request.update_mask);
      await reconciler.reconcileQuietly();
      return { deployment: toWire(await store.get(caller, spec.name)) };
    }),
    DeleteDeployment: unaryHandler(async (request, call) => {
      const caller = readCaller(call.metadata, internalToken);
      await store.delete(caller, request.name);
      await reconciler.reconcileQuietly();
      return {};
    }),
    ListDeployments: unaryHandler(async (request, call) => {
      const caller = readCaller(call.metadata, internalToken);
      const page = await store.list(caller, {
        pageSize: request.page_size,
        pageToken: request.page_token,
        model: request.model,
      });
      return { deployments: page.deployments.map(toWire), next_page_token: page.nextPageToken };
    }),
  };

  const nodeHandlers: NodesHandlers = {
    RegisterNode: unaryHandler(async (request, call) => {
      checkInternalToken(call.metadata, internalToken);
      const node = await nodes.register({
        nodeId: request.node_id,
        address: request.address,
        memoryBytes: Number(request.memory_bytes),
        devices: request.devices,
      });
      logger.info({ nodeId: node.nodeId, address: node.address, devices: node.devices }, 'node registered');
      await reconciler.reconcileQuietly();
      return {
        node_id: node.nodeId,
        heartbeat_interval_ms: heartbeatIntervalMs,
        heartbeat_timeout_ms: heartbeatTimeoutMs,
      };
    }),
    Heartbeat: unaryHandler(async (request, call) => {
      checkInternalToken(call.metadata, internalToken);
      await nodes.heartbeat(request.node_id, Number(request.memory_used_bytes));
      return {};
    }),
    WatchAssignments: (call: ServerWritableStream<WatchAssignmentsRequest__Output, WatchAssignmentsResponse>) => {
      void (async () => {
        checkInternalToken(call.metadata, internalToken);
        await nodes.requireUp(call.request.node_id);
        const stop = await reconciler.watchAssignments(call.request.node_id, call);
        call.on('cancelled', stop);
        call.on('close', stop);
        if (call.cancelled) stop();
      })().catch((err: unknown) => call.emit('error', toServiceError(err)));
    },
    ReportReplicaStatus: unaryHandler(async (request, call) => {
      checkInternalToken(call.metadata, internalToken);
      const changed = await nodes.reportStatus(
        request.node_id,
        request.replicas.map((r) => ({
          servedName: r.served_name,
          version: Number(r.version),
          state: fromWireState(r.state),
          reason: r.reason,
        })),
      );
      // A READY replica may finish a roll, and any change alters the route table.
      if (changed > 0) await reconciler.reconcileQuietly();
      return {};
    }),
    ListNodes: unaryHandler(async (_request, call) => {
      checkInternalToken(call.metadata, internalToken);
      const list = await nodes.list();
      return {
        nodes: list.map((node) => ({
          node_id: node.nodeId,
          address: node.address,
          memory_bytes: node.memoryBytes,
          devices: node.devices,
          state: node.state,
          last_heartbeat_at: node.lastHeartbeatAt.toISOString(),
          replicas: node.replicas.map((r) => ({
            served_name: r.servedName,
            version: r.version,
            state: STATE_TO_WIRE[r.state],
            reason: r.reason,
          })),
          memory_reserved_bytes: node.state === 'UP' ? reconciler.reservedBytes(node.nodeId) : 0,
        })),
      };
    }),
  };

  const routes: RoutesHandlers = {
    WatchRoutes: (call: ServerWritableStream<WatchRoutesRequest__Output, WatchRoutesResponse>) => {
      void (async () => {
        checkInternalToken(call.metadata, internalToken);
        const stop = await reconciler.watchRoutes(call);
        call.on('cancelled', stop);
        call.on('close', stop);
        if (call.cancelled) stop();
      })().catch((err: unknown) => call.emit('error', toServiceError(err)));
    },
  };

  return {
    services: [
      { service: pkg.Deployments.service, handlers: deployments },
      { service: pkg.Nodes.service, handlers: nodeHandlers },
      { service: pkg.Routes.service, handlers: routes },
    ],
    onRegistryChange: (event) => {
      logger.debug({ tenant: event.tenant, model: event.model, action: event.action }, 'registry changed; reconciling');
      void reconciler.reconcileQuietly();
    },
    reconcile: () => reconciler.reconcile(),
    close: () => reconciler.close(),
    store,
    nodes,
  };
}

function toSpec(deployment: Deployment__Output | null): DeploymentSpec {
  if (deployment === null) throw new InvalidArgumentError('deployment: expected a deployment');
  return {
    name: deployment.name,
    model: deployment.model,
    alias: deployment.alias,
    version: Number(deployment.version),
    replicas: deployment.replicas,
    ...(deployment.batching === null ? {} : { batching: fromWireBatching(deployment.batching) }),
    instanceCount: deployment.instance_count,
    device: deployment.device,
    memoryEstimateBytes: Number(deployment.memory_estimate_bytes),
  };
}

function toUpdate(deployment: Deployment__Output): Omit<DeploymentSpec, 'name' | 'model' | 'replicas'> & {
  replicas: number;
} {
  const spec = toSpec(deployment);
  return { ...spec, batching: spec.batching ?? {} };
}

function fromWireBatching(batching: NonNullable<Deployment__Output['batching']>): DeploymentSpec['batching'] {
  return {
    maxBatchSize: batching.max_batch_size,
    maxQueueDelayMicroseconds: Number(batching.max_queue_delay_microseconds),
    preferredBatchSize: batching.preferred_batch_size,
    maxQueueSize: batching.max_queue_size,
  };
}

function fromWireState(state: ReplicaState__Output): ReplicaStateName {
  const name = String(state).replace(/^REPLICA_STATE_/, '');
  if (name === 'LOADING' || name === 'READY' || name === 'FAILED') return name;
  throw new InvalidArgumentError(`replica state: expected LOADING, READY or FAILED, got ${String(state)}`);
}

function toWire(record: DeploymentRecord): Deployment {
  return {
    name: record.name,
    model: record.model,
    alias: record.alias ?? '',
    version: record.version ?? 0,
    replicas: record.replicas,
    batching: {
      max_batch_size: record.batching.maxBatchSize,
      max_queue_delay_microseconds: record.batching.maxQueueDelayMicroseconds,
      preferred_batch_size: record.batching.preferredBatchSize,
      max_queue_size: record.batching.maxQueueSize,
    },
    instance_count: record.instanceCount,
    device: record.device,
    memory_estimate_bytes: record.memoryEstimateBytes,
    target_version: record.targetVersion ?? 0,
    replica_status: record.replicaStatus.map((r) => ({
      node_id: r.nodeId ?? '',
      address: r.address,
      version: r.version,
      state: STATE_TO_WIRE[r.state],
      reason: r.reason,
    })),
    created_at: record.createdAt.toISOString(),
    updated_at: record.updatedAt.toISOString(),
  };
}
