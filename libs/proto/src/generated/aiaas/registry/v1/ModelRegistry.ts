// Original file: protos/registry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateModelRequest as _aiaas_registry_v1_CreateModelRequest, CreateModelRequest__Output as _aiaas_registry_v1_CreateModelRequest__Output } from '../../../aiaas/registry/v1/CreateModelRequest';
import type { CreateModelResponse as _aiaas_registry_v1_CreateModelResponse, CreateModelResponse__Output as _aiaas_registry_v1_CreateModelResponse__Output } from '../../../aiaas/registry/v1/CreateModelResponse';
import type { DeleteAliasRequest as _aiaas_registry_v1_DeleteAliasRequest, DeleteAliasRequest__Output as _aiaas_registry_v1_DeleteAliasRequest__Output } from '../../../aiaas/registry/v1/DeleteAliasRequest';
import type { DeleteAliasResponse as _aiaas_registry_v1_DeleteAliasResponse, DeleteAliasResponse__Output as _aiaas_registry_v1_DeleteAliasResponse__Output } from '../../../aiaas/registry/v1/DeleteAliasResponse';
import type { DeleteModelRequest as _aiaas_registry_v1_DeleteModelRequest, DeleteModelRequest__Output as _aiaas_registry_v1_DeleteModelRequest__Output } from '../../../aiaas/registry/v1/DeleteModelRequest';
import type { DeleteModelResponse as _aiaas_registry_v1_DeleteModelResponse, DeleteModelResponse__Output as _aiaas_registry_v1_DeleteModelResponse__Output } from '../../../aiaas/registry/v1/DeleteModelResponse';
import type { DeleteVersionRequest as _aiaas_registry_v1_DeleteVersionRequest, DeleteVersionRequest__Output as _aiaas_registry_v1_DeleteVersionRequest__Output } from '../../../aiaas/registry/v1/DeleteVersionRequest';
import type { DeleteVersionResponse as _aiaas_registry_v1_DeleteVersionResponse, DeleteVersionResponse__Output as _aiaas_registry_v1_DeleteVersionResponse__Output } from '../../../aiaas/registry/v1/DeleteVersionResponse';
import type { DownloadVersionRequest as _aiaas_registry_v1_DownloadVersionRequest, DownloadVersionRequest__Output as _aiaas_registry_v1_DownloadVersionRequest__Output } from '../../../aiaas/registry/v1/DownloadVersionRequest';
import type { DownloadVersionResponse as _aiaas_registry_v1_DownloadVersionResponse, DownloadVersionResponse__Output as _aiaas_registry_v1_DownloadVersionResponse__Output } from '../../../aiaas/registry/v1/DownloadVersionResponse';
import type { GetModelRequest as _aiaas_registry_v1_GetModelRequest, GetModelRequest__Output as _aiaas_registry_v1_GetModelRequest__Output } from '../../../aiaas/registry/v1/GetModelRequest';
import type { GetModelResponse as _aiaas_registry_v1_GetModelResponse, GetModelResponse__Output as _aiaas_registry_v1_GetModelResponse__Output } from '../../../aiaas/registry/v1/GetModelResponse';
import type { GetVersionRequest as _aiaas_registry_v1_GetVersionRequest, GetVersionRequest__Output as _aiaas_registry_v1_GetVersionRequest__Output } from '../../../aiaas/registry/v1/GetVersionRequest';
import type { GetVersionResponse as _aiaas_registry_v1_GetVersionResponse, GetVersionResponse__Output as _aiaas_registry_v1_GetVersionResponse__Output } from '../../../aiaas/registry/v1/GetVersionResponse';
import type { ListAuditRequest as _aiaas_registry_v1_ListAuditRequest, ListAuditRequest__Output as _aiaas_registry_v1_ListAuditRequest__Output } from '../../../aiaas/registry/v1/ListAuditRequest';
import type { ListAuditResponse as _aiaas_registry_v1_ListAuditResponse, ListAuditResponse__Output as _aiaas_registry_v1_ListAuditResponse__Output } from '../../../aiaas/registry/v1/ListAuditResponse';
import type { ListModelsRequest as _aiaas_registry_v1_ListModelsRequest, ListModelsRequest__Output as _aiaas_registry_v1_ListModelsRequest__Output } from '../../../aiaas/registry/v1/ListModelsRequest';
import type { ListModelsResponse as _aiaas_registry_v1_ListModelsResponse, ListModelsResponse__Output as _aiaas_registry_v1_ListModelsResponse__Output } from '../../../aiaas/registry/v1/ListModelsResponse';
import type { ListVersionsRequest as _aiaas_registry_v1_ListVersionsRequest, ListVersionsRequest__Output as _aiaas_registry_v1_ListVersionsRequest__Output } from '../../../aiaas/registry/v1/ListVersionsRequest';
import type { ListVersionsResponse as _aiaas_registry_v1_ListVersionsResponse, ListVersionsResponse__Output as _aiaas_registry_v1_ListVersionsResponse__Output } from '../../../aiaas/registry/v1/ListVersionsResponse';
import type { ResolveAliasRequest as _aiaas_registry_v1_ResolveAliasRequest, ResolveAliasRequest__Output as _aiaas_registry_v1_ResolveAliasRequest__Output } from '../../../aiaas/registry/v1/ResolveAliasRequest';
import type { ResolveAliasResponse as _aiaas_registry_v1_ResolveAliasResponse, ResolveAliasResponse__Output as _aiaas_registry_v1_ResolveAliasResponse__Output } from '../../../aiaas/registry/v1/ResolveAliasResponse';
import type { SetAliasRequest as _aiaas_registry_v1_SetAliasRequest, SetAliasRequest__Output as _aiaas_registry_v1_SetAliasRequest__Output } from '../../../aiaas/registry/v1/SetAliasRequest';
import type { SetAliasResponse as _aiaas_registry_v1_SetAliasResponse, SetAliasResponse__Output as _aiaas_registry_v1_SetAliasResponse__Output } from '../../../aiaas/registry/v1/SetAliasResponse';
import type { UpdateModelRequest as _aiaas_registry_v1_UpdateModelRequest, UpdateModelRequest__Output as _aiaas_registry_v1_UpdateModelRequest__Output } from '../../../aiaas/registry/v1/UpdateModelRequest';
import type { UpdateModelResponse as _aiaas_registry_v1_UpdateModelResponse, UpdateModelResponse__Output as _aiaas_registry_v1_UpdateModelResponse__Output } from '../../../aiaas/registry/v1/UpdateModelResponse';
import type { UploadVersionRequest as _aiaas_registry_v1_UploadVersionRequest, UploadVersionRequest__Output as _aiaas_registry_v1_UploadVersionRequest__Output } from '../../../aiaas/registry/v1/UploadVersionRequest';
import type { UploadVersionResponse as _aiaas_registry_v1_UploadVersionResponse, UploadVersionResponse__Output as _aiaas_registry_v1_UploadVersionResponse__Output } from '../../../aiaas/registry/v1/UploadVersionResponse';

