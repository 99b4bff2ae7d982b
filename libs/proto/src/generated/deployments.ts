import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AliasCanary as _aiaas_registry_v1_AliasCanary, AliasCanary__Output as _aiaas_registry_v1_AliasCanary__Output } from './aiaas/registry/v1/AliasCanary';
import type { Assignment as _aiaas_registry_v1_Assignment, Assignment__Output as _aiaas_registry_v1_Assignment__Output } from './aiaas/registry/v1/Assignment';
import type { BatchingSettings as _aiaas_registry_v1_BatchingSettings, BatchingSettings__Output as _aiaas_registry_v1_BatchingSettings__Output } from './aiaas/registry/v1/BatchingSettings';
import type { CreateDeploymentRequest as _aiaas_registry_v1_CreateDeploymentRequest, CreateDeploymentRequest__Output as _aiaas_registry_v1_CreateDeploymentRequest__Output } from './aiaas/registry/v1/CreateDeploymentRequest';
import type { CreateDeploymentResponse as _aiaas_registry_v1_CreateDeploymentResponse, CreateDeploymentResponse__Output as _aiaas_registry_v1_CreateDeploymentResponse__Output } from './aiaas/registry/v1/CreateDeploymentResponse';
import type { DeleteDeploymentRequest as _aiaas_registry_v1_DeleteDeploymentRequest, DeleteDeploymentRequest__Output as _aiaas_registry_v1_DeleteDeploymentRequest__Output } from './aiaas/registry/v1/DeleteDeploymentRequest';
import type { DeleteDeploymentResponse as _aiaas_registry_v1_DeleteDeploymentResponse, DeleteDeploymentResponse__Output as _aiaas_registry_v1_DeleteDeploymentResponse__Output } from './aiaas/registry/v1/DeleteDeploymentResponse';
import type { Deployment as _aiaas_registry_v1_Deployment, Deployment__Output as _aiaas_registry_v1_Deployment__Output } from './aiaas/registry/v1/Deployment';
import type { DeploymentsClient as _aiaas_registry_v1_DeploymentsClient, DeploymentsDefinition as _aiaas_registry_v1_DeploymentsDefinition } from './aiaas/registry/v1/Deployments';
import type { Endpoint as _aiaas_registry_v1_Endpoint, Endpoint__Output as _aiaas_registry_v1_Endpoint__Output } from './aiaas/registry/v1/Endpoint';
import type { GetDeploymentRequest as _aiaas_registry_v1_GetDeploymentRequest, GetDeploymentRequest__Output as _aiaas_registry_v1_GetDeploymentRequest__Output } from './aiaas/registry/v1/GetDeploymentRequest';
import type { GetDeploymentResponse as _aiaas_registry_v1_GetDeploymentResponse, GetDeploymentResponse__Output as _aiaas_registry_v1_GetDeploymentResponse__Output } from './aiaas/registry/v1/GetDeploymentResponse';
import type { HeartbeatRequest as _aiaas_registry_v1_HeartbeatRequest, HeartbeatRequest__Output as _aiaas_registry_v1_HeartbeatRequest__Output } from './aiaas/registry/v1/HeartbeatRequest';
import type { HeartbeatResponse as _aiaas_registry_v1_HeartbeatResponse, HeartbeatResponse__Output as _aiaas_registry_v1_HeartbeatResponse__Output } from './aiaas/registry/v1/HeartbeatResponse';
import type { ListDeploymentsRequest as _aiaas_registry_v1_ListDeploymentsRequest, ListDeploymentsRequest__Output as _aiaas_registry_v1_ListDeploymentsRequest__Output } from './aiaas/registry/v1/ListDeploymentsRequest';
import type { ListDeploymentsResponse as _aiaas_registry_v1_ListDeploymentsResponse, ListDeploymentsResponse__Output as _aiaas_registry_v1_ListDeploymentsResponse__Output } from './aiaas/registry/v1/ListDeploymentsResponse';
import type { ListNodesRequest as _aiaas_registry_v1_ListNodesRequest, ListNodesRequest__Output as _aiaas_registry_v1_ListNodesRequest__Output } from './aiaas/registry/v1/ListNodesRequest';
import type { ListNodesResponse as _aiaas_registry_v1_ListNodesResponse, ListNodesResponse__Output as _aiaas_registry_v1_ListNodesResponse__Output } from './aiaas/registry/v1/ListNodesResponse';
import type { Node as _aiaas_registry_v1_Node, Node__Output as _aiaas_registry_v1_Node__Output } from './aiaas/registry/v1/Node';
import type { NodesClient as _aiaas_registry_v1_NodesClient, NodesDefinition as _aiaas_registry_v1_NodesDefinition } from './aiaas/registry/v1/Nodes';
import type { RegisterNodeRequest as _aiaas_registry_v1_RegisterNodeRequest, RegisterNodeRequest__Output as _aiaas_registry_v1_RegisterNodeRequest__Output } from './aiaas/registry/v1/RegisterNodeRequest';
import type { RegisterNodeResponse as _aiaas_registry_v1_RegisterNodeResponse, RegisterNodeResponse__Output as _aiaas_registry_v1_RegisterNodeResponse__Output } from './aiaas/registry/v1/RegisterNodeResponse';
import type { Replica as _aiaas_registry_v1_Replica, Replica__Output as _aiaas_registry_v1_Replica__Output } from './aiaas/registry/v1/Replica';
import type { ReplicaStatus as _aiaas_registry_v1_ReplicaStatus, ReplicaStatus__Output as _aiaas_registry_v1_ReplicaStatus__Output } from './aiaas/registry/v1/ReplicaStatus';
import type { ReportReplicaStatusRequest as _aiaas_registry_v1_ReportReplicaStatusRequest, ReportReplicaStatusRequest__Output as _aiaas_registry_v1_ReportReplicaStatusRequest__Output } from './aiaas/registry/v1/ReportReplicaStatusRequest';
import type { ReportReplicaStatusResponse as _aiaas_registry_v1_ReportReplicaStatusResponse, ReportReplicaStatusResponse__Output as _aiaas_registry_v1_ReportReplicaStatusResponse__Output } from './aiaas/registry/v1/ReportReplicaStatusResponse';
import type { Route as _aiaas_registry_v1_Route, Route__Output as _aiaas_registry_v1_Route__Output } from './aiaas/registry/v1/Route';
import type { RoutesClient as _aiaas_registry_v1_RoutesClient, RoutesDefinition as _aiaas_registry_v1_RoutesDefinition } from './aiaas/registry/v1/Routes';
import type { UpdateDeploymentRequest as _aiaas_registry_v1_UpdateDeploymentRequest, UpdateDeploymentRequest__Output as _aiaas_registry_v1_UpdateDeploymentRequest__Output } from './aiaas/registry/v1/UpdateDeploymentRequest';
import type { UpdateDeploymentResponse as _aiaas_registry_v1_UpdateDeploymentResponse, UpdateDeploymentResponse__Output as _aiaas_registry_v1_UpdateDeploymentResponse__Output } from './aiaas/registry/v1/UpdateDeploymentResponse';
import type { WatchAssignmentsRequest as _aiaas_registry_v1_WatchAssignmentsRequest, WatchAssignmentsRequest__Output as _aiaas_registry_v1_WatchAssignmentsRequest__Output } from './aiaas/registry/v1/WatchAssignmentsRequest';
import type { WatchAssignmentsResponse as _aiaas_registry_v1_WatchAssignmentsResponse, WatchAssignmentsResponse__Output as _aiaas_registry_v1_WatchAssignmentsResponse__Output } from './aiaas/registry/v1/WatchAssignmentsResponse';
import type { WatchRoutesRequest as _aiaas_registry_v1_WatchRoutesRequest, WatchRoutesRequest__Output as _aiaas_registry_v1_WatchRoutesRequest__Output } from './aiaas/registry/v1/WatchRoutesRequest';
import type { WatchRoutesResponse as _aiaas_registry_v1_WatchRoutesResponse, WatchRoutesResponse__Output as _aiaas_registry_v1_WatchRoutesResponse__Output } from './aiaas/registry/v1/WatchRoutesResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  aiaas: {
    registry: {
      v1: {
        AliasCanary: MessageTypeDefinition<_aiaas_registry_v1_AliasCanary, _aiaas_registry_v1_AliasCanary__Output>
        Assignment: MessageTypeDefinition<_aiaas_registry_v1_Assignment, _aiaas_registry_v1_Assignment__Output>
        BatchingSettings: MessageTypeDefinition<_aiaas_registry_v1_BatchingSettings, _aiaas_registry_v1_BatchingSettings__Output>
        CreateDeploymentRequest: MessageTypeDefinition<_aiaas_registry_v1_CreateDeploymentRequest, _aiaas_registry_v1_CreateDeploymentRequest__Output>
        CreateDeploymentResponse: MessageTypeDefinition<_aiaas_registry_v1_CreateDeploymentResponse, _aiaas_registry_v1_CreateDeploymentResponse__Output>
        DeleteDeploymentRequest: MessageTypeDefinition<_aiaas_registry_v1_DeleteDeploymentRequest, _aiaas_registry_v1_DeleteDeploymentRequest__Output>
        DeleteDeploymentResponse: MessageTypeDefinition<_aiaas_registry_v1_DeleteDeploymentResponse, _aiaas_registry_v1_DeleteDeploymentResponse__Output>
        Deployment: MessageTypeDefinition<_aiaas_registry_v1_Deployment, _aiaas_registry_v1_Deployment__Output>
        /**
         * User-facing: what should run where, in what shape.
         */
        Deployments: SubtypeConstructor<typeof grpc.Client, _aiaas_registry_v1_DeploymentsClient> & { service: _aiaas_registry_v1_DeploymentsDefinition }
        Endpoint: MessageTypeDefinition<_aiaas_registry_v1_Endpoint, _aiaas_registry_v1_Endpoint__Output>
        GetDeploymentRequest: MessageTypeDefinition<_aiaas_registry_v1_GetDeploymentRequest, _aiaas_registry_v1_GetDeploymentRequest__Output>
        GetDeploymentResponse: MessageTypeDefinition<_aiaas_registry_v1_GetDeploymentResponse, _aiaas_registry_v1_GetDeploymentResponse__Output>
        HeartbeatRequest: MessageTypeDefinition<_aiaas_registry_v1_HeartbeatRequest, _aiaas_registry_v1_HeartbeatRequest__Output>
        HeartbeatResponse: MessageTypeDefinition<_aiaas_registry_v1_HeartbeatResponse, _aiaas_registry_v1_HeartbeatResponse__Output>
        ListDeploymentsRequest: MessageTypeDefinition<_aiaas_registry_v1_ListDeploymentsRequest, _aiaas_registry_v1_ListDeploymentsRequest__Output>
        ListDeploymentsResponse: MessageTypeDefinition<_aiaas_registry_v1_ListDeploymentsResponse, _aiaas_registry_v1_ListDeploymentsResponse__Output>
        ListNodesRequest: MessageTypeDefinition<_aiaas_registry_v1_ListNodesRequest, _aiaas_registry_v1_ListNodesRequest__Output>
        ListNodesResponse: MessageTypeDefinition<_aiaas_registry_v1_ListNodesResponse, _aiaas_registry_v1_ListNodesResponse__Output>
        Node: MessageTypeDefinition<_aiaas_registry_v1_Node, _aiaas_registry_v1_Node__Output>
        /**
         * Node-facing: registration, liveness, and the replicas each node should serve.
         */
        Nodes: SubtypeConstructor<typeof grpc.Client, _aiaas_registry_v1_NodesClient> & { service: _aiaas_registry_v1_NodesDefinition }
        RegisterNodeRequest: MessageTypeDefinition<_aiaas_registry_v1_RegisterNodeRequest, _aiaas_registry_v1_RegisterNodeRequest__Output>
        RegisterNodeResponse: MessageTypeDefinition<_aiaas_registry_v1_RegisterNodeResponse, _aiaas_registry_v1_RegisterNodeResponse__Output>
        Replica: MessageTypeDefinition<_aiaas_registry_v1_Replica, _aiaas_registry_v1_Replica__Output>
        ReplicaState: EnumTypeDefinition
        ReplicaStatus: MessageTypeDefinition<_aiaas_registry_v1_ReplicaStatus, _aiaas_registry_v1_ReplicaStatus__Output>
        ReportReplicaStatusRequest: MessageTypeDefinition<_aiaas_registry_v1_ReportReplicaStatusRequest, _aiaas_registry_v1_ReportReplicaStatusRequest__Output>
        ReportReplicaStatusResponse: MessageTypeDefinition<_aiaas_registry_v1_ReportReplicaStatusResponse, _aiaas_registry_v1_ReportReplicaStatusResponse__Output>
        Route: MessageTypeDefinition<_aiaas_registry_v1_Route, _aiaas_registry_v1_Route__Output>
        /**
         * Gateway-facing: for each model version, the ready endpoints.
         */
        Routes: SubtypeConstructor<typeof grpc.Client, _aiaas_registry_v1_RoutesClient> & { service: _aiaas_registry_v1_RoutesDefinition }
        UpdateDeploymentRequest: MessageTypeDefinition<_aiaas_registry_v1_UpdateDeploymentRequest, _aiaas_registry_v1_UpdateDeploymentRequest__Output>
        UpdateDeploymentResponse: MessageTypeDefinition<_aiaas_registry_v1_UpdateDeploymentResponse, _aiaas_registry_v1_UpdateDeploymentResponse__Output>
        WatchAssignmentsRequest: MessageTypeDefinition<_aiaas_registry_v1_WatchAssignmentsRequest, _aiaas_registry_v1_WatchAssignmentsRequest__Output>
        WatchAssignmentsResponse: MessageTypeDefinition<_aiaas_registry_v1_WatchAssignmentsResponse, _aiaas_registry_v1_WatchAssignmentsResponse__Output>
        WatchRoutesRequest: MessageTypeDefinition<_aiaas_registry_v1_WatchRoutesRequest, _aiaas_registry_v1_WatchRoutesRequest__Output>
        WatchRoutesResponse: MessageTypeDefinition<_aiaas_registry_v1_WatchRoutesResponse, _aiaas_registry_v1_WatchRoutesResponse__Output>
      }
    }
  }
}

