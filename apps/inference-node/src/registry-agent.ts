import fs from 'node:fs/promises';
import path from 'node:path';
import { credentials, status } from '@grpc/grpc-js';
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { callerMetadata } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import type {
  Assignment__Output,
  DownloadVersionResponse__Output,
  ModelRegistryClient,
  NodesClient,
  ReplicaState,
  ReplicaStatus,
  WatchAssignmentsResponse__Output,
} from '@aiaas/proto';
import { ArtifactCache } from './artifact-cache';
import type { InferenceNode } from './inference-node';
import { clientTracingInterceptors } from '@aiaas/telemetry';

export interface RegistryAgentOptions {
  /** host:port of the registry. */
  registryAddress: string;
  internalToken: string | undefined;
  /** host:port where gateways reach this node's inference service. */
  advertisedAddress: string;
  /** Stable id across restarts; empty lets the registry pick one. */
  nodeId: string | undefined;
  memoryBytes: number;
  devices: string[];
  /** The node's model repository, managed by the agent: one folder per served model. */
  repositoryRoot: string;
  /** Downloaded artifacts by sha256, kept across restarts. */
  cacheDir: string;
  node: InferenceNode;
  logger: Logger;
}

/** What one served model should look like on this node. */
interface DesiredModel {
  servedName: string;
  tenant: string;
  model: string;
  configJson: string;
  versions: { version: number; sha256: string; sizeBytes: number }[];
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

function isNotFound(err: unknown): boolean {
  return (err as ServiceError | undefined)?.code === status.NOT_FOUND;
}

/**
 * Connects an inference node to the registry: registers it, heartbeats, watches its assignments
 * and makes the node's model repository match them — downloading artifacts (sha256-verified,
 * cached by hash), writing config.json, loading (warm before swap) and unloading — and reports
 * each replica's state back. Every step retries until the agent is closed.
 */
export class RegistryAgent {
  private readonly nodes: NodesClient;
  private readonly registry: ModelRegistryClient;
  private readonly cache: ArtifactCache;
  private nodeId: string | undefined;
  private heartbeatMs = 1_000;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private watch: ClientReadableStream<WatchAssignmentsResponse__Output> | undefined;
  private desired: Assignment__Output[] | undefined;
  /** Served name → the applied state's fingerprint, to skip reloads that change nothing. */
  private readonly applied = new Map<string, string>();
  private readonly status = new Map<string, ReplicaStatus>();
  private reconciling: Promise<void> | undefined;
  private dirty = false;
  private closed = false;

  constructor(private readonly options: RegistryAgentOptions) {
    const { aiaas } = loadRegistryPackage();
    const interceptors = clientTracingInterceptors(options.registryAddress);
    this.nodes = new aiaas.registry.v1.Nodes(options.registryAddress, credentials.createInsecure(), { interceptors });
    this.registry = new aiaas.registry.v1.ModelRegistry(options.registryAddress, credentials.createInsecure(), {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      interceptors,
    });
    this.cache = new ArtifactCache(options.cacheDir);
  }

  /** The id the registry knows this node by, once registered. */
  get id(): string | undefined {
    return this.nodeId;
  }

  /** Registers (retrying until the registry answers), then heartbeats and watches in the background. */
  async start(): Promise<void> {
    await this.register();
    this.scheduleHeartbeat();
    this.openWatch();
  }

  private metadata(tenant?: string) {
    return callerMetadata(tenant ? { tenant, principal: `node:${this.nodeId ?? 'unregistered'}` } : undefined, this.options.internalToken);
  }

