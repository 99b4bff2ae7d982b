import fs from 'node:fs/promises';
import { trace } from '@opentelemetry/api';
import { InvalidArgumentError, NotFoundError, UnavailableError, toAppError } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import type { ModelInferRequest__Output, ModelInferResponse } from '@aiaas/proto';
import { shapeKeyOf } from './batch-scheduler';
import type { QueuedRequest } from './batch-scheduler';
import type { ModelRepository } from './model-repository';
import { parseTritonConfig, resolveVersionPolicy, selectVersions } from './model-config';
import type { TritonConfig } from './model-config';
import { ModelVersion } from './model-version';
import type { NodeMetrics } from './node-metrics';
import { decodeInputs, encodeBytesElements } from './tensor-codec';

/** A model's entry in the repository index, as Triton's RepositoryIndex reports it. */
export interface IndexEntry {
  name: string;
  version: string;
  state: string;
  reason: string;
}

interface ModelEntry {
  name: string;
  /** Served versions, by number. Replaced as a whole on reload so requests never see a mix. */
  versions: Map<number, ModelVersion>;
  /** Set when the last load of this model failed and nothing of it is being served. */
  failure: string | undefined;
  state: 'LOADING' | 'READY' | 'UNLOADING' | 'UNAVAILABLE';
  /** Serializes load and unload of this model. */
  lock: Promise<void>;
}

export interface InferenceNodeOptions {
  repository: ModelRepository;
  metrics: NodeMetrics;
  logger: Logger;
}

export interface InferOptions {
  /** Epoch ms; Infinity for none. */
  deadlineMs: number;
  /** Aborted when the caller goes away: a request still queued is then dropped. */
  signal?: AbortSignal;
}

export const SERVER_NAME = 'aiaas-inference-node';
export const SERVER_VERSION = '0.1.0';
/** Protocol extensions this node implements, as ServerMetadata lists them. */
export const SERVER_EXTENSIONS = ['model_repository', 'statistics', 'model_configuration'];

/**
 * The inference node's core, free of sockets: loads models from a repository into worker-thread
 * sessions and answers the Open Inference Protocol's calls. The gRPC layer only translates.
 */
export class InferenceNode {
  private readonly models = new Map<string, ModelEntry>();
  private readonly repository: ModelRepository;
  private readonly metrics: NodeMetrics;
  private readonly logger: Logger;
  private startupDone = false;
  private closing = false;

  constructor(options: InferenceNodeOptions) {
    this.repository = options.repository;
    this.metrics = options.metrics;
    this.logger = options.logger;
  }

  /** Loads every model in the repository. A model that fails is reported and the rest still load. */
  async loadAll(): Promise<void> {
    const names = await this.repository.listModelNames();
    await Promise.all(
      names.map((name) =>
        this.load(name).catch((err: unknown) => {
          this.logger.error({ model: name, err: (err as Error).message }, 'model failed to load');
        }),
      ),
    );
    this.startupDone = true;
  }

  get live(): boolean {
    return !this.closing;
  }

  /** Ready once start-up loading has finished, until shutdown begins. */
  get ready(): boolean {
    return this.startupDone && !this.closing;
  }

