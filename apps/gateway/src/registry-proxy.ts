import { Client, credentials, status as GrpcStatus } from '@grpc/grpc-js';
import type {
  CallOptions,
  ClientReadableStream,
  ClientWritableStream,
  Metadata,
  MethodDefinition,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  ServiceError,
  UntypedServiceImplementation,
  sendUnaryData,
} from '@grpc/grpc-js';
import { deadlineMs, toAppError, toServiceError, writeWithBackPressure } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import type { Principal, Scope } from './auth/scopes';
import type { Gateway } from './gateway';
import type { GatewayMetrics } from './gateway-metrics';
import { isServiceError } from './registry-clients';
import type { RegistryClients } from './registry-clients';
import { authorizationOf, logCall, runInRequest, startCallContext } from './request-context';
import type { RequestContext } from './request-context';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/**
 * The scope each proxied method needs: the same as the matching REST route. Methods not listed
 * (the workers' ReportJobEvent and GetJobDataset, internal only) are not served at the front
 * door: grpc-js answers UNIMPLEMENTED.
 */
export const PROXIED_METHOD_SCOPES: Readonly<Record<string, Readonly<Record<string, Scope>>>> = Object.freeze({
  ModelRegistry: {
    CreateModel: 'models:write',
    GetModel: 'models:read',
    ListModels: 'models:read',
    UpdateModel: 'models:write',
    DeleteModel: 'models:write',
    UploadVersion: 'models:write',
    GetVersion: 'models:read',
    ListVersions: 'models:read',
    DownloadVersion: 'models:read',
    DeleteVersion: 'models:write',
    SetAlias: 'models:write',
    DeleteAlias: 'models:write',
    ResolveAlias: 'models:read',
    // The tenant's audit trail says who did what: administrators only.
    ListAudit: 'admin',
  },
  Jobs: {
    SubmitJob: 'jobs:write',
    GetJob: 'jobs:read',
    ListJobs: 'jobs:read',
    CancelJob: 'jobs:write',
    WatchJob: 'jobs:read',
  },
});

const passThrough = (bytes: Buffer): Buffer => bytes;

/**
 * The registry's `ModelRegistry` and `Jobs` services at the gRPC front door, proxied message by
 * message without decoding them: each call is checked for credentials and its method's scope,
 * then forwarded on the gateway's registry channel with the verified tenant and principal as
 * internal metadata (nothing the caller sent in `x-aiaas-*` is passed on) and the caller's
 * deadline. Streams are piped both ways with back-pressure: a message is read from one side only
 * when the other took the previous one, so an upload or a download stays flat in memory. A
 * caller that cancels cancels the registry call. Another tenant's model or job answers NOT_FOUND
 * exactly as a missing one (the registry does not tell them apart). Each call answers its request
 * id in `x-request-id` initial metadata, passes it to the registry and writes one `info` line.
 *
 * @returns the pass-through service definition and its handlers, for `server.addService`
 */
