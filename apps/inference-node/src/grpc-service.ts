import { setMaxListeners } from 'node:events';
import type { ServerDuplexStream, ServerUnaryCall } from '@grpc/grpc-js';
import { context } from '@opentelemetry/api';
import { NotFoundError, deadlineMs, toAppError, unaryHandler } from '@aiaas/common';
import type {
  GRPCInferenceServiceHandlers,
  ModelConfig,
  ModelInferRequest__Output,
  ModelStatistics,
  ModelStreamInferResponse,
  StatisticDuration,
} from '@aiaas/proto';
import { tritonConfigType } from './datatypes';
import type { InferenceNode } from './inference-node';
import { SERVER_EXTENSIONS, SERVER_NAME, SERVER_VERSION } from './inference-node';
import type { TensorSpec } from './model-config';
import type { ModelVersion } from './model-version';
import type { Duration } from './model-statistics';

/** Symbolic dimensions are -1 on the wire, as the protocol defines for variable-size dimensions. */
function wireShape(shape: readonly (number | string)[]): number[] {
  return shape.map((dim) => (typeof dim === 'number' ? dim : -1));
}

function toWireDuration(d: Duration): StatisticDuration {
  return { count: d.count, ns: d.ns };
}

/** The effective configuration in Triton's ModelConfig form. */
export function toModelConfig(version: ModelVersion): ModelConfig {
  const { config, signature } = version;
  const batched = config.maxBatchSize > 0;
  // With max_batch_size > 0 Triton's dims leave out the batch dimension.
  const dims = (spec: TensorSpec): number[] => wireShape(batched ? spec.shape.slice(1) : spec.shape);
  const policy = config.versionPolicy;
  return {
    name: config.name,
    platform: 'onnxruntime_onnx',
    backend: 'onnxruntime',
    max_batch_size: config.maxBatchSize,
    version_policy:
      policy.kind === 'latest'
        ? { latest: { num_versions: policy.numVersions } }
        : policy.kind === 'all'
          ? { all: {} }
          : { specific: { versions: policy.versions } },
    input: signature.inputs.map((spec) => ({ name: spec.name, data_type: tritonConfigType(spec.datatype) as never, dims: dims(spec) })),
    output: signature.outputs.map((spec) => ({ name: spec.name, data_type: tritonConfigType(spec.datatype) as never, dims: dims(spec) })),
    instance_group: [
      {
        name: `${config.name}_0`,
        kind: version.executionProvider === 'cuda' ? 'KIND_GPU' : 'KIND_CPU',
        count: config.instanceCount,
      },
    ],
    ...(config.dynamicBatching
      ? {
          dynamic_batching: {
            preferred_batch_size: config.dynamicBatching.preferredBatchSizes,
            max_queue_delay_microseconds: config.dynamicBatching.maxQueueDelayUs,
            default_queue_policy: { max_queue_size: config.maxQueueSize },
          },
        }
      : {}),
    parameters: {
      intra_op_thread_count: { string_value: String(config.intraOpThreads) },
      inter_op_thread_count: { string_value: String(config.interOpThreads) },
      allow_spinning: { string_value: config.allowSpinning ? '1' : '0' },
      execution_provider: { string_value: config.executionProvider },
      max_queue_size: { string_value: String(config.maxQueueSize) },
    },
  };
}

function toModelStatistics(version: ModelVersion): ModelStatistics {
  const s = version.statistics.stats;
  return {
    name: version.name,
    version: String(version.version),
    last_inference: s.lastInferenceMs,
    inference_count: s.inferenceCount,
    execution_count: s.executionCount,
    inference_stats: {
      success: toWireDuration(s.success),
      fail: toWireDuration(s.fail),
      queue: toWireDuration(s.queue),
      compute_input: toWireDuration(s.computeInput),
      compute_infer: toWireDuration(s.computeInfer),
      compute_output: toWireDuration(s.computeOutput),
      cache_hit: { count: 0, ns: 0 },
      cache_miss: { count: 0, ns: 0 },
    },
    batch_stats: [...s.batches.entries()]
      .sort(([a], [b]) => a - b)
      .map(([batchSize, b]) => ({
        batch_size: batchSize,
        compute_input: toWireDuration(b.computeInput),
        compute_infer: toWireDuration(b.computeInfer),
        compute_output: toWireDuration(b.computeOutput),
      })),
  };
}