  /**
   * Loads (or reloads) a model from the repository. A reload loads and warms the new versions
   * before swapping them in; if it fails the versions already served stay (as Triton does).
   */
  load(name: string, configOverride?: string): Promise<void> {
    return this.withLock(name, async (entry) => {
      const files = await this.repository.readModel(name);
      const configText = configOverride ?? files.configText;
      let config: TritonConfig;
      try {
        config = parseTritonConfig(configText, configOverride !== undefined ? `config override for "${name}"` : `${name}/config.json`);
      } catch (err) {
        if (entry.versions.size === 0) entry.failure = (err as Error).message;
        throw err;
      }
      const wanted = selectVersions(resolveVersionPolicy(config), files.versions.map((v) => v.version));
      if (wanted.length === 0) {
        const err = new InvalidArgumentError(`model "${name}": no version directory with a model.onnx matches the version policy`);
        if (entry.versions.size === 0) entry.failure = err.message;
        throw err;
      }
      if (entry.versions.size === 0) entry.state = 'LOADING';
      // A version whose file and configuration are unchanged keeps its warm sessions (as Triton
      // reloads only what changed); the others are loaded fresh next to the ones serving now.
      const sources = new Map(
        await Promise.all(
          wanted.map(async (version) => {
            const modelPath = files.versions.find((v) => v.version === version)!.modelPath;
            const stat = await fs.stat(modelPath);
            return [
              version,
              { modelPath, bytes: stat.size, key: `${modelPath}|${stat.size}|${stat.mtimeMs}|${configText ?? ''}` },
            ] as const;
          }),
        ),
      );
      const kept = new Map(
        [...entry.versions].filter(([version, v]) => v.state === 'READY' && sources.get(version)?.key === v.sourceKey),
      );
      const fresh = wanted
        .filter((version) => !kept.has(version))
        .map((version) => {
          const source = sources.get(version)!;
          return new ModelVersion(name, version, source.modelPath, config, source.key, {
            onBatch: (report) => {
              const labels = { model: name, version: String(version) };
              this.metrics.batchSize.observe(labels, report.batchSize);
              const computeNs = report.computeInputNs + report.computeInferNs + report.computeOutputNs;
              this.metrics.computeDuration.observe(labels, computeNs / 1e9);
            },
          });
        });
      const results = await Promise.allSettled(fresh.map((v) => v.load()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        await Promise.all(fresh.map((v) => v.unload()));
        if (entry.versions.size === 0) {
          entry.state = 'UNAVAILABLE';
          entry.failure = (failed.reason as Error).message;
        }
        throw failed.reason;
      }
      const loaded = [...kept.values(), ...fresh];
      const previous = entry.versions;
      entry.versions = new Map(loaded.map((v) => [v.version, v]));
      entry.state = 'READY';
      entry.failure = undefined;
      for (const v of fresh) {
        this.metrics.modelReady.set({ model: name, version: String(v.version) }, 1);
        this.metrics.modelLoadDuration.set({ model: name, version: String(v.version) }, v.loadSeconds);
        const bytes = sources.get(v.version)!.bytes * v.config.instanceCount;
        this.metrics.modelMemory.set({ model: name, version: String(v.version) }, bytes);
      }
      for (const v of fresh) if (v.reason) this.logger.warn({ model: name, version: v.version, reason: v.reason }, 'model degraded');
      this.logger.info({ model: name, versions: wanted }, 'model ready');
      // Requests already queued on the old versions finish there; new ones go to the new ones.
      const retired = [...previous.values()].filter((v) => entry.versions.get(v.version) !== v);
      await Promise.all(retired.map((v) => this.retire(v, entry)));
    });
  }

  /** Unloads every version of a model, after its queued and running requests finish. */
  unload(name: string): Promise<void> {
    return this.withLock(name, async (entry) => {
      if (entry.versions.size === 0 && entry.state !== 'READY') {
        throw new NotFoundError(`model "${name}" is not loaded`);
      }
      entry.state = 'UNLOADING';
      const versions = [...entry.versions.values()];
      await Promise.all(versions.map((v) => this.retire(v, entry)));
      entry.versions = new Map();
      entry.state = 'UNAVAILABLE';
      entry.failure = 'unloaded';
      this.logger.info({ model: name }, 'model unloaded');
    });
  }

  private async retire(version: ModelVersion, entry: ModelEntry): Promise<void> {
    await version.unload();
    if (!entry.versions.has(version.version) || entry.versions.get(version.version) === version) {
      this.metrics.modelReady.set({ model: entry.name, version: String(version.version) }, 0);
      this.metrics.modelMemory.remove({ model: entry.name, version: String(version.version) });
    }
  }

  private async withLock(name: string, action: (entry: ModelEntry) => Promise<void>): Promise<void> {
    let entry = this.models.get(name);
    if (!entry) {
      entry = { name, versions: new Map(), failure: undefined, state: 'UNAVAILABLE', lock: Promise.resolve() };
      this.models.set(name, entry);
    }
    const target = entry;
    const run = target.lock.then(() => action(target));
    target.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * The version a request addresses: an explicit number, or the newest served one when empty.
   * An unknown model or version is NOT_FOUND; a known one that is not serving is UNAVAILABLE.
   */
  resolveVersion(name: string, version: string): ModelVersion {
    const entry = this.models.get(name);
    if (!entry) throw new NotFoundError(`model "${name}" not found`);
    if (entry.versions.size === 0) {
      throw new UnavailableError(`model "${name}" is not ready: ${entry.failure ?? entry.state.toLowerCase()}`);
    }
    if (version === '') {
      return [...entry.versions.values()].reduce((a, b) => (b.version > a.version ? b : a));
    }
    if (!/^\d+$/.test(version)) {
      throw new InvalidArgumentError(`model "${name}": version must be a positive integer or empty, got "${version}"`);
    }
    const found = entry.versions.get(Number(version));
    if (!found) {
      const served = [...entry.versions.keys()].join(', ');
      throw new NotFoundError(`model "${name}" version ${version} not found (served versions: ${served})`);
    }
    return found;
  }

  isModelReady(name: string, version: string): boolean {
    try {
      return this.resolveVersion(name, version).state === 'READY';
    } catch {
      return false;
    }
  }

  /** Runs one inference request through its model's scheduler and builds the protocol response. */
  async infer(request: ModelInferRequest__Output, options: InferOptions): Promise<ModelInferResponse> {
    const started = process.hrtime.bigint();
    if (this.closing) throw new UnavailableError('node is shutting down; retry on another replica');
    const version = this.resolveVersion(request.model_name, request.model_version);
    const labels = { model: version.name, version: String(version.version) };
    // On the gRPC server span (when it is recorded), so traces can be searched by model.
    const serverSpan = trace.getActiveSpan();
    if (serverSpan?.isRecording()) {
      serverSpan.setAttributes({ 'inference.model': version.name, 'inference.model_version': labels.version });
    }
    try {
      const { config, signature } = version;
      const inputs = decodeInputs(request.inputs, request.raw_input_contents, signature.inputs, config.maxBatchSize);
      const fetches = this.requestedOutputs(request, version);
      const batched = config.maxBatchSize > 0;
      const queued: QueuedRequest = {
        inputs,
        rows: batched ? inputs[0]!.shape[0]! : 1,
        shapeKey: shapeKeyOf(inputs, batched),
        fetches,
        deadlineMs: options.deadlineMs,
      };
      const onAbort = (): void => void version.cancel(queued);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let result;
      try {
        result = await version.submit(queued);
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
      const totalNs = Number(process.hrtime.bigint() - started);
      version.statistics.recordSuccess(totalNs, result.queueNs, queued.rows);
      this.metrics.requests.inc({ ...labels, outcome: 'success' });
      this.metrics.requestDuration.observe(labels, totalNs / 1e9);
      this.metrics.queueDuration.observe(labels, result.queueNs / 1e9);
      const byName = new Map(result.outputs.map((o) => [o.name, o]));
      const outputs = fetches.map((name) => byName.get(name)!);
      return {
        model_name: version.name,
        model_version: String(version.version),
        id: request.id,
        outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape })),
        raw_output_contents: outputs.map((o) => o.bytes ?? encodeBytesElements(o.strings!)),
      };
    } catch (err) {
      version.statistics.recordFailure(Number(process.hrtime.bigint() - started));
      this.metrics.requests.inc({ ...labels, outcome: 'failure' });
      throw toAppError(err);
    }
  }

