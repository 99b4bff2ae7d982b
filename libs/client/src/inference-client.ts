import { Metadata, credentials as grpcCredentials, status as GrpcStatus } from '@grpc/grpc-js';
import type { CallOptions as GrpcCallOptions, ServiceError } from '@grpc/grpc-js';
import { loadInferencePackage } from '@aiaas/proto';
import type {
  GRPCInferenceServiceClient,
  InferParameter,
  InferParameter__Output,
  ModelInferRequest,
  ModelInferResponse__Output,
  ModelMetadataResponse__Output,
  ModelStatisticsResponse__Output,
  StatisticDuration__Output,
} from '@aiaas/proto';
import type { Credentials } from './auth';
import { AiaasError, fromGrpcError, invalidArgument, isAiaasError } from './errors';
import { parseModelRef } from './model-ref';
import { cancelled, isAborted, withRetries } from './retry';
import { decodeOutputs, encodeInput, inputList } from './tensors';
import type {
  CallOptions,
  InferInputs,
  InferOptions,
  InferParameterValue,
  InferResult,
  ModelMetadata,
  ModelRef,
  ModelStatistics,
  StatisticDuration,
  OutputTensor,
  RetryableCallOptions,
} from './types';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/** Settings the {@link InferenceClient} gets from its {@link AiaasClient}. */
export interface InferenceClientSettings {
  /** Resolves the gRPC front door's `host:port` (given, or discovered with GET /v1/info). */
  address: () => Promise<string>;
  credentials: Credentials;
  tls: boolean;
  deadlineMs: number;
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  keepAliveMs: number;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: GrpcCallOptions,
  callback: (err: ServiceError | null, response?: Res) => void,
) => unknown;

/**
 * KServe V2 inference over gRPC to the gateway's front door, on one long-lived channel with
 * keep-alive pings. Every call carries `authorization: Bearer …`, has a deadline, and is retried
 * with exponential back-off and jitter on UNAVAILABLE (a node restarting, the gateway between two
 * routes) within that deadline: inference has no side effects, so a second try is always safe.
 * An UNAUTHENTICATED answer to an OAuth2 token is retried once with a fresh token.
 */
export class InferenceClient {
  private channel: Promise<GRPCInferenceServiceClient> | undefined;
  private closed = false;

  /** @internal Built by {@link AiaasClient}. */
  constructor(private readonly settings: InferenceClientSettings) {}

