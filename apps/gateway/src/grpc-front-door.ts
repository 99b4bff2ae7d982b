import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { deadlineMs, toAppError, unaryHandler } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import type {
  ModelInferRequest__Output,
  ModelInferResponse__Output,
  ModelMetadataRequest__Output,
  ModelMetadataResponse__Output,
  ModelReadyRequest__Output,
  ModelReadyResponse,
  ModelStatisticsRequest__Output,
  ModelStatisticsResponse,
  ServerLiveResponse,
  ServerMetadataResponse,
  ServerReadyResponse,
} from '@aiaas/proto';
import { GATEWAY_SERVER_METADATA } from './gateway';
import type { Gateway } from './gateway';
import type { GatewayMetrics } from './gateway-metrics';
import { authorizationOf, logCall, runInRequest, startCallContext } from './request-context';

/** Health and discovery calls: no completion line (load balancers call them all the time). */
const PROBES = new Set(['ServerLive', 'ServerReady', 'ServerMetadata']);

/**
 * The `inference.GRPCInferenceService` front door: the same service a node serves, so Triton and
 * KServe clients point at the gateway unchanged. Credentials come in the `authorization`
 * metadata; `model_name` may be `name@alias`; the caller's deadline is passed on to the node.
 * ServerLive/ServerReady/ServerMetadata need no credentials (probes). ModelStatistics sums the
 * statistics of every ready replica of the version. Methods not listed here (streaming,
 * repository, config) answer UNIMPLEMENTED: grpc-js fills them in. Each call answers its request id
 * in `x-request-id` initial metadata, passes it to the node, and (probes aside) writes one `info` line.
 */
export function createFrontDoorHandlers(
  gateway: Gateway,
  metrics?: GatewayMetrics,
  logger?: Logger,
): UntypedServiceImplementation {
  const observed = <Req, Res>(
    method: string,
    handle: (request: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
  ) =>
    unaryHandler<Req, Res>(async (request, call) => {
      const started = process.hrtime.bigint();
      const context = startCallContext(call);
      let status = 'OK';
      try {
        return await runInRequest(context, () => handle(request, call));
      } catch (err) {
        status = GrpcStatus[toAppError(err).grpcStatus] ?? 'UNKNOWN';
        throw err;
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics?.observeGrpc(method, status, seconds, context.tenant);
        // Probes are not logged, as on REST.
        if (!PROBES.has(method)) logCall(logger, context, `inference.GRPCInferenceService/${method}`, status, seconds);
      }
    });

  return {
    ServerLive: observed<unknown, ServerLiveResponse>('ServerLive', async () => ({ live: true })),
    ServerReady: observed<unknown, ServerReadyResponse>('ServerReady', async () => ({ ready: gateway.ready })),
    ServerMetadata: observed<unknown, ServerMetadataResponse>('ServerMetadata', async () => ({
      ...GATEWAY_SERVER_METADATA,
      extensions: [...GATEWAY_SERVER_METADATA.extensions],
    })),
    ModelReady: observed<ModelReadyRequest__Output, ModelReadyResponse>('ModelReady', async (request, call) => {
      const principal = await gateway.authorize(authorizationOf(call.metadata), ['models:read', 'infer']);
      return {
        ready: await gateway.modelReady(principal, request.name, request.version, { deadline: deadlineMs(call) }),
      };
    }),
    ModelMetadata: observed<ModelMetadataRequest__Output, ModelMetadataResponse__Output>(
      'ModelMetadata',
      async (request, call) => {
        const principal = await gateway.authorize(authorizationOf(call.metadata), ['models:read', 'infer']);
        return gateway.modelMetadata(principal, request.name, request.version, { deadline: deadlineMs(call) });
      },
    ),
    ModelStatistics: observed<ModelStatisticsRequest__Output, ModelStatisticsResponse>(
      'ModelStatistics',
      async (request, call) => {
        const principal = await gateway.authorize(authorizationOf(call.metadata), ['models:read', 'infer']);
        return gateway.modelStatistics(principal, request.name, request.version, { deadline: deadlineMs(call) });
      },
    ),
    ModelInfer: observed<ModelInferRequest__Output, ModelInferResponse__Output>('ModelInfer', async (request, call) => {
      const principal = await gateway.authorize(authorizationOf(call.metadata), 'infer');
      return gateway.infer(principal, request, { deadline: deadlineMs(call) });
    }),
  };
}
