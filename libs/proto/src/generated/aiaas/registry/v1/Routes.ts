// Original file: protos/deployments.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { WatchRoutesRequest as _aiaas_registry_v1_WatchRoutesRequest, WatchRoutesRequest__Output as _aiaas_registry_v1_WatchRoutesRequest__Output } from '../../../aiaas/registry/v1/WatchRoutesRequest';
import type { WatchRoutesResponse as _aiaas_registry_v1_WatchRoutesResponse, WatchRoutesResponse__Output as _aiaas_registry_v1_WatchRoutesResponse__Output } from '../../../aiaas/registry/v1/WatchRoutesResponse';

/**
 * Gateway-facing: for each model version, the ready endpoints.
 */
export interface RoutesClient extends grpc.Client {
  /**
   * Server streaming: the complete route table, sent at once and again after every change.
   */
  WatchRoutes(argument: _aiaas_registry_v1_WatchRoutesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchRoutesResponse__Output>;
  WatchRoutes(argument: _aiaas_registry_v1_WatchRoutesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchRoutesResponse__Output>;
  /**
   * Server streaming: the complete route table, sent at once and again after every change.
   */
  watchRoutes(argument: _aiaas_registry_v1_WatchRoutesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchRoutesResponse__Output>;
  watchRoutes(argument: _aiaas_registry_v1_WatchRoutesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchRoutesResponse__Output>;
  
}

/**
 * Gateway-facing: for each model version, the ready endpoints.
 */
export interface RoutesHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Server streaming: the complete route table, sent at once and again after every change.
   */
  WatchRoutes: grpc.handleServerStreamingCall<_aiaas_registry_v1_WatchRoutesRequest__Output, _aiaas_registry_v1_WatchRoutesResponse>;
  
}

export interface RoutesDefinition extends grpc.ServiceDefinition {
  WatchRoutes: MethodDefinition<_aiaas_registry_v1_WatchRoutesRequest, _aiaas_registry_v1_WatchRoutesResponse, _aiaas_registry_v1_WatchRoutesRequest__Output, _aiaas_registry_v1_WatchRoutesResponse__Output>
}
