import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Alias as _aiaas_registry_v1_Alias, Alias__Output as _aiaas_registry_v1_Alias__Output } from './aiaas/registry/v1/Alias';
import type { AuditEntry as _aiaas_registry_v1_AuditEntry, AuditEntry__Output as _aiaas_registry_v1_AuditEntry__Output } from './aiaas/registry/v1/AuditEntry';
import type { CancelJobRequest as _aiaas_registry_v1_CancelJobRequest, CancelJobRequest__Output as _aiaas_registry_v1_CancelJobRequest__Output } from './aiaas/registry/v1/CancelJobRequest';
import type { CancelJobResponse as _aiaas_registry_v1_CancelJobResponse, CancelJobResponse__Output as _aiaas_registry_v1_CancelJobResponse__Output } from './aiaas/registry/v1/CancelJobResponse';
import type { CreateModelRequest as _aiaas_registry_v1_CreateModelRequest, CreateModelRequest__Output as _aiaas_registry_v1_CreateModelRequest__Output } from './aiaas/registry/v1/CreateModelRequest';
import type { CreateModelResponse as _aiaas_registry_v1_CreateModelResponse, CreateModelResponse__Output as _aiaas_registry_v1_CreateModelResponse__Output } from './aiaas/registry/v1/CreateModelResponse';
import type { DeleteAliasRequest as _aiaas_registry_v1_DeleteAliasRequest, DeleteAliasRequest__Output as _aiaas_registry_v1_DeleteAliasRequest__Output } from './aiaas/registry/v1/DeleteAliasRequest';
import type { DeleteAliasResponse as _aiaas_registry_v1_DeleteAliasResponse, DeleteAliasResponse__Output as _aiaas_registry_v1_DeleteAliasResponse__Output } from './aiaas/registry/v1/DeleteAliasResponse';
import type { DeleteModelRequest as _aiaas_registry_v1_DeleteModelRequest, DeleteModelRequest__Output as _aiaas_registry_v1_DeleteModelRequest__Output } from './aiaas/registry/v1/DeleteModelRequest';
import type { DeleteModelResponse as _aiaas_registry_v1_DeleteModelResponse, DeleteModelResponse__Output as _aiaas_registry_v1_DeleteModelResponse__Output } from './aiaas/registry/v1/DeleteModelResponse';
import type { DeleteVersionRequest as _aiaas_registry_v1_DeleteVersionRequest, DeleteVersionRequest__Output as _aiaas_registry_v1_DeleteVersionRequest__Output } from './aiaas/registry/v1/DeleteVersionRequest';
import type { DeleteVersionResponse as _aiaas_registry_v1_DeleteVersionResponse, DeleteVersionResponse__Output as _aiaas_registry_v1_DeleteVersionResponse__Output } from './aiaas/registry/v1/DeleteVersionResponse';
import type { DownloadVersionRequest as _aiaas_registry_v1_DownloadVersionRequest, DownloadVersionRequest__Output as _aiaas_registry_v1_DownloadVersionRequest__Output } from './aiaas/registry/v1/DownloadVersionRequest';
import type { DownloadVersionResponse as _aiaas_registry_v1_DownloadVersionResponse, DownloadVersionResponse__Output as _aiaas_registry_v1_DownloadVersionResponse__Output } from './aiaas/registry/v1/DownloadVersionResponse';
import type { GetJobDatasetRequest as _aiaas_registry_v1_GetJobDatasetRequest, GetJobDatasetRequest__Output as _aiaas_registry_v1_GetJobDatasetRequest__Output } from './aiaas/registry/v1/GetJobDatasetRequest';
import type { GetJobDatasetResponse as _aiaas_registry_v1_GetJobDatasetResponse, GetJobDatasetResponse__Output as _aiaas_registry_v1_GetJobDatasetResponse__Output } from './aiaas/registry/v1/GetJobDatasetResponse';
import type { GetJobRequest as _aiaas_registry_v1_GetJobRequest, GetJobRequest__Output as _aiaas_registry_v1_GetJobRequest__Output } from './aiaas/registry/v1/GetJobRequest';
import type { GetJobResponse as _aiaas_registry_v1_GetJobResponse, GetJobResponse__Output as _aiaas_registry_v1_GetJobResponse__Output } from './aiaas/registry/v1/GetJobResponse';
import type { GetModelRequest as _aiaas_registry_v1_GetModelRequest, GetModelRequest__Output as _aiaas_registry_v1_GetModelRequest__Output } from './aiaas/registry/v1/GetModelRequest';
import type { GetModelResponse as _aiaas_registry_v1_GetModelResponse, GetModelResponse__Output as _aiaas_registry_v1_GetModelResponse__Output } from './aiaas/registry/v1/GetModelResponse';
import type { GetVersionRequest as _aiaas_registry_v1_GetVersionRequest, GetVersionRequest__Output as _aiaas_registry_v1_GetVersionRequest__Output } from './aiaas/registry/v1/GetVersionRequest';
import type { GetVersionResponse as _aiaas_registry_v1_GetVersionResponse, GetVersionResponse__Output as _aiaas_registry_v1_GetVersionResponse__Output } from './aiaas/registry/v1/GetVersionResponse';
import type { Job as _aiaas_registry_v1_Job, Job__Output as _aiaas_registry_v1_Job__Output } from './aiaas/registry/v1/Job';
import type { JobEvent as _aiaas_registry_v1_JobEvent, JobEvent__Output as _aiaas_registry_v1_JobEvent__Output } from './aiaas/registry/v1/JobEvent';
import type { JobsClient as _aiaas_registry_v1_JobsClient, JobsDefinition as _aiaas_registry_v1_JobsDefinition } from './aiaas/registry/v1/Jobs';
import type { Lineage as _aiaas_registry_v1_Lineage, Lineage__Output as _aiaas_registry_v1_Lineage__Output } from './aiaas/registry/v1/Lineage';
import type { ListAuditRequest as _aiaas_registry_v1_ListAuditRequest, ListAuditRequest__Output as _aiaas_registry_v1_ListAuditRequest__Output } from './aiaas/registry/v1/ListAuditRequest';
import type { ListAuditResponse as _aiaas_registry_v1_ListAuditResponse, ListAuditResponse__Output as _aiaas_registry_v1_ListAuditResponse__Output } from './aiaas/registry/v1/ListAuditResponse';
import type { ListJobsRequest as _aiaas_registry_v1_ListJobsRequest, ListJobsRequest__Output as _aiaas_registry_v1_ListJobsRequest__Output } from './aiaas/registry/v1/ListJobsRequest';
import type { ListJobsResponse as _aiaas_registry_v1_ListJobsResponse, ListJobsResponse__Output as _aiaas_registry_v1_ListJobsResponse__Output } from './aiaas/registry/v1/ListJobsResponse';
import type { ListModelsRequest as _aiaas_registry_v1_ListModelsRequest, ListModelsRequest__Output as _aiaas_registry_v1_ListModelsRequest__Output } from './aiaas/registry/v1/ListModelsRequest';
import type { ListModelsResponse as _aiaas_registry_v1_ListModelsResponse, ListModelsResponse__Output as _aiaas_registry_v1_ListModelsResponse__Output } from './aiaas/registry/v1/ListModelsResponse';
import type { ListVersionsRequest as _aiaas_registry_v1_ListVersionsRequest, ListVersionsRequest__Output as _aiaas_registry_v1_ListVersionsRequest__Output } from './aiaas/registry/v1/ListVersionsRequest';
import type { ListVersionsResponse as _aiaas_registry_v1_ListVersionsResponse, ListVersionsResponse__Output as _aiaas_registry_v1_ListVersionsResponse__Output } from './aiaas/registry/v1/ListVersionsResponse';
import type { Model as _aiaas_registry_v1_Model, Model__Output as _aiaas_registry_v1_Model__Output } from './aiaas/registry/v1/Model';
import type { ModelRegistryClient as _aiaas_registry_v1_ModelRegistryClient, ModelRegistryDefinition as _aiaas_registry_v1_ModelRegistryDefinition } from './aiaas/registry/v1/ModelRegistry';
import type { Opset as _aiaas_registry_v1_Opset, Opset__Output as _aiaas_registry_v1_Opset__Output } from './aiaas/registry/v1/Opset';
import type { Pass as _aiaas_registry_v1_Pass, Pass__Output as _aiaas_registry_v1_Pass__Output } from './aiaas/registry/v1/Pass';
import type { ReportJobEventRequest as _aiaas_registry_v1_ReportJobEventRequest, ReportJobEventRequest__Output as _aiaas_registry_v1_ReportJobEventRequest__Output } from './aiaas/registry/v1/ReportJobEventRequest';
import type { ReportJobEventResponse as _aiaas_registry_v1_ReportJobEventResponse, ReportJobEventResponse__Output as _aiaas_registry_v1_ReportJobEventResponse__Output } from './aiaas/registry/v1/ReportJobEventResponse';
import type { ResolveAliasRequest as _aiaas_registry_v1_ResolveAliasRequest, ResolveAliasRequest__Output as _aiaas_registry_v1_ResolveAliasRequest__Output } from './aiaas/registry/v1/ResolveAliasRequest';
import type { ResolveAliasResponse as _aiaas_registry_v1_ResolveAliasResponse, ResolveAliasResponse__Output as _aiaas_registry_v1_ResolveAliasResponse__Output } from './aiaas/registry/v1/ResolveAliasResponse';
import type { SetAliasRequest as _aiaas_registry_v1_SetAliasRequest, SetAliasRequest__Output as _aiaas_registry_v1_SetAliasRequest__Output } from './aiaas/registry/v1/SetAliasRequest';
import type { SetAliasResponse as _aiaas_registry_v1_SetAliasResponse, SetAliasResponse__Output as _aiaas_registry_v1_SetAliasResponse__Output } from './aiaas/registry/v1/SetAliasResponse';
import type { Signature as _aiaas_registry_v1_Signature, Signature__Output as _aiaas_registry_v1_Signature__Output } from './aiaas/registry/v1/Signature';
import type { SubmitJobRequest as _aiaas_registry_v1_SubmitJobRequest, SubmitJobRequest__Output as _aiaas_registry_v1_SubmitJobRequest__Output } from './aiaas/registry/v1/SubmitJobRequest';
import type { SubmitJobResponse as _aiaas_registry_v1_SubmitJobResponse, SubmitJobResponse__Output as _aiaas_registry_v1_SubmitJobResponse__Output } from './aiaas/registry/v1/SubmitJobResponse';
import type { TensorSignature as _aiaas_registry_v1_TensorSignature, TensorSignature__Output as _aiaas_registry_v1_TensorSignature__Output } from './aiaas/registry/v1/TensorSignature';
import type { UpdateModelRequest as _aiaas_registry_v1_UpdateModelRequest, UpdateModelRequest__Output as _aiaas_registry_v1_UpdateModelRequest__Output } from './aiaas/registry/v1/UpdateModelRequest';
import type { UpdateModelResponse as _aiaas_registry_v1_UpdateModelResponse, UpdateModelResponse__Output as _aiaas_registry_v1_UpdateModelResponse__Output } from './aiaas/registry/v1/UpdateModelResponse';
import type { UploadVersionHeader as _aiaas_registry_v1_UploadVersionHeader, UploadVersionHeader__Output as _aiaas_registry_v1_UploadVersionHeader__Output } from './aiaas/registry/v1/UploadVersionHeader';
import type { UploadVersionRequest as _aiaas_registry_v1_UploadVersionRequest, UploadVersionRequest__Output as _aiaas_registry_v1_UploadVersionRequest__Output } from './aiaas/registry/v1/UploadVersionRequest';
import type { UploadVersionResponse as _aiaas_registry_v1_UploadVersionResponse, UploadVersionResponse__Output as _aiaas_registry_v1_UploadVersionResponse__Output } from './aiaas/registry/v1/UploadVersionResponse';
import type { ValidationDataset as _aiaas_registry_v1_ValidationDataset, ValidationDataset__Output as _aiaas_registry_v1_ValidationDataset__Output } from './aiaas/registry/v1/ValidationDataset';
import type { ValidationThresholds as _aiaas_registry_v1_ValidationThresholds, ValidationThresholds__Output as _aiaas_registry_v1_ValidationThresholds__Output } from './aiaas/registry/v1/ValidationThresholds';
import type { Version as _aiaas_registry_v1_Version, Version__Output as _aiaas_registry_v1_Version__Output } from './aiaas/registry/v1/Version';
import type { WatchJobRequest as _aiaas_registry_v1_WatchJobRequest, WatchJobRequest__Output as _aiaas_registry_v1_WatchJobRequest__Output } from './aiaas/registry/v1/WatchJobRequest';
import type { WatchJobResponse as _aiaas_registry_v1_WatchJobResponse, WatchJobResponse__Output as _aiaas_registry_v1_WatchJobResponse__Output } from './aiaas/registry/v1/WatchJobResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  aiaas: {
    registry: {
      v1: {
        Alias: MessageTypeDefinition<_aiaas_registry_v1_Alias, _aiaas_registry_v1_Alias__Output>
        AuditEntry: MessageTypeDefinition<_aiaas_registry_v1_AuditEntry, _aiaas_registry_v1_AuditEntry__Output>
        CancelJobRequest: MessageTypeDefinition<_aiaas_registry_v1_CancelJobRequest, _aiaas_registry_v1_CancelJobRequest__Output>
        CancelJobResponse: MessageTypeDefinition<_aiaas_registry_v1_CancelJobResponse, _aiaas_registry_v1_CancelJobResponse__Output>
        CreateModelRequest: MessageTypeDefinition<_aiaas_registry_v1_CreateModelRequest, _aiaas_registry_v1_CreateModelRequest__Output>
        CreateModelResponse: MessageTypeDefinition<_aiaas_registry_v1_CreateModelResponse, _aiaas_registry_v1_CreateModelResponse__Output>
        DeleteAliasRequest: MessageTypeDefinition<_aiaas_registry_v1_DeleteAliasRequest, _aiaas_registry_v1_DeleteAliasRequest__Output>
        DeleteAliasResponse: MessageTypeDefinition<_aiaas_registry_v1_DeleteAliasResponse, _aiaas_registry_v1_DeleteAliasResponse__Output>
        DeleteModelRequest: MessageTypeDefinition<_aiaas_registry_v1_DeleteModelRequest, _aiaas_registry_v1_DeleteModelRequest__Output>
        DeleteModelResponse: MessageTypeDefinition<_aiaas_registry_v1_DeleteModelResponse, _aiaas_registry_v1_DeleteModelResponse__Output>
        DeleteVersionRequest: MessageTypeDefinition<_aiaas_registry_v1_DeleteVersionRequest, _aiaas_registry_v1_DeleteVersionRequest__Output>
        DeleteVersionResponse: MessageTypeDefinition<_aiaas_registry_v1_DeleteVersionResponse, _aiaas_registry_v1_DeleteVersionResponse__Output>
        DownloadVersionRequest: MessageTypeDefinition<_aiaas_registry_v1_DownloadVersionRequest, _aiaas_registry_v1_DownloadVersionRequest__Output>
        DownloadVersionResponse: MessageTypeDefinition<_aiaas_registry_v1_DownloadVersionResponse, _aiaas_registry_v1_DownloadVersionResponse__Output>
        GetJobDatasetRequest: MessageTypeDefinition<_aiaas_registry_v1_GetJobDatasetRequest, _aiaas_registry_v1_GetJobDatasetRequest__Output>
        GetJobDatasetResponse: MessageTypeDefinition<_aiaas_registry_v1_GetJobDatasetResponse, _aiaas_registry_v1_GetJobDatasetResponse__Output>
        GetJobRequest: MessageTypeDefinition<_aiaas_registry_v1_GetJobRequest, _aiaas_registry_v1_GetJobRequest__Output>
        GetJobResponse: MessageTypeDefinition<_aiaas_registry_v1_GetJobResponse, _aiaas_registry_v1_GetJobResponse__Output>
        GetModelRequest: MessageTypeDefinition<_aiaas_registry_v1_GetModelRequest, _aiaas_registry_v1_GetModelRequest__Output>
        GetModelResponse: MessageTypeDefinition<_aiaas_registry_v1_GetModelResponse, _aiaas_registry_v1_GetModelResponse__Output>
        GetVersionRequest: MessageTypeDefinition<_aiaas_registry_v1_GetVersionRequest, _aiaas_registry_v1_GetVersionRequest__Output>
        GetVersionResponse: MessageTypeDefinition<_aiaas_registry_v1_GetVersionResponse, _aiaas_registry_v1_GetVersionResponse__Output>
        Job: MessageTypeDefinition<_aiaas_registry_v1_Job, _aiaas_registry_v1_Job__Output>
        JobEvent: MessageTypeDefinition<_aiaas_registry_v1_JobEvent, _aiaas_registry_v1_JobEvent__Output>
        JobEventKind: EnumTypeDefinition
        JobState: EnumTypeDefinition
        Jobs: SubtypeConstructor<typeof grpc.Client, _aiaas_registry_v1_JobsClient> & { service: _aiaas_registry_v1_JobsDefinition }
        Lineage: MessageTypeDefinition<_aiaas_registry_v1_Lineage, _aiaas_registry_v1_Lineage__Output>
        ListAuditRequest: MessageTypeDefinition<_aiaas_registry_v1_ListAuditRequest, _aiaas_registry_v1_ListAuditRequest__Output>
        ListAuditResponse: MessageTypeDefinition<_aiaas_registry_v1_ListAuditResponse, _aiaas_registry_v1_ListAuditResponse__Output>
        ListJobsRequest: MessageTypeDefinition<_aiaas_registry_v1_ListJobsRequest, _aiaas_registry_v1_ListJobsRequest__Output>
        ListJobsResponse: MessageTypeDefinition<_aiaas_registry_v1_ListJobsResponse, _aiaas_registry_v1_ListJobsResponse__Output>
        ListModelsRequest: MessageTypeDefinition<_aiaas_registry_v1_ListModelsRequest, _aiaas_registry_v1_ListModelsRequest__Output>
        ListModelsResponse: MessageTypeDefinition<_aiaas_registry_v1_ListModelsResponse, _aiaas_registry_v1_ListModelsResponse__Output>
        ListVersionsRequest: MessageTypeDefinition<_aiaas_registry_v1_ListVersionsRequest, _aiaas_registry_v1_ListVersionsRequest__Output>
        ListVersionsResponse: MessageTypeDefinition<_aiaas_registry_v1_ListVersionsResponse, _aiaas_registry_v1_ListVersionsResponse__Output>
        Model: MessageTypeDefinition<_aiaas_registry_v1_Model, _aiaas_registry_v1_Model__Output>
        ModelRegistry: SubtypeConstructor<typeof grpc.Client, _aiaas_registry_v1_ModelRegistryClient> & { service: _aiaas_registry_v1_ModelRegistryDefinition }
        Opset: MessageTypeDefinition<_aiaas_registry_v1_Opset, _aiaas_registry_v1_Opset__Output>
        Pass: MessageTypeDefinition<_aiaas_registry_v1_Pass, _aiaas_registry_v1_Pass__Output>
        ReportJobEventRequest: MessageTypeDefinition<_aiaas_registry_v1_ReportJobEventRequest, _aiaas_registry_v1_ReportJobEventRequest__Output>
        ReportJobEventResponse: MessageTypeDefinition<_aiaas_registry_v1_ReportJobEventResponse, _aiaas_registry_v1_ReportJobEventResponse__Output>
        ResolveAliasRequest: MessageTypeDefinition<_aiaas_registry_v1_ResolveAliasRequest, _aiaas_registry_v1_ResolveAliasRequest__Output>
        ResolveAliasResponse: MessageTypeDefinition<_aiaas_registry_v1_ResolveAliasResponse, _aiaas_registry_v1_ResolveAliasResponse__Output>
        SetAliasRequest: MessageTypeDefinition<_aiaas_registry_v1_SetAliasRequest, _aiaas_registry_v1_SetAliasRequest__Output>
        SetAliasResponse: MessageTypeDefinition<_aiaas_registry_v1_SetAliasResponse, _aiaas_registry_v1_SetAliasResponse__Output>
        Signature: MessageTypeDefinition<_aiaas_registry_v1_Signature, _aiaas_registry_v1_Signature__Output>
        SubmitJobRequest: MessageTypeDefinition<_aiaas_registry_v1_SubmitJobRequest, _aiaas_registry_v1_SubmitJobRequest__Output>
        SubmitJobResponse: MessageTypeDefinition<_aiaas_registry_v1_SubmitJobResponse, _aiaas_registry_v1_SubmitJobResponse__Output>
        TensorSignature: MessageTypeDefinition<_aiaas_registry_v1_TensorSignature, _aiaas_registry_v1_TensorSignature__Output>
        UpdateModelRequest: MessageTypeDefinition<_aiaas_registry_v1_UpdateModelRequest, _aiaas_registry_v1_UpdateModelRequest__Output>
        UpdateModelResponse: MessageTypeDefinition<_aiaas_registry_v1_UpdateModelResponse, _aiaas_registry_v1_UpdateModelResponse__Output>
        UploadVersionHeader: MessageTypeDefinition<_aiaas_registry_v1_UploadVersionHeader, _aiaas_registry_v1_UploadVersionHeader__Output>
        UploadVersionRequest: MessageTypeDefinition<_aiaas_registry_v1_UploadVersionRequest, _aiaas_registry_v1_UploadVersionRequest__Output>
        UploadVersionResponse: MessageTypeDefinition<_aiaas_registry_v1_UploadVersionResponse, _aiaas_registry_v1_UploadVersionResponse__Output>
        ValidationDataset: MessageTypeDefinition<_aiaas_registry_v1_ValidationDataset, _aiaas_registry_v1_ValidationDataset__Output>
        ValidationThresholds: MessageTypeDefinition<_aiaas_registry_v1_ValidationThresholds, _aiaas_registry_v1_ValidationThresholds__Output>
        Version: MessageTypeDefinition<_aiaas_registry_v1_Version, _aiaas_registry_v1_Version__Output>
        WatchJobRequest: MessageTypeDefinition<_aiaas_registry_v1_WatchJobRequest, _aiaas_registry_v1_WatchJobRequest__Output>
        WatchJobResponse: MessageTypeDefinition<_aiaas_registry_v1_WatchJobResponse, _aiaas_registry_v1_WatchJobResponse__Output>
      }
    }
  }
}