  /**
   * Runs the model on `inputs` and returns its outputs as typed arrays with shapes.
   *
   * @param model - `"name"`, `"name@alias"`, `"name:version"` or `{ name, version | alias }`
   * @param inputs - a list of `{ name, datatype?, shape, data }`, or a record keyed by input name
   * @throws {@link AiaasError} INVALID_ARGUMENT for bad tensors (before sending), NOT_FOUND for an
   *   unknown model, DEADLINE_EXCEEDED, UNAVAILABLE after the retries, …
   */
  async infer(model: ModelRef, inputs: InferInputs, options: InferOptions = {}): Promise<InferResult> {
    const ref = parseModelRef(model);
    const encoded = inputList(inputs).map(encodeInput);
    if (encoded.length === 0) throw invalidArgument(`infer "${ref.modelName}": expected at least one input tensor`);
    const names = new Set<string>();
    for (const { tensor } of encoded) {
      if (names.has(tensor.name!)) throw invalidArgument(`input "${tensor.name}": given twice`);
      names.add(tensor.name!);
    }
    const request: ModelInferRequest = {
      model_name: ref.modelName,
      model_version: ref.version,
      inputs: encoded.map((e) => e.tensor),
      raw_input_contents: encoded.map((e) => e.raw),
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.outputs === undefined ? {} : { outputs: options.outputs.map((name) => ({ name })) }),
      ...(options.parameters === undefined ? {} : { parameters: encodeParameters(options.parameters) }),
    };
    const response = await this.call<ModelInferRequest, ModelInferResponse__Output>('ModelInfer', request, options);
    const outputList = decodeOutputs(response);
    const outputs: Record<string, OutputTensor> = {};
    for (const output of outputList) outputs[output.name] = output;
    return {
      modelName: response.model_name,
      modelVersion: response.model_version,
      id: response.id,
      outputs,
      outputList,
      parameters: decodeParameters(response.parameters),
    };
  }

  /** Whether the model (version or alias) has a ready replica behind the gateway. */
  async modelReady(model: ModelRef, options: RetryableCallOptions = {}): Promise<boolean> {
    const ref = parseModelRef(model);
    const response = await this.call<{ name: string; version: string }, { ready: boolean }>(
      'ModelReady',
      { name: ref.modelName, version: ref.version },
      options,
    );
    return response.ready;
  }

  /** The model's inputs and outputs (names, datatypes, shapes with -1 for variable dimensions) and versions. */
  async modelMetadata(model: ModelRef, options: RetryableCallOptions = {}): Promise<ModelMetadata> {
    const ref = parseModelRef(model);
    const response = await this.call<{ name: string; version: string }, ModelMetadataResponse__Output>(
      'ModelMetadata',
      { name: ref.modelName, version: ref.version },
      options,
    );
    const tensors = (list: ModelMetadataResponse__Output['inputs']) =>
      list.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape.map(Number) }));
    return {
      name: response.name,
      versions: [...response.versions],
      platform: response.platform,
      inputs: tensors(response.inputs),
      outputs: tensors(response.outputs),
    };
  }

  /**
   * The model version's cumulative server-side statistics (requests, queue and compute times,
   * per batch size), summed over every ready replica. Take two and subtract for a window, as
   * perf_analyzer does. `name@alias` reads the alias's version (a canary's share is not in it).
   *
   * @throws {@link AiaasError} NOT_FOUND for a model not routed (or another tenant's),
   *   UNAVAILABLE when no replica answered
   */
  async modelStatistics(model: ModelRef, options: RetryableCallOptions = {}): Promise<ModelStatistics> {
    const ref = parseModelRef(model);
    const response = await this.call<{ name: string; version: string }, ModelStatisticsResponse__Output>(
      'ModelStatistics',
      { name: ref.modelName, version: ref.version },
      options,
    );
    const stats = response.model_stats[0];
    if (stats === undefined) {
      throw new AiaasError('INTERNAL', `ModelStatistics of "${ref.modelName}": the gateway answered no statistics`);
    }
    const s = stats.inference_stats;
    return {
      name: stats.name,
      version: stats.version,
      lastInference: Number(stats.last_inference),
      inferenceCount: Number(stats.inference_count),
      executionCount: Number(stats.execution_count),
      inferenceStats: {
        success: toDuration(s?.success),
        fail: toDuration(s?.fail),
        queue: toDuration(s?.queue),
        computeInput: toDuration(s?.compute_input),
        computeInfer: toDuration(s?.compute_infer),
        computeOutput: toDuration(s?.compute_output),
      },
      batchStats: stats.batch_stats.map((b) => ({
        batchSize: Number(b.batch_size),
        computeInput: toDuration(b.compute_input),
        computeInfer: toDuration(b.compute_infer),
        computeOutput: toDuration(b.compute_output),
      })),
    };
  }

  /** Whether the gateway has routes from the registry and serves (no credentials needed). */
  async serverReady(options: RetryableCallOptions = {}): Promise<boolean> {
    const response = await this.call<Record<string, never>, { ready: boolean }>('ServerReady', {}, options, false);
    return response.ready;
  }

  /** Whether the gateway's gRPC front door answers at all. */
  async serverLive(options: RetryableCallOptions = {}): Promise<boolean> {
    const response = await this.call<Record<string, never>, { live: boolean }>('ServerLive', {}, options, false);
    return response.live;
  }

  /** Closes the channel; later calls fail with CANCELLED. */
  close(): void {
    this.closed = true;
    const channel = this.channel;
    this.channel = undefined;
    void channel?.then((client) => client.close()).catch(() => undefined);
  }

  private client(): Promise<GRPCInferenceServiceClient> {
    if (this.channel === undefined) {
      const { settings } = this;
      const pending = settings.address().then((address) => {
        const Service = loadInferencePackage().inference.GRPCInferenceService;
        return new Service(address, settings.tls ? grpcCredentials.createSsl() : grpcCredentials.createInsecure(), {
          // Pings while idle too, so a connection a NAT or proxy dropped is noticed before the next call.
          'grpc.keepalive_time_ms': settings.keepAliveMs,
          'grpc.keepalive_timeout_ms': 10_000,
          'grpc.keepalive_permit_without_calls': 1,
          // Tensors can be large; the gateway enforces its own limits.
          'grpc.max_receive_message_length': -1,
          'grpc.max_send_message_length': -1,
          // grpc-js retries transparently only what never left; our own retries cover the rest.
          'grpc.enable_retries': 1,
          // Reconnect quickly after a gateway restart (the default backs off up to 120 s).
          'grpc.initial_reconnect_backoff_ms': 100,
          'grpc.max_reconnect_backoff_ms': 2_000,
          // Traced only where this process started @aiaas/telemetry (the aiaas CLI with OTEL_* set).
          interceptors: clientTracingInterceptors(address),
        });
      });
      // A failed discovery is not cached: the next call tries again.
      pending.catch(() => {
        if (this.channel === pending) this.channel = undefined;
      });
      this.channel = pending;
    }
    return this.channel;
  }

  private async call<Req, Res>(
    method: 'ModelInfer' | 'ModelReady' | 'ModelMetadata' | 'ModelStatistics' | 'ServerReady' | 'ServerLive',
    request: Req,
    options: CallOptions & { retries?: number },
    auth = true,
  ): Promise<Res> {
    if (this.closed) throw new AiaasError('CANCELLED', 'the client was closed');
    const { settings } = this;
    const deadline = Date.now() + (options.deadlineMs ?? settings.deadlineMs);
    const { signal } = options;
    let refreshedAuth = false;
    return withRetries(
      {
        retries: options.retries ?? settings.retries,
        baseDelayMs: settings.retryBaseDelayMs,
        maxDelayMs: settings.retryMaxDelayMs,
        deadline,
        signal,
      },
      (err) => {
        if (!isAiaasError(err)) return false;
        if (err.code === 'UNAVAILABLE') return true;
        // A refused token (expired, keys rotated): one more try with a fresh one.
        if (err.code === 'UNAUTHENTICATED' && !refreshedAuth && usedAuthorization.has(err)) {
          refreshedAuth = true;
          return settings.credentials.rejected(usedAuthorization.get(err)!);
        }
        return false;
      },
      async () => {
        if (signal?.aborted === true) throw cancelled(signal);
        const client = await this.client();
        const metadata = new Metadata();
        const authorization = auth ? await settings.credentials.authorization(signal) : undefined;
        if (authorization !== undefined) metadata.set('authorization', authorization);
        if (Date.now() >= deadline) throw new AiaasError('DEADLINE_EXCEEDED', `${method}: deadline exceeded`);
        try {
          return await new Promise<Res>((resolve, reject) => {
            const fn = (client as unknown as Record<string, Unary<Req, Res>>)[method]!.bind(client);
            const onAbort = () => call.cancel();
            const call = fn(request, metadata, { deadline }, (err, response) => {
              signal?.removeEventListener('abort', onAbort);
              if (err) reject(err);
              else resolve(response as Res);
            }) as { cancel(): void };
            signal?.addEventListener('abort', onAbort, { once: true });
          });
        } catch (err) {
          const mapped =
            signal !== undefined && isAborted(signal) && (err as ServiceError).code === GrpcStatus.CANCELLED
              ? cancelled(signal)
              : fromGrpcError(err as ServiceError);
          if (authorization !== undefined) usedAuthorization.set(mapped, authorization);
          throw mapped;
        }
      },
    );
  }
}

