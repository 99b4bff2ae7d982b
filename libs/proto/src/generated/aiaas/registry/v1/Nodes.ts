// Original file: protos/deployments.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { HeartbeatRequest as _aiaas_registry_v1_HeartbeatRequest, HeartbeatRequest__Output as _aiaas_registry_v1_HeartbeatRequest__Output } from '../../../aiaas/registry/v1/HeartbeatRequest';
import type { HeartbeatResponse as _aiaas_registry_v1_HeartbeatResponse, HeartbeatResponse__Output as _aiaas_registry_v1_HeartbeatResponse__Output } from '../../../aiaas/registry/v1/HeartbeatResponse';
import type { ListNodesRequest as _aiaas_registry_v1_ListNodesRequest, ListNodesRequest__Output as _aiaas_registry_v1_ListNodesRequest__Output } from '../../../aiaas/registry/v1/ListNodesRequest';
import type { ListNodesResponse as _aiaas_registry_v1_ListNodesResponse, ListNodesResponse__Output as _aiaas_registry_v1_ListNodesResponse__Output } from '../../../aiaas/registry/v1/ListNodesResponse';
import type { RegisterNodeRequest as _aiaas_registry_v1_RegisterNodeRequest, RegisterNodeRequest__Output as _aiaas_registry_v1_RegisterNodeRequest__Output } from '../../../aiaas/registry/v1/RegisterNodeRequest';
import type { RegisterNodeResponse as _aiaas_registry_v1_RegisterNodeResponse, RegisterNodeResponse__Output as _aiaas_registry_v1_RegisterNodeResponse__Output } from '../../../aiaas/registry/v1/RegisterNodeResponse';
import type { ReportReplicaStatusRequest as _aiaas_registry_v1_ReportReplicaStatusRequest, ReportReplicaStatusRequest__Output as _aiaas_registry_v1_ReportReplicaStatusRequest__Output } from '../../../aiaas/registry/v1/ReportReplicaStatusRequest';
import type { ReportReplicaStatusResponse as _aiaas_registry_v1_ReportReplicaStatusResponse, ReportReplicaStatusResponse__Output as _aiaas_registry_v1_ReportReplicaStatusResponse__Output } from '../../../aiaas/registry/v1/ReportReplicaStatusResponse';
import type { WatchAssignmentsRequest as _aiaas_registry_v1_WatchAssignmentsRequest, WatchAssignmentsRequest__Output as _aiaas_registry_v1_WatchAssignmentsRequest__Output } from '../../../aiaas/registry/v1/WatchAssignmentsRequest';
import type { WatchAssignmentsResponse as _aiaas_registry_v1_WatchAssignmentsResponse, WatchAssignmentsResponse__Output as _aiaas_registry_v1_WatchAssignmentsResponse__Output } from '../../../aiaas/registry/v1/WatchAssignmentsResponse';

/**
 * Node-facing: registration, liveness, and the replicas each node should serve.
 */
