// Original file: protos/deployments.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateDeploymentRequest as _aiaas_registry_v1_CreateDeploymentRequest, CreateDeploymentRequest__Output as _aiaas_registry_v1_CreateDeploymentRequest__Output } from '../../../aiaas/registry/v1/CreateDeploymentRequest';
import type { CreateDeploymentResponse as _aiaas_registry_v1_CreateDeploymentResponse, CreateDeploymentResponse__Output as _aiaas_registry_v1_CreateDeploymentResponse__Output } from '../../../aiaas/registry/v1/CreateDeploymentResponse';
import type { DeleteDeploymentRequest as _aiaas_registry_v1_DeleteDeploymentRequest, DeleteDeploymentRequest__Output as _aiaas_registry_v1_DeleteDeploymentRequest__Output } from '../../../aiaas/registry/v1/DeleteDeploymentRequest';
import type { DeleteDeploymentResponse as _aiaas_registry_v1_DeleteDeploymentResponse, DeleteDeploymentResponse__Output as _aiaas_registry_v1_DeleteDeploymentResponse__Output } from '../../../aiaas/registry/v1/DeleteDeploymentResponse';
import type { GetDeploymentRequest as _aiaas_registry_v1_GetDeploymentRequest, GetDeploymentRequest__Output as _aiaas_registry_v1_GetDeploymentRequest__Output } from '../../../aiaas/registry/v1/GetDeploymentRequest';
import type { GetDeploymentResponse as _aiaas_registry_v1_GetDeploymentResponse, GetDeploymentResponse__Output as _aiaas_registry_v1_GetDeploymentResponse__Output } from '../../../aiaas/registry/v1/GetDeploymentResponse';
import type { ListDeploymentsRequest as _aiaas_registry_v1_ListDeploymentsRequest, ListDeploymentsRequest__Output as _aiaas_registry_v1_ListDeploymentsRequest__Output } from '../../../aiaas/registry/v1/ListDeploymentsRequest';
import type { ListDeploymentsResponse as _aiaas_registry_v1_ListDeploymentsResponse, ListDeploymentsResponse__Output as _aiaas_registry_v1_ListDeploymentsResponse__Output } from '../../../aiaas/registry/v1/ListDeploymentsResponse';
import type { UpdateDeploymentRequest as _aiaas_registry_v1_UpdateDeploymentRequest, UpdateDeploymentRequest__Output as _aiaas_registry_v1_UpdateDeploymentRequest__Output } from '../../../aiaas/registry/v1/UpdateDeploymentRequest';
import type { UpdateDeploymentResponse as _aiaas_registry_v1_UpdateDeploymentResponse, UpdateDeploymentResponse__Output as _aiaas_registry_v1_UpdateDeploymentResponse__Output } from '../../../aiaas/registry/v1/UpdateDeploymentResponse';

/**
 * User-facing: what should run where, in what shape.
 */
export interface DeploymentsClient extends grpc.Client {
  CreateDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  CreateDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  CreateDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  CreateDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  createDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  createDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  createDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  createDeployment(argument: _aiaas_registry_v1_CreateDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_CreateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  DeleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  DeleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  DeleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  deleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  deleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  deleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  deleteDeployment(argument: _aiaas_registry_v1_DeleteDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteDeploymentResponse__Output>): grpc.ClientUnaryCall;
  
  GetDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  GetDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  GetDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  GetDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  getDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  getDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  getDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  getDeployment(argument: _aiaas_registry_v1_GetDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetDeploymentResponse__Output>): grpc.ClientUnaryCall;
  
  ListDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  ListDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  ListDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  ListDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  listDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  listDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  listDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  listDeployments(argument: _aiaas_registry_v1_ListDeploymentsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListDeploymentsResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  UpdateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  UpdateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  UpdateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  updateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  updateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  updateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  updateDeployment(argument: _aiaas_registry_v1_UpdateDeploymentRequest, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateDeploymentResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * User-facing: what should run where, in what shape.
 */
export interface DeploymentsHandlers extends grpc.UntypedServiceImplementation {
  CreateDeployment: grpc.handleUnaryCall<_aiaas_registry_v1_CreateDeploymentRequest__Output, _aiaas_registry_v1_CreateDeploymentResponse>;
  
  DeleteDeployment: grpc.handleUnaryCall<_aiaas_registry_v1_DeleteDeploymentRequest__Output, _aiaas_registry_v1_DeleteDeploymentResponse>;
  
  GetDeployment: grpc.handleUnaryCall<_aiaas_registry_v1_GetDeploymentRequest__Output, _aiaas_registry_v1_GetDeploymentResponse>;
  
  ListDeployments: grpc.handleUnaryCall<_aiaas_registry_v1_ListDeploymentsRequest__Output, _aiaas_registry_v1_ListDeploymentsResponse>;
  
  UpdateDeployment: grpc.handleUnaryCall<_aiaas_registry_v1_UpdateDeploymentRequest__Output, _aiaas_registry_v1_UpdateDeploymentResponse>;
  
}

export interface DeploymentsDefinition extends grpc.ServiceDefinition {
  CreateDeployment: MethodDefinition<_aiaas_registry_v1_CreateDeploymentRequest, _aiaas_registry_v1_CreateDeploymentResponse, _aiaas_registry_v1_CreateDeploymentRequest__Output, _aiaas_registry_v1_CreateDeploymentResponse__Output>
  DeleteDeployment: MethodDefinition<_aiaas_registry_v1_DeleteDeploymentRequest, _aiaas_registry_v1_DeleteDeploymentResponse, _aiaas_registry_v1_DeleteDeploymentRequest__Output, _aiaas_registry_v1_DeleteDeploymentResponse__Output>
  GetDeployment: MethodDefinition<_aiaas_registry_v1_GetDeploymentRequest, _aiaas_registry_v1_GetDeploymentResponse, _aiaas_registry_v1_GetDeploymentRequest__Output, _aiaas_registry_v1_GetDeploymentResponse__Output>
  ListDeployments: MethodDefinition<_aiaas_registry_v1_ListDeploymentsRequest, _aiaas_registry_v1_ListDeploymentsResponse, _aiaas_registry_v1_ListDeploymentsRequest__Output, _aiaas_registry_v1_ListDeploymentsResponse__Output>
  UpdateDeployment: MethodDefinition<_aiaas_registry_v1_UpdateDeploymentRequest, _aiaas_registry_v1_UpdateDeploymentResponse, _aiaas_registry_v1_UpdateDeploymentRequest__Output, _aiaas_registry_v1_UpdateDeploymentResponse__Output>
}