export interface ModelRegistryClient extends grpc.Client {
  CreateModel(argument: _aiaas_registry_v1_CreateModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  CreateModel(argument: _aiaas_registry_v1_CreateModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  CreateModel(argument: _aiaas_registry_v1_CreateModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  CreateModel(argument: _aiaas_registry_v1_CreateModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _aiaas_registry_v1_CreateModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _aiaas_registry_v1_CreateModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _aiaas_registry_v1_CreateModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  createModel(argument: _aiaas_registry_v1_CreateModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_CreateModelResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  DeleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  deleteAlias(argument: _aiaas_registry_v1_DeleteAliasRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteAliasResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  DeleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  DeleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  DeleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _aiaas_registry_v1_DeleteModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteVersion(argument: _aiaas_registry_v1_DeleteVersionRequest, callback: grpc.requestCallback<_aiaas_registry_v1_DeleteVersionResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Server streaming: the artifact (or a byte range of it) in chunks.
   */
  DownloadVersion(argument: _aiaas_registry_v1_DownloadVersionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_DownloadVersionResponse__Output>;
  DownloadVersion(argument: _aiaas_registry_v1_DownloadVersionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_DownloadVersionResponse__Output>;
  /**
   * Server streaming: the artifact (or a byte range of it) in chunks.
   */
  downloadVersion(argument: _aiaas_registry_v1_DownloadVersionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_DownloadVersionResponse__Output>;
  downloadVersion(argument: _aiaas_registry_v1_DownloadVersionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_aiaas_registry_v1_DownloadVersionResponse__Output>;
  
  GetModel(argument: _aiaas_registry_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _aiaas_registry_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _aiaas_registry_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _aiaas_registry_v1_GetModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _aiaas_registry_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _aiaas_registry_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _aiaas_registry_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _aiaas_registry_v1_GetModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  
  GetVersion(argument: _aiaas_registry_v1_GetVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  GetVersion(argument: _aiaas_registry_v1_GetVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  GetVersion(argument: _aiaas_registry_v1_GetVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  GetVersion(argument: _aiaas_registry_v1_GetVersionRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _aiaas_registry_v1_GetVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _aiaas_registry_v1_GetVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _aiaas_registry_v1_GetVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  getVersion(argument: _aiaas_registry_v1_GetVersionRequest, callback: grpc.requestCallback<_aiaas_registry_v1_GetVersionResponse__Output>): grpc.ClientUnaryCall;
  
  ListAudit(argument: _aiaas_registry_v1_ListAuditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  ListAudit(argument: _aiaas_registry_v1_ListAuditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  ListAudit(argument: _aiaas_registry_v1_ListAuditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  ListAudit(argument: _aiaas_registry_v1_ListAuditRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  listAudit(argument: _aiaas_registry_v1_ListAuditRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  listAudit(argument: _aiaas_registry_v1_ListAuditRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  listAudit(argument: _aiaas_registry_v1_ListAuditRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  listAudit(argument: _aiaas_registry_v1_ListAuditRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListAuditResponse__Output>): grpc.ClientUnaryCall;
  
  ListModels(argument: _aiaas_registry_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _aiaas_registry_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _aiaas_registry_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _aiaas_registry_v1_ListModelsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _aiaas_registry_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _aiaas_registry_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _aiaas_registry_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _aiaas_registry_v1_ListModelsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  ListVersions(argument: _aiaas_registry_v1_ListVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListVersions(argument: _aiaas_registry_v1_ListVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListVersions(argument: _aiaas_registry_v1_ListVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  ListVersions(argument: _aiaas_registry_v1_ListVersionsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _aiaas_registry_v1_ListVersionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _aiaas_registry_v1_ListVersionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _aiaas_registry_v1_ListVersionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  listVersions(argument: _aiaas_registry_v1_ListVersionsRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ListVersionsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * `name@alias` (or `name@3`) to a version.
   */
  ResolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  ResolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  ResolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  ResolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  /**
   * `name@alias` (or `name@3`) to a version.
   */
  resolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  resolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  resolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  resolveAlias(argument: _aiaas_registry_v1_ResolveAliasRequest, callback: grpc.requestCallback<_aiaas_registry_v1_ResolveAliasResponse__Output>): grpc.ClientUnaryCall;
  
  SetAlias(argument: _aiaas_registry_v1_SetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  SetAlias(argument: _aiaas_registry_v1_SetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  SetAlias(argument: _aiaas_registry_v1_SetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  SetAlias(argument: _aiaas_registry_v1_SetAliasRequest, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _aiaas_registry_v1_SetAliasRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _aiaas_registry_v1_SetAliasRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _aiaas_registry_v1_SetAliasRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  setAlias(argument: _aiaas_registry_v1_SetAliasRequest, callback: grpc.requestCallback<_aiaas_registry_v1_SetAliasResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateModel(argument: _aiaas_registry_v1_UpdateModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  UpdateModel(argument: _aiaas_registry_v1_UpdateModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  UpdateModel(argument: _aiaas_registry_v1_UpdateModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  UpdateModel(argument: _aiaas_registry_v1_UpdateModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  updateModel(argument: _aiaas_registry_v1_UpdateModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  updateModel(argument: _aiaas_registry_v1_UpdateModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  updateModel(argument: _aiaas_registry_v1_UpdateModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  updateModel(argument: _aiaas_registry_v1_UpdateModelRequest, callback: grpc.requestCallback<_aiaas_registry_v1_UpdateModelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Client streaming: the first message carries `header` (model name and metadata), every
   * following one a `chunk` of the .onnx bytes, in order. The version exists only once the whole
   * artifact arrived and validated; an aborted upload leaves nothing behind.
   */
  UploadVersion(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  UploadVersion(metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  UploadVersion(options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  UploadVersion(callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  /**
   * Client streaming: the first message carries `header` (model name and metadata), every
   * following one a `chunk` of the .onnx bytes, in order. The version exists only once the whole
   * artifact arrived and validated; an aborted upload leaves nothing behind.
   */
  uploadVersion(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  uploadVersion(metadata: grpc.Metadata, callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  uploadVersion(options: grpc.CallOptions, callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  uploadVersion(callback: grpc.requestCallback<_aiaas_registry_v1_UploadVersionResponse__Output>): grpc.ClientWritableStream<_aiaas_registry_v1_UploadVersionRequest>;
  
}

export interface ModelRegistryHandlers extends grpc.UntypedServiceImplementation {
  CreateModel: grpc.handleUnaryCall<_aiaas_registry_v1_CreateModelRequest__Output, _aiaas_registry_v1_CreateModelResponse>;
  
  DeleteAlias: grpc.handleUnaryCall<_aiaas_registry_v1_DeleteAliasRequest__Output, _aiaas_registry_v1_DeleteAliasResponse>;
  
  DeleteModel: grpc.handleUnaryCall<_aiaas_registry_v1_DeleteModelRequest__Output, _aiaas_registry_v1_DeleteModelResponse>;
  
  DeleteVersion: grpc.handleUnaryCall<_aiaas_registry_v1_DeleteVersionRequest__Output, _aiaas_registry_v1_DeleteVersionResponse>;
  
  /**
   * Server streaming: the artifact (or a byte range of it) in chunks.
   */
  DownloadVersion: grpc.handleServerStreamingCall<_aiaas_registry_v1_DownloadVersionRequest__Output, _aiaas_registry_v1_DownloadVersionResponse>;
  
  GetModel: grpc.handleUnaryCall<_aiaas_registry_v1_GetModelRequest__Output, _aiaas_registry_v1_GetModelResponse>;
  
  GetVersion: grpc.handleUnaryCall<_aiaas_registry_v1_GetVersionRequest__Output, _aiaas_registry_v1_GetVersionResponse>;
  
  ListAudit: grpc.handleUnaryCall<_aiaas_registry_v1_ListAuditRequest__Output, _aiaas_registry_v1_ListAuditResponse>;
  
  ListModels: grpc.handleUnaryCall<_aiaas_registry_v1_ListModelsRequest__Output, _aiaas_registry_v1_ListModelsResponse>;
  
  ListVersions: grpc.handleUnaryCall<_aiaas_registry_v1_ListVersionsRequest__Output, _aiaas_registry_v1_ListVersionsResponse>;
  
  /**
   * `name@alias` (or `name@3`) to a version.
   */
  ResolveAlias: grpc.handleUnaryCall<_aiaas_registry_v1_ResolveAliasRequest__Output, _aiaas_registry_v1_ResolveAliasResponse>;
  
  SetAlias: grpc.handleUnaryCall<_aiaas_registry_v1_SetAliasRequest__Output, _aiaas_registry_v1_SetAliasResponse>;
  
  UpdateModel: grpc.handleUnaryCall<_aiaas_registry_v1_UpdateModelRequest__Output, _aiaas_registry_v1_UpdateModelResponse>;
  
  /**
   * Client streaming: the first message carries `header` (model name and metadata), every
   * following one a `chunk` of the .onnx bytes, in order. The version exists only once the whole
   * artifact arrived and validated; an aborted upload leaves nothing behind.
   */
  UploadVersion: grpc.handleClientStreamingCall<_aiaas_registry_v1_UploadVersionRequest__Output, _aiaas_registry_v1_UploadVersionResponse>;
  
}

export interface ModelRegistryDefinition extends grpc.ServiceDefinition {
  CreateModel: MethodDefinition<_aiaas_registry_v1_CreateModelRequest, _aiaas_registry_v1_CreateModelResponse, _aiaas_registry_v1_CreateModelRequest__Output, _aiaas_registry_v1_CreateModelResponse__Output>
  DeleteAlias: MethodDefinition<_aiaas_registry_v1_DeleteAliasRequest, _aiaas_registry_v1_DeleteAliasResponse, _aiaas_registry_v1_DeleteAliasRequest__Output, _aiaas_registry_v1_DeleteAliasResponse__Output>
  DeleteModel: MethodDefinition<_aiaas_registry_v1_DeleteModelRequest, _aiaas_registry_v1_DeleteModelResponse, _aiaas_registry_v1_DeleteModelRequest__Output, _aiaas_registry_v1_DeleteModelResponse__Output>
  DeleteVersion: MethodDefinition<_aiaas_registry_v1_DeleteVersionRequest, _aiaas_registry_v1_DeleteVersionResponse, _aiaas_registry_v1_DeleteVersionRequest__Output, _aiaas_registry_v1_DeleteVersionResponse__Output>
  DownloadVersion: MethodDefinition<_aiaas_registry_v1_DownloadVersionRequest, _aiaas_registry_v1_DownloadVersionResponse, _aiaas_registry_v1_DownloadVersionRequest__Output, _aiaas_registry_v1_DownloadVersionResponse__Output>
  GetModel: MethodDefinition<_aiaas_registry_v1_GetModelRequest, _aiaas_registry_v1_GetModelResponse, _aiaas_registry_v1_GetModelRequest__Output, _aiaas_registry_v1_GetModelResponse__Output>
  GetVersion: MethodDefinition<_aiaas_registry_v1_GetVersionRequest, _aiaas_registry_v1_GetVersionResponse, _aiaas_registry_v1_GetVersionRequest__Output, _aiaas_registry_v1_GetVersionResponse__Output>
  ListAudit: MethodDefinition<_aiaas_registry_v1_ListAuditRequest, _aiaas_registry_v1_ListAuditResponse, _aiaas_registry_v1_ListAuditRequest__Output, _aiaas_registry_v1_ListAuditResponse__Output>
  ListModels: MethodDefinition<_aiaas_registry_v1_ListModelsRequest, _aiaas_registry_v1_ListModelsResponse, _aiaas_registry_v1_ListModelsRequest__Output, _aiaas_registry_v1_ListModelsResponse__Output>
  ListVersions: MethodDefinition<_aiaas_registry_v1_ListVersionsRequest, _aiaas_registry_v1_ListVersionsResponse, _aiaas_registry_v1_ListVersionsRequest__Output, _aiaas_registry_v1_ListVersionsResponse__Output>
  ResolveAlias: MethodDefinition<_aiaas_registry_v1_ResolveAliasRequest, _aiaas_registry_v1_ResolveAliasResponse, _aiaas_registry_v1_ResolveAliasRequest__Output, _aiaas_registry_v1_ResolveAliasResponse__Output>
  SetAlias: MethodDefinition<_aiaas_registry_v1_SetAliasRequest, _aiaas_registry_v1_SetAliasResponse, _aiaas_registry_v1_SetAliasRequest__Output, _aiaas_registry_v1_SetAliasResponse__Output>
  UpdateModel: MethodDefinition<_aiaas_registry_v1_UpdateModelRequest, _aiaas_registry_v1_UpdateModelResponse, _aiaas_registry_v1_UpdateModelRequest__Output, _aiaas_registry_v1_UpdateModelResponse__Output>
  UploadVersion: MethodDefinition<_aiaas_registry_v1_UploadVersionRequest, _aiaas_registry_v1_UploadVersionResponse, _aiaas_registry_v1_UploadVersionRequest__Output, _aiaas_registry_v1_UploadVersionResponse__Output>
}
