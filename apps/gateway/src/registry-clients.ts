import { credentials } from '@grpc/grpc-js';
import type { CallOptions, Channel, ChannelOptions, Client, Metadata, ServiceError } from '@grpc/grpc-js';
import { callerMetadata, fromServiceError } from '@aiaas/common';
import { loadRegistryPackage } from '@aiaas/proto';
import type {
  DeploymentsClient,
  DeploymentsDefinition,
  JobsClient,
  JobsDefinition,
  ModelRegistryClient,
  ModelRegistryDefinition,
  NodesClient,
  NodesDefinition,
} from '@aiaas/proto';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { Principal } from './auth/scopes';
import { withRequestId } from './request-context';
import { clientTracingInterceptors } from '@aiaas/telemetry';

/**
 * Channel options for the registry: HTTP/2 flow-control windows far above the 64 KiB default so
 * artifact uploads and downloads (1 MiB messages) are not throttled by a window update per 64 KiB.
 */
export const REGISTRY_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc-node.flow_control_window': 16 * 1024 * 1024,
};

/**
 * The gateway's clients of the registry's ModelRegistry, Deployments, Nodes and Jobs services, on one
 * channel. Calls act for the authenticated principal: its tenant and id travel as trusted
 * metadata with the internal token (docs/decisions/internal-metadata.md).
 */
export class RegistryClients {
  readonly models: ModelRegistryClient;
  readonly deployments: DeploymentsClient;
  readonly nodes: NodesClient;
  readonly jobs: JobsClient;
  /** host:port of the registry. */
  readonly address: string;
  readonly #internalToken: string | undefined;

  constructor(address: string, internalToken: string | undefined) {
    const pkg = loadRegistryPackage().aiaas.registry.v1;
    const interceptors = clientTracingInterceptors(address);
    this.models = new pkg.ModelRegistry(address, credentials.createInsecure(), { ...REGISTRY_CHANNEL_OPTIONS, interceptors });
    // Share the first client's channel: one connection to the registry for every service.
    const shared = { channelOverride: (this.models as unknown as Client).getChannel(), interceptors };
    this.deployments = new pkg.Deployments(address, credentials.createInsecure(), shared);
    this.nodes = new pkg.Nodes(address, credentials.createInsecure(), shared);
    this.jobs = new pkg.Jobs(address, credentials.createInsecure(), shared);
    this.#internalToken = internalToken;
    this.address = address;
  }

  /** The one channel to the registry, for clients that call it by method path (the gRPC proxy). */
  get channel(): Channel {
    return (this.models as unknown as Client).getChannel() as Channel;
  }

  /** Metadata of a call made for `principal` (undefined: internal calls such as ListNodes). */
  metadata(principal: Pick<Principal, 'tenant' | 'principalId'> | undefined): Metadata {
    // The request id lets the registry's lines join the gateway's for one request.
    return withRequestId(
      callerMetadata(
        principal === undefined ? undefined : { tenant: principal.tenant, principal: principal.principalId },
        this.#internalToken,
      ),
    );
  }

  /** A unary ModelRegistry call for the caller in `metadata`; errors come back as typed AppErrors. */
  model<K extends UnaryName<ModelRegistryDefinition>>(
    method: K,
    request: RequestOf<ModelRegistryDefinition, K>,
    metadata: Metadata,
    deadline: number,
  ): Promise<ResponseOf<ModelRegistryDefinition, K>> {
    return callUnary(this.models, method, request, metadata, deadline);
  }

  /** A unary Deployments call. */
  deployment<K extends UnaryName<DeploymentsDefinition>>(
    method: K,
    request: RequestOf<DeploymentsDefinition, K>,
    metadata: Metadata,
    deadline: number,
  ): Promise<ResponseOf<DeploymentsDefinition, K>> {
    return callUnary(this.deployments, method, request, metadata, deadline);
  }

  /** A unary Nodes call (internal: the metadata carries only the internal token). */
  node<K extends UnaryName<NodesDefinition>>(
    method: K,
    request: RequestOf<NodesDefinition, K>,
    metadata: Metadata,
    deadline: number,
  ): Promise<ResponseOf<NodesDefinition, K>> {
    return callUnary(this.nodes, method, request, metadata, deadline);
  }

  /** A unary Jobs call for the caller in `metadata`. */
  job<K extends UnaryName<JobsDefinition>>(
    method: K,
    request: RequestOf<JobsDefinition, K>,
    metadata: Metadata,
    deadline: number,
  ): Promise<ResponseOf<JobsDefinition, K>> {
    return callUnary(this.jobs, method, request, metadata, deadline);
  }

  close(): void {
    this.jobs.close();
    this.deployments.close();
    this.nodes.close();
    this.models.close();
  }
}

/** Names of a service definition's unary methods (the streaming ones are called directly). */
type UnaryName<D> = Exclude<keyof D & string, 'UploadVersion' | 'DownloadVersion' | 'WatchAssignments' | 'WatchJob'>;
/** What a method takes (the send shape). */
type RequestOf<D, K extends keyof D> =
  D[K] extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer _ResOut> ? Req : never;
/** What a method gives (the receive shape). */
type ResponseOf<D, K extends keyof D> =
  D[K] extends MethodDefinition<infer _Req, infer _Res, infer _ReqOut, infer Res> ? Res : never;

/**
 * Promise form of a unary call by name; a gRPC error comes back as the typed AppError of the one
 * error table (`fromServiceError`), so NOT_FOUND stays 404, INVALID_ARGUMENT 400, and so on.
 */
function callUnary<Res>(
  client: object,
  method: string,
  request: unknown,
  metadata: Metadata,
  deadline: number,
): Promise<Res> {
  const fn = (client as Record<string, unknown>)[method] as (
    request: unknown,
    metadata: Metadata,
    options: CallOptions,
    callback: (err: ServiceError | null, response?: Res) => void,
  ) => unknown;
  return new Promise((resolve, reject) => {
    fn.call(client, request, metadata, { deadline }, (err, response) =>
      err ? reject(fromServiceError(err)) : resolve(response as Res),
    );
  });
}

/** True for a grpc-js client error (numeric `code`), which {@link fromServiceError} turns into an AppError. */
export function isServiceError(err: unknown): err is ServiceError {
  return (
    typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number' && 'details' in err
  );
}