  private async register(): Promise<void> {
    for (let delay = RETRY_MIN_MS; !this.closed; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        const response = await new Promise<{ node_id: string; heartbeat_interval_ms: string }>((resolve, reject) =>
          this.nodes.RegisterNode(
            {
              node_id: this.nodeId ?? this.options.nodeId ?? '',
              address: this.options.advertisedAddress,
              memory_bytes: this.options.memoryBytes,
              devices: this.options.devices,
            },
            this.metadata(),
            (err, res) => (err ? reject(err) : resolve(res!)),
          ),
        );
        this.nodeId = response.node_id;
        this.heartbeatMs = Math.max(50, Number(response.heartbeat_interval_ms) || 1_000);
        this.options.logger.info({ nodeId: this.nodeId, registry: this.options.registryAddress }, 'registered with the registry');
        return;
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message, retryInMs: delay }, 'registry not reachable; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private scheduleHeartbeat(): void {
    if (this.closed) return;
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), this.heartbeatMs);
  }

  private async heartbeat(): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) =>
        this.nodes.Heartbeat({ node_id: this.nodeId!, memory_used_bytes: process.memoryUsage().rss }, this.metadata(), (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    } catch (err) {
      if (isNotFound(err) && !this.closed) {
        // Marked down while we were away: register again and re-subscribe.
        this.options.logger.warn('the registry forgot this node; registering again');
        await this.register();
        this.watch?.cancel();
      } else {
        this.options.logger.warn({ err: (err as Error).message }, 'heartbeat failed');
      }
    }
    this.scheduleHeartbeat();
  }

  private openWatch(delay = RETRY_MIN_MS): void {
    if (this.closed) return;
    const stream = this.nodes.WatchAssignments({ node_id: this.nodeId! }, this.metadata());
    this.watch = stream;
    let received = false;
    stream.on('data', (message: WatchAssignmentsResponse__Output) => {
      received = true;
      this.desired = message.assignments;
      this.kick();
    });
    const reopen = (err?: ServiceError): void => {
      if (this.watch !== stream || this.closed) return;
      this.watch = undefined;
      const next = received ? RETRY_MIN_MS : Math.min(delay * 2, RETRY_MAX_MS);
      if (err && err.code !== status.CANCELLED) this.options.logger.warn({ err: err.message }, 'assignment watch ended; reopening');
      setTimeout(() => {
        if (isNotFound(err)) void this.register().then(() => this.openWatch(next));
        else this.openWatch(next);
      }, next);
    };
    stream.on('error', (err: ServiceError) => reopen(err));
    stream.on('end', () => reopen());
  }

  /** Runs a reconcile now, or once more after the one in progress. */
  private kick(): void {
    if (this.reconciling) {
      this.dirty = true;
      return;
    }
    this.reconciling = this.reconcile()
      .catch((err: unknown) => this.options.logger.error({ err: (err as Error).message }, 'reconcile failed'))
      .finally(() => {
        this.reconciling = undefined;
        if (this.dirty && !this.closed) {
          this.dirty = false;
          this.kick();
        }
      });
  }

  private async reconcile(): Promise<void> {
    const desired = groupAssignments(this.desired ?? []);
    // Load or reload what is wanted first, so a roll never leaves a model without a ready version.
    for (const model of desired.values()) {
      if (this.closed) return;
      await this.apply(model);
    }
    for (const servedName of [...this.applied.keys()]) {
      if (desired.has(servedName) || this.closed) continue;
      await this.options.node.unload(servedName).catch(() => undefined);
      await fs.rm(path.join(this.options.repositoryRoot, servedName), { recursive: true, force: true });
      this.applied.delete(servedName);
      for (const key of [...this.status.keys()]) if (key.startsWith(`${servedName}:`)) this.status.delete(key);
    }
    await this.report();
  }

  private async apply(model: DesiredModel): Promise<void> {
    const fingerprint = JSON.stringify(model);
    if (this.applied.get(model.servedName) === fingerprint) return;
    const dir = path.join(this.options.repositoryRoot, model.servedName);
    const setStatus = (version: number, state: ReplicaState, reason = ''): void => {
      this.status.set(`${model.servedName}:${version}`, { served_name: model.servedName, version, state, reason });
    };
    try {
      for (const v of model.versions) {
        const current = this.status.get(`${model.servedName}:${v.version}`)?.state;
        if (current !== 'REPLICA_STATE_READY') setStatus(v.version, 'REPLICA_STATE_LOADING');
        const artifact = await this.cache.ensure(v.sha256, v.sizeBytes, () => this.download(model, v.version));
        const versionDir = path.join(dir, String(v.version));
        await fs.mkdir(versionDir, { recursive: true });
        const target = path.join(versionDir, 'model.onnx');
        await fs.rm(target, { force: true });
        // A hard link shares the cached bytes; across file systems fall back to a copy.
        await fs.link(artifact, target).catch(() => fs.copyFile(artifact, target));
      }
      await fs.writeFile(path.join(dir, 'config.json'), model.configJson);
      await this.report();
      await this.options.node.load(model.servedName);
      for (const v of model.versions) setStatus(v.version, 'REPLICA_STATE_READY');
      this.applied.set(model.servedName, fingerprint);
      // Version folders the policy no longer serves (the previous side of a roll).
      const keep = new Set(model.versions.map((v) => String(v.version)));
      for (const entry of await fs.readdir(dir)) {
        if (/^\d+$/.test(entry) && !keep.has(entry)) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
      }
    } catch (err) {
      const reason = (err as Error).message;
      this.options.logger.error({ model: model.servedName, err: reason }, 'could not serve assigned model');
      for (const v of model.versions) setStatus(v.version, 'REPLICA_STATE_FAILED', reason);
    }
    await this.report();
  }

  private async *download(model: DesiredModel, version: number): AsyncIterable<Uint8Array> {
    const stream = this.registry.DownloadVersion({ model: model.model, version }, this.metadata(model.tenant));
    for await (const message of stream as AsyncIterable<DownloadVersionResponse__Output>) {
      if (message.chunk.length > 0) yield message.chunk;
    }
  }

  private report(): Promise<void> {
    if (!this.nodeId || this.closed) return Promise.resolve();
    const replicas = [...this.status.values()];
    return new Promise((resolve) =>
      this.nodes.ReportReplicaStatus({ node_id: this.nodeId!, replicas }, this.metadata(), (err) => {
        if (err) this.options.logger.warn({ err: err.message }, 'could not report replica status');
        resolve();
      }),
    );
  }

  /** Stops heartbeats and the watch (the registry marks the node down after its timeout). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.heartbeatTimer);
    this.watch?.cancel();
    await this.reconciling;
    this.nodes.close();
    this.registry.close();
  }
}

/** Assignments grouped by the model name the node serves them under. */
function groupAssignments(assignments: Assignment__Output[]): Map<string, DesiredModel> {
  const byName = new Map<string, DesiredModel>();
  for (const a of assignments) {
    let model = byName.get(a.served_name);
    if (!model) {
      model = { servedName: a.served_name, tenant: a.tenant, model: a.model, configJson: a.config_json, versions: [] };
      byName.set(a.served_name, model);
    }
    model.versions.push({ version: Number(a.version), sha256: a.sha256, sizeBytes: Number(a.size_bytes) });
  }
  for (const model of byName.values()) model.versions.sort((x, y) => x.version - y.version);
  return byName;
}