// Which authorization a refused call carried, so only that token is dropped.
const usedAuthorization = new WeakMap<AiaasError, string>();

function toDuration(d: StatisticDuration__Output | null | undefined): StatisticDuration {
  return { count: Number(d?.count ?? 0), ns: Number(d?.ns ?? 0) };
}

function encodeParameters(parameters: Readonly<Record<string, InferParameterValue>>): Record<string, InferParameter> {
  const out: Record<string, InferParameter> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (typeof value === 'boolean') out[key] = { bool_param: value };
    else if (typeof value === 'string') out[key] = { string_param: value };
    else if (typeof value === 'bigint') out[key] = { int64_param: value.toString() };
    // Beyond 2^53 a number is no longer exact: it goes as a double, as the V2 REST side reads it.
    else if (Number.isSafeInteger(value)) out[key] = { int64_param: value };
    else if (typeof value === 'number') out[key] = { double_param: value };
    else throw invalidArgument(`parameter "${key}": expected a string, number, bigint or boolean`);
  }
  return out;
}

function decodeParameters(parameters: Record<string, InferParameter__Output>): Record<string, InferParameterValue> {
  const out: Record<string, InferParameterValue> = {};
  for (const [key, p] of Object.entries(parameters)) {
    switch (p.parameter_choice) {
      case 'bool_param':
        out[key] = p.bool_param ?? false;
        break;
      case 'int64_param': {
        const n = Number(p.int64_param ?? 0);
        out[key] = Number.isSafeInteger(n) ? n : BigInt(p.int64_param ?? 0);
        break;
      }
      case 'string_param':
        out[key] = p.string_param ?? '';
        break;
      case 'double_param':
        out[key] = p.double_param ?? 0;
        break;
      case 'uint64_param': {
        const n = Number(p.uint64_param ?? 0);
        out[key] = Number.isSafeInteger(n) ? n : BigInt(p.uint64_param ?? 0);
        break;
      }
      default:
        break;
    }
  }
  return out;
}