  private requestedOutputs(request: ModelInferRequest__Output, version: ModelVersion): string[] {
    const all = version.signature.outputs.map((o) => o.name);
    if (request.outputs.length === 0) return all;
    const names = request.outputs.map((o) => o.name);
    for (const name of names) {
      if (!all.includes(name)) {
        throw new InvalidArgumentError(`unknown output "${name}": the model's outputs are ${all.map((n) => `"${n}"`).join(', ')}`);
      }
    }
    return [...new Set(names)];
  }

  /** Served version numbers of a model, ascending. */
  servedVersions(name: string): number[] {
    const entry = this.models.get(name);
    return entry ? [...entry.versions.keys()].sort((a, b) => a - b) : [];
  }

  /** Every model in the repository with the state of each served version (Triton's RepositoryIndex). */
  async repositoryIndex(readyOnly: boolean): Promise<IndexEntry[]> {
    const names = new Set([...(await this.repository.listModelNames()), ...this.models.keys()]);
    const index: IndexEntry[] = [];
    for (const name of [...names].sort()) {
      const entry = this.models.get(name);
      if (!entry || entry.versions.size === 0) {
        if (readyOnly) continue;
        index.push({ name, version: '', state: entry?.state ?? 'UNAVAILABLE', reason: entry?.failure ?? 'not loaded' });
        continue;
      }
      for (const v of entry.versions.values()) {
        if (readyOnly && v.state !== 'READY') continue;
        index.push({ name, version: String(v.version), state: v.state, reason: v.reason });
      }
    }
    return index;
  }

  /** Every served version of every model (or of `name`), for statistics. */
  versions(name?: string, version?: string): ModelVersion[] {
    if (name) {
      if (version) return [this.resolveVersion(name, version)];
      const entry = this.models.get(name);
      if (!entry) throw new NotFoundError(`model "${name}" not found`);
      return [...entry.versions.values()];
    }
    return [...this.models.values()].flatMap((e) => [...e.versions.values()]);
  }

  /** Refreshes gauges that are read rather than counted (queue depth). */
  collectGauges(): void {
    for (const v of this.versions()) {
      this.metrics.queueDepth.set({ model: v.name, version: String(v.version) }, v.queueDepth);
    }
    this.metrics.modelsLoaded.set(this.versions().filter((v) => v.state === 'READY').length);
  }

  /** Stops taking requests, lets every queued and running one finish, then ends all sessions. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      [...this.models.values()].map((entry) => entry.lock.then(() => Promise.all([...entry.versions.values()].map((v) => v.unload())))),
    );
  }
}
