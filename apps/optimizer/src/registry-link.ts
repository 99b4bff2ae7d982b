import { credentials } from '@grpc/grpc-js';
import type { ClientWritableStream, Metadata, ServiceError } from '@grpc/grpc-js';
import { callerMetadata } from '@aiaas/common';
import type { Caller } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import type {
  DownloadVersionResponse__Output,
  GetJobDatasetResponse__Output,
  JobsClient,
  ModelRegistryClient,
  Pass,
  ReportJobEventRequest,
  UploadVersionRequest,
  UploadVersionResponse__Output,
} from '@aiaas/proto';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/** What a worker needs from the registry: a narrow seam, so the job runner is tested against a real or fake one. */
export interface RegistryLink {
  download(caller: Caller, model: string, version: number): Promise<Uint8Array>;
  upload(
    caller: Caller,
    request: {
      model: string;
      parentVersion: number;
      jobId: string;
      passes: Pass[];
      metricsJson: string;
      bytes: Uint8Array;
    },
  ): Promise<number>;
  setAlias(caller: Caller, model: string, alias: string, version: number): Promise<void>;
  /** Reports an event; resolves true when the job was cancelled (stop, register nothing). */
  report(event: ReportJobEventRequest): Promise<boolean>;
  /** The job's uploaded validation dataset (Jobs.GetJobDataset). */
  dataset(jobId: string): Promise<{ format: string; sha256: string; content: Uint8Array }>;
  close(): void;
}

/** Per call: the registry answers well within this; a hung call is retried by the job's back-off. */
const CALL_TIMEOUT_MS = 60_000;
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

/** {@link RegistryLink} over gRPC, acting for each job's tenant with the internal token. */
export class GrpcRegistryLink implements RegistryLink {
  readonly #registry: ModelRegistryClient;
  readonly #jobs: JobsClient;
  readonly #internalToken: string | undefined;
  /**
   * W3C trace headers (`traceparent`, `tracestate`) sent with every call, so the registry's spans
   * join the job's trace where this process has no OpenTelemetry SDK (the sandbox). Set per job.
   */
  traceHeaders: Record<string, string> = {};

  constructor(address: string, internalToken?: string) {
    const { ModelRegistry, Jobs } = loadRegistryPackage().aiaas.registry.v1;
    const options = { 'grpc-node.flow_control_window': 16 * 1024 * 1024, interceptors: clientTracingInterceptors(address) };
    this.#registry = new ModelRegistry(address, credentials.createInsecure(), options);
    this.#jobs = new Jobs(address, credentials.createInsecure(), options);
    this.#internalToken = internalToken;
  }

  #metadata(caller: Caller | undefined): Metadata {
    const metadata = callerMetadata(caller, this.#internalToken);
    for (const [key, value] of Object.entries(this.traceHeaders)) metadata.set(key, value);
    return metadata;
  }

  async dataset(jobId: string): Promise<{ format: string; sha256: string; content: Uint8Array }> {
    const call = this.#jobs.GetJobDataset({ job_id: jobId }, this.#metadata(undefined), {
      deadline: Date.now() + CALL_TIMEOUT_MS,
    });
    const parts: Buffer[] = [];
    let format = '';
    let sha256 = '';
    for await (const message of call as AsyncIterable<GetJobDatasetResponse__Output>) {
      if (message.format !== '') format = message.format;
      if (message.sha256 !== '') sha256 = message.sha256;
      parts.push(message.chunk);
    }
    return { format, sha256, content: Buffer.concat(parts) };
  }

  async download(caller: Caller, model: string, version: number): Promise<Uint8Array> {
    const call = this.#registry.DownloadVersion({ model, version }, this.#metadata(caller), {
      deadline: Date.now() + CALL_TIMEOUT_MS,
    });
    const parts: Buffer[] = [];
    for await (const message of call as AsyncIterable<DownloadVersionResponse__Output>) parts.push(message.chunk);
    return Buffer.concat(parts);
  }

  async upload(
    caller: Caller,
    request: {
      model: string;
      parentVersion: number;
      jobId: string;
      passes: Pass[];
      metricsJson: string;
      bytes: Uint8Array;
    },
  ): Promise<number> {
    let call!: ClientWritableStream<UploadVersionRequest>;
    const answer = new Promise<UploadVersionResponse__Output>((resolve, reject) => {
      call = this.#registry.UploadVersion(
        this.#metadata(caller),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        (err: ServiceError | null, response?: UploadVersionResponse__Output) =>
          err ? reject(err) : resolve(response as UploadVersionResponse__Output),
      );
    });
    call.write({
      header: {
        model: request.model,
        parent_version: request.parentVersion,
        job_id: request.jobId,
        passes: request.passes,
        metrics_json: request.metricsJson,
        expected_size_bytes: request.bytes.byteLength,
      },
    });
    const bytes = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
    for (let at = 0; at < bytes.byteLength; at += UPLOAD_CHUNK_BYTES) {
      if (!call.write({ chunk: bytes.subarray(at, at + UPLOAD_CHUNK_BYTES) })) {
        await new Promise<void>((resolve) => {
          call.once('drain', resolve);
          call.once('close', resolve);
        });
      }
    }
    call.end();
    const response = await answer;
    return Number(response.version?.version ?? 0);
  }

  setAlias(caller: Caller, model: string, alias: string, version: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#registry.SetAlias(
        { model, alias, version },
        this.#metadata(caller),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        (err: ServiceError | null) => (err ? reject(err) : resolve()),
      );
    });
  }

  report(event: ReportJobEventRequest): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#jobs.ReportJobEvent(
        event,
        this.#metadata(undefined),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        (err: ServiceError | null, response?: { cancelled: boolean }) =>
          err ? reject(err) : resolve(response?.cancelled ?? false),
      );
    });
  }

  close(): void {
    this.#registry.close();
    this.#jobs.close();
  }
}
