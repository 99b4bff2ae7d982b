import { UnavailableError } from '@aiaas/common';
import { BatchScheduler } from './batch-scheduler';
import type { BatchReport, QueuedRequest, RequestResult } from './batch-scheduler';
import { byteWidth, datatypeOfOrtType, elementCount, ortTypeOf } from './datatypes';
import { resolveModelConfig, warmupBatchSizes } from './model-config';
import type { EffectiveModelConfig, ModelSignature, TensorSpec, TritonConfig } from './model-config';
import { ModelStatistics } from './model-statistics';
import { SessionInstance } from './session-instance';
import { bytesToTypedArray } from './tensor-codec';
import type { WorkerTensor, WorkerTensorMetadata } from './worker-protocol';

export type VersionState = 'LOADING' | 'READY' | 'UNLOADING' | 'UNAVAILABLE';

function toSpecs(modelPath: string, values: WorkerTensorMetadata[]): TensorSpec[] {
  return values.map((value) => {
    const datatype = datatypeOfOrtType(value.type);
    if (!datatype) {
      throw new UnavailableError(`${modelPath}: tensor "${value.name}" has type ${value.type}, which the protocol cannot carry`);
    }
    // onnxruntime reports an unnamed dynamic dimension as -1 or an empty name.
    const shape = value.shape.map((dim) => (typeof dim === 'number' && dim < 0 ? '?' : dim === '' ? '?' : dim));
    return { name: value.name, datatype, shape };
  });
}

/** Zero-filled inputs for one warm-up run at `batch` rows; symbolic dimensions other than the batch are 1. */
function zeroFeeds(inputs: TensorSpec[], batch: number, batched: boolean): WorkerTensor[] {
  return inputs.map((spec) => {
    const dims = spec.shape.map((dim, i) => (batched && i === 0 ? batch : typeof dim === 'number' ? dim : 1));
    const count = elementCount(dims);
    const ort = ortTypeOf(spec.datatype);
    const bytes = byteWidth(spec.datatype);
    const data =
      spec.datatype === 'BYTES'
        ? new Array<string>(count).fill('')
        : bytesToTypedArray(spec.datatype, new ArrayBuffer(count * bytes), 0, count * bytes);
    return { name: spec.name, type: ort, dims, data };
  });
}

/** Observers of a version's executions: statistics and metrics. */
export interface VersionObserver {
  onBatch(report: BatchReport): void;
}

/**
 * One loaded version of a model: its instances (worker threads), scheduler and statistics.
 * It becomes READY only after every instance has run a warm-up batch of each configured size.
 */
export class ModelVersion {
  state: VersionState = 'LOADING';
  reason = '';
  config!: EffectiveModelConfig;
  signature!: ModelSignature;
  readonly statistics = new ModelStatistics();
  loadSeconds = 0;
  /** The provider the sessions actually run on (a CUDA request can fall back to CPU). */
  executionProvider: 'cpu' | 'cuda' = 'cpu';
  private instances: SessionInstance[] = [];
  private scheduler: BatchScheduler | undefined;

  constructor(
    readonly name: string,
    readonly version: number,
    readonly modelPath: string,
    private readonly tritonConfig: TritonConfig,
    /** Identifies the file and configuration it was loaded from; a reload keeps it if unchanged. */
    readonly sourceKey: string,
    private readonly observer: VersionObserver,
  ) {}

  async load(): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      const first = this.spawn({ intraOpThreads: 1, interOpThreads: 1, allowSpinning: false, executionProvider: 'cpu' });
      const metadata = await first.ready();
      this.signature = { inputs: toSpecs(this.modelPath, metadata.inputs), outputs: toSpecs(this.modelPath, metadata.outputs) };
      this.config = resolveModelConfig(this.name, this.tritonConfig, this.signature);
      // The probe session ran with default threads; start the configured instances, then drop it.
      await first.close();
      this.instances = [];
      for (let i = 0; i < this.config.instanceCount; i++) this.spawn(this.config);
      const sessions = await Promise.all(this.instances.map((instance) => instance.ready()));
      this.executionProvider = sessions[0]!.executionProvider;
      // Shown as the version's reason in RepositoryIndex, e.g. a fall-back from CUDA to CPU.
      this.reason = sessions.find((s) => s.warning)?.warning ?? '';
      await this.warmUp();
      this.scheduler = new BatchScheduler(
        {
          maxBatchSize: this.config.maxBatchSize,
          dynamicBatching: this.config.dynamicBatching,
          maxQueueSize: this.config.maxQueueSize,
          outputs: this.signature.outputs,
        },
        this.instances,
        (report) => {
          this.statistics.recordBatch(report);
          this.observer.onBatch(report);
        },
      );
      this.loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.state = 'READY';
    } catch (err) {
      this.state = 'UNAVAILABLE';
      this.reason = (err as Error).message;
      await Promise.all(this.instances.map((i) => i.close()));
      this.instances = [];
      throw err;
    }
  }

  private spawn(settings: Omit<SessionInstanceSettings, 'modelPath'>): SessionInstance {
    const instance = new SessionInstance({ modelPath: this.modelPath, ...settings });
    this.instances.push(instance);
    return instance;
  }

  private async warmUp(): Promise<void> {
    const batched = this.config.maxBatchSize > 0;
    const fetches = this.signature.outputs.map((o) => o.name);
    for (const batch of warmupBatchSizes(this.config)) {
      await Promise.all(this.instances.map((instance) => instance.run(zeroFeeds(this.signature.inputs, batch, batched), fetches)));
    }
  }

  get queueDepth(): number {
    return this.scheduler?.queueDepth ?? 0;
  }

  submit(request: QueuedRequest): Promise<RequestResult> {
    if (this.state !== 'READY' || !this.scheduler) {
      return Promise.reject(new UnavailableError(`model "${this.name}" version ${this.version} is not ready (${this.state})`));
    }
    return this.scheduler.submit(request);
  }

  cancel(request: QueuedRequest): boolean {
    return this.scheduler?.cancel(request) ?? false;
  }

  /** Stops taking requests, lets queued and running ones finish, then ends the instances. */
  async unload(): Promise<void> {
    if (this.state === 'UNAVAILABLE') return;
    this.state = 'UNLOADING';
    await this.scheduler?.drain();
    await Promise.all(this.instances.map((instance) => instance.close()));
    this.instances = [];
    this.state = 'UNAVAILABLE';
    this.reason = 'unloaded';
  }
}

type SessionInstanceSettings = ConstructorParameters<typeof SessionInstance>[0];