export interface NodesClient extends grpc.Client {
  /**
   * NOT_FOUND when the registry no longer knows the node (it was marked down): register again.
   */
  Heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  /**
   * NOT_FOUND when the registry no longer knows the node (it was marked down): register again.
   */
  heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _aiaas_registry_v1_HeartbeatRequest, callback: grpc.requestCallback<_aiaas_registry_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _aiaas_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _aiaas_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _aiaas_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _aiaas_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _aiaas_registry_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _aiaas_registry_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _aiaas_registry_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _aiaas_registry_v1_ListNodesRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  RegisterNode(argument: _aiaas_registry_v1_RegisterNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  RegisterNode(argument: _aiaas_registry_v1_RegisterNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  RegisterNode(argument: _aiaas_registry_v1_RegisterNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  RegisterNode(argument: _aiaas_registry_v1_RegisterNodeRequest, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  registerNode(argument: _aiaas_registry_v1_RegisterNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  registerNode(argument: _aiaas_registry_v1_RegisterNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  registerNode(argument: _aiaas_registry_v1_RegisterNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  registerNode(argument: _aiaas_registry_v1_RegisterNodeRequest, callback: grpc.requestCallback<_aiaas_registry_v1_RegisterNodeResponse__Output>): grpc.ClientUnaryCall;
  
  ReportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  ReportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  ReportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  ReportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  reportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  reportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  reportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  reportReplicaStatus(argument: _aiaas_registry_v1_ReportReplicaStatusRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ReportReplicaStatusResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Server streaming: the node's complete desired set of replicas, sent at once and again after every change.
   */
  WatchAssignments(argument: _aiaas_registry_v1_WatchAssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchAssignmentsResponse__Output>;
  WatchAssignments(argument: _aiaas_registry_v1_WatchAssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchAssignmentsResponse__Output>;
  /**
   * Server streaming: the node's complete desired set of replicas, sent at once and again after every change.
   */
  watchAssignments(argument: _aiaas_registry_v1_WatchAssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchAssignmentsResponse__Output>;
  watchAssignments(argument: _aiaas_registry_v1_WatchAssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_WatchAssignmentsResponse__Output>;
  
}

/**
 * Node-facing: registration, liveness, and the replicas each node should serve.
 */
export interface NodesHandlers extends grpc.UntypedServiceImplementation {
  /**
   * NOT_FOUND when the registry no longer knows the node (it was marked down): register again.
   */
  Heartbeat: grpc.handleUnaryCall<_aiaas_registry_v1_HeartbeatRequest__Output, _aiaas_registry_v1_HeartbeatResponse>;
  
  ListNodes: grpc.handleUnaryCall<_aiaas_registry_v1_ListNodesRequest__Output, _aiaas_registry_v1_ListNodesResponse>;
  
  RegisterNode: grpc.handleUnaryCall<_aiaas_registry_v1_RegisterNodeRequest__Output, _aiaas_registry_v1_RegisterNodeResponse>;
  
  ReportReplicaStatus: grpc.handleUnaryCall<_aiaas_registry_v1_ReportReplicaStatusRequest__Output, _aiaas_registry_v1_ReportReplicaStatusResponse>;
  
  /**
   * Server streaming: the node's complete desired set of replicas, sent at once and again after every change.
   */
  WatchAssignments: grpc.handleServerStreamingCall<_aiaas_registry_v1_WatchAssignmentsRequest__Output, _aiaas_registry_v1_WatchAssignmentsResponse>;
  
}

export interface NodesDefinition extends grpc.ServiceDefinition {
  Heartbeat: MethodDefinition<_aiaas_registry_v1_HeartbeatRequest, _aiaas_registry_v1_HeartbeatResponse, _aiaas_registry_v1_HeartbeatRequest__Output, _aiaas_registry_v1_HeartbeatResponse__Output>
  ListNodes: MethodDefinition<_aiaas_registry_v1_ListNodesRequest, _aiaas_registry_v1_ListNodesResponse, _aiaas_registry_v1_ListNodesRequest__Output, _aiaas_registry_v1_ListNodesResponse__Output>
  RegisterNode: MethodDefinition<_aiaas_registry_v1_RegisterNodeRequest, _aiaas_registry_v1_RegisterNodeResponse, _aiaas_registry_v1_RegisterNodeRequest__Output, _aiaas_registry_v1_RegisterNodeResponse__Output>
  ReportReplicaStatus: MethodDefinition<_aiaas_registry_v1_ReportReplicaStatusRequest, _aiaas_registry_v1_ReportReplicaStatusResponse, _aiaas_registry_v1_ReportReplicaStatusRequest__Output, _aiaas_registry_v1_ReportReplicaStatusResponse__Output>
  WatchAssignments: MethodDefinition<_aiaas_registry_v1_WatchAssignmentsRequest, _aiaas_registry_v1_WatchAssignmentsResponse, _aiaas_registry_v1_WatchAssignmentsRequest__Output, _aiaas_registry_v1_WatchAssignmentsResponse__Output>
}