export function createRegistryProxy(
  service: 'ModelRegistry' | 'Jobs',
  definition: ServiceDefinition,
  deps: {
    gateway: Pick<Gateway, 'authorize'>;
    registry: RegistryClients;
    metrics?: GatewayMetrics | undefined;
    logger?: Logger | undefined;
  },
): { definition: ServiceDefinition; handlers: UntypedServiceImplementation } {
  const { gateway, registry, metrics, logger } = deps;
  const scopes = PROXIED_METHOD_SCOPES[service] ?? {};
  const client = new Client(registry.address, credentials.createInsecure(), {
    channelOverride: registry.channel,
    interceptors: clientTracingInterceptors(registry.address),
  });
  const rawDefinition: Record<string, MethodDefinition<Buffer, Buffer>> = {};
  const handlers: UntypedServiceImplementation = {};

  for (const [name, scope] of Object.entries(scopes)) {
    const method = definition[name];
    if (method === undefined) continue;
    rawDefinition[name] = {
      ...(method as MethodDefinition<unknown, unknown>),
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: passThrough,
      responseDeserialize: passThrough,
    };
    const path = method.path;
    const observe = (context: RequestContext, started: bigint, err: unknown): void => {
      const code = err === undefined ? 'OK' : (GrpcStatus[grpcCode(err)] ?? 'UNKNOWN');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics?.observeGrpc(`${service}/${name}`, code, seconds, context.tenant);
      logCall(logger, context, path.slice(1), code, seconds);
    };
    const authorize = async (metadata: Metadata): Promise<{ principal: Principal }> => ({
      principal: await gateway.authorize(authorizationOf(metadata), scope),
    });
    const callOptions = (call: { getDeadline(): Date | number }): CallOptions => ({ deadline: deadlineMs(call) });

    if (!method.requestStream && !method.responseStream) {
      handlers[name] = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        const started = process.hrtime.bigint();
        const context = startCallContext(call);
        // In the call's context: registry.metadata passes its request id on.
        void runInRequest(context, () =>
          authorize(call.metadata).then(
            ({ principal }) => {
              const upstream = client.makeUnaryRequest(
                path,
                passThrough,
                passThrough,
                call.request,
                registry.metadata(principal),
                callOptions(call),
                (err, response) => {
                  observe(context, started, err ?? undefined);
                  if (err) callback(err);
                  else callback(null, response);
                },
              );
              call.on('cancelled', () => upstream.cancel());
            },
            (err: unknown) => {
              observe(context, started, err);
              callback(asServiceError(err));
            },
          ),
        );
      };
    } else if (method.requestStream && !method.responseStream) {
      handlers[name] = (call: ServerReadableStream<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        const started = process.hrtime.bigint();
        const context = startCallContext(call);
        void runInRequest(context, () => pipeUpload(call, callback, context, started));
      };
    } else if (!method.requestStream && method.responseStream) {
      handlers[name] = (call: ServerWritableStream<Buffer, Buffer>) => {
        const started = process.hrtime.bigint();
        const context = startCallContext(call);
        void runInRequest(context, () => pipeDownload(call, context, started));
      };
    }

    // Client streaming: the caller's messages are written upstream one by one, each after the
    // previous one was taken (grpc-js pauses the caller's stream meanwhile).
    const pipeUpload = async (
      call: ServerReadableStream<Buffer, Buffer>,
      callback: sendUnaryData<Buffer>,
      context: RequestContext,
      started: bigint,
    ): Promise<void> => {
      let upstream: ClientWritableStream<Buffer> | undefined;
      let answered = false;
      const answer = (err: Partial<ServiceError> | null, response?: Buffer): void => {
        if (answered) return;
        answered = true;
        observe(context, started, err ?? undefined);
        if (err) callback(err);
        else callback(null, response);
      };
      try {
        const { principal } = await authorize(call.metadata);
        upstream = client.makeClientStreamRequest(
          path,
          passThrough,
          passThrough,
          registry.metadata(principal),
          callOptions(call),
          (err, response) => answer(err, response),
        );
        const pipe = upstream;
        call.on('cancelled', () => pipe.cancel());
        for await (const message of call as AsyncIterable<Buffer>) {
          if (answered) break;
          await writeWithBackPressure(pipe, message);
        }
        pipe.end();
      } catch (err) {
        upstream?.cancel();
        answer(asServiceError(err));
      }
    };

    // Server streaming: the next upstream message is read only once the caller's side took the
    // previous one; grpc-js stops reading from the registry while its buffer is full.
    const pipeDownload = async (
      call: ServerWritableStream<Buffer, Buffer>,
      context: RequestContext,
      started: bigint,
    ): Promise<void> => {
      let upstream: ClientReadableStream<Buffer> | undefined;
      try {
        const { principal } = await authorize(call.metadata);
        upstream = client.makeServerStreamRequest(
          path,
          passThrough,
          passThrough,
          call.request,
          registry.metadata(principal),
          callOptions(call),
        );
        const pipe = upstream;
        call.on('cancelled', () => pipe.cancel());
        for await (const message of pipe as AsyncIterable<Buffer>) {
          if (call.cancelled) break;
          await writeWithBackPressure(call, message);
        }
        observe(context, started, undefined);
        call.end();
      } catch (err) {
        upstream?.cancel();
        observe(context, started, err);
        // grpc-js sends an 'error' emitted on a server stream as the call's status.
        if (!call.cancelled) call.emit('error', asServiceError(err));
      }
    };
  }
  return { definition: rawDefinition, handlers };
}

/** An upstream ServiceError as it came (code, details, metadata); anything else through the error table. */
function asServiceError(err: unknown): Partial<ServiceError> & { code: number; details: string } {
  return isServiceError(err) ? err : toServiceError(err);
}

function grpcCode(err: unknown): number {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : toAppError(err).grpcStatus;
}