/**
 * Runs `work` with a signal that aborts if the call is cancelled (client gone, deadline passed)
 * meanwhile, so a request still queued is dropped. The listener is removed as soon as the work
 * settles: grpc-js also emits 'cancelled' after every finished call.
 */
async function withCancellation<T>(
  call: ServerUnaryCall<unknown, unknown>,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const onCancelled = (): void => controller.abort();
  call.once('cancelled', onCancelled);
  try {
    return await work(controller.signal);
  } finally {
    call.off('cancelled', onCancelled);
  }
}

/** The GRPCInferenceService handlers: translation between the wire and {@link InferenceNode}. */
export function createInferenceHandlers(node: InferenceNode): GRPCInferenceServiceHandlers {
  return {
    ServerLive: unaryHandler(async () => ({ live: node.live })),
    ServerReady: unaryHandler(async () => ({ ready: node.ready })),
    ModelReady: unaryHandler(async (request) => ({ ready: node.isModelReady(request.name, request.version) })),
    ServerMetadata: unaryHandler(async () => ({ name: SERVER_NAME, version: SERVER_VERSION, extensions: SERVER_EXTENSIONS })),

    ModelMetadata: unaryHandler(async (request) => {
      const version = node.resolveVersion(request.name, request.version);
      const tensor = (spec: TensorSpec) => ({ name: spec.name, datatype: spec.datatype, shape: wireShape(spec.shape) });
      return {
        name: version.name,
        versions: node.servedVersions(version.name).map(String),
        platform: 'onnxruntime_onnx',
        inputs: version.signature.inputs.map(tensor),
        outputs: version.signature.outputs.map(tensor),
      };
    }),

    ModelInfer: unaryHandler((request, call) =>
      withCancellation(call, (signal) => node.infer(request, { deadlineMs: deadlineMs(call), signal })),
    ),

    ModelStreamInfer: (call: ServerDuplexStream<ModelInferRequest__Output, ModelStreamInferResponse>) => {
      const pending = new Set<Promise<void>>();
      // One signal for the whole stream; each in-flight request listens on it.
      const cancelled = new AbortController();
      setMaxListeners(Infinity, cancelled.signal);
      call.once('cancelled', () => cancelled.abort());
      // The node's context does not follow events (explicit propagation, see @aiaas/telemetry), and a
      // message the stream buffered is emitted after the interceptor's context has ended: each
      // request runs in the stream's (server span's) context, bound here.
      const streamContext = context.active();
      const onRequest = (request: ModelInferRequest__Output): void => {
        // Errors are answered in-stream (error_message), as Triton does, and the stream goes on.
        const work = node
          .infer(request, { deadlineMs: deadlineMs(call), signal: cancelled.signal })
          .then(
            (response) => ({ error_message: '', infer_response: response }),
            (err: unknown) => ({ error_message: toAppError(err).message, infer_response: { id: request.id, model_name: request.model_name } }),
          )
          .then((message) => {
            if (!cancelled.signal.aborted) call.write(message);
          });
        pending.add(work);
        void work.finally(() => pending.delete(work));
      };
      call.on('data', context.bind(streamContext, onRequest));
      call.on('end', () => {
        void Promise.allSettled([...pending]).then(() => call.end());
      });
    },

    ModelConfig: unaryHandler(async (request) => ({ config: toModelConfig(node.resolveVersion(request.name, request.version)) })),

    ModelStatistics: unaryHandler(async (request) => {
      const versions = node.versions(request.name || undefined, request.version || undefined);
      if (request.name && versions.length === 0) throw new NotFoundError(`model "${request.name}" has no served version`);
      return { model_stats: versions.map(toModelStatistics) };
    }),

    RepositoryIndex: unaryHandler(async (request) => ({ models: await node.repositoryIndex(request.ready) })),

    RepositoryModelLoad: unaryHandler(async (request) => {
      const override = request.parameters['config'];
      const configText = override?.parameter_choice === 'string_param' ? override.string_param : undefined;
      await node.load(request.model_name, configText);
      return {};
    }),

    RepositoryModelUnload: unaryHandler(async (request) => {
      await node.unload(request.model_name);
      return {};
    }),
  };
}
