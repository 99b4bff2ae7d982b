/**
 * `@aiaas/proto`: the Open Inference Protocol (`inference` package) loaded at runtime with
 * `@grpc/proto-loader`, and the TypeScript types generated from the same protos
 * (`src/generated/`, regenerated with `npm run generate -w @aiaas/proto`).
 *
 * Message types come in two shapes, as `proto-loader-gen-types` emits them: `X` is what you may
 * send (optional fields, 64-bit integers as number | string | Long) and `X__Output` is what you
 * receive (defaults filled in, 64-bit integers as decimal strings, enums as names).
 *
 * @packageDocumentation
 */

export {
  INFERENCE_PROTO_FILE,
  INFERENCE_SERVICE_NAME,
  PROTO_LOADER_OPTIONS,
  ProtoDirNotFoundError,
  findProtoDir,
  loadInferencePackage,
  loadInferencePackageDefinition,
} from './load-inference-package';

export type { ProtoGrpcType } from './generated/inference';
export type {
  GRPCInferenceServiceClient,
  GRPCInferenceServiceDefinition,
  GRPCInferenceServiceHandlers,
} from './generated/inference/GRPCInferenceService';

// Health and metadata.
export type {
  ServerLiveRequest,
  ServerLiveRequest__Output,
} from './generated/inference/ServerLiveRequest';
export type {
  ServerLiveResponse,
  ServerLiveResponse__Output,
} from './generated/inference/ServerLiveResponse';
export type {
  ServerReadyRequest,
  ServerReadyRequest__Output,
} from './generated/inference/ServerReadyRequest';
export type {
  ServerReadyResponse,
  ServerReadyResponse__Output,
} from './generated/inference/ServerReadyResponse';
export type {
  ModelReadyRequest,
  ModelReadyRequest__Output,
} from './generated/inference/ModelReadyRequest';
export type {
  ModelReadyResponse,
  ModelReadyResponse__Output,
} from './generated/inference/ModelReadyResponse';
export type {
  ServerMetadataRequest,
  ServerMetadataRequest__Output,
} from './generated/inference/ServerMetadataRequest';
export type {
  ServerMetadataResponse,
  ServerMetadataResponse__Output,
} from './generated/inference/ServerMetadataResponse';
export type {
  ModelMetadataRequest,
  ModelMetadataRequest__Output,
} from './generated/inference/ModelMetadataRequest';
export type {
  ModelMetadataResponse,
  ModelMetadataResponse__Output,
  _inference_ModelMetadataResponse_TensorMetadata as TensorMetadata,
  _inference_ModelMetadataResponse_TensorMetadata__Output as TensorMetadata__Output,
} from './generated/inference/ModelMetadataResponse';

// Inference.
export type { InferParameter, InferParameter__Output } from './generated/inference/InferParameter';
export type {
  InferTensorContents,
  InferTensorContents__Output,
} from './generated/inference/InferTensorContents';
export type {
  ModelInferRequest,
  ModelInferRequest__Output,
  _inference_ModelInferRequest_InferInputTensor as InferInputTensor,
  _inference_ModelInferRequest_InferInputTensor__Output as InferInputTensor__Output,
  _inference_ModelInferRequest_InferRequestedOutputTensor as InferRequestedOutputTensor,
  _inference_ModelInferRequest_InferRequestedOutputTensor__Output as InferRequestedOutputTensor__Output,
} from './generated/inference/ModelInferRequest';
export type {
  ModelInferResponse,
  ModelInferResponse__Output,
  _inference_ModelInferResponse_InferOutputTensor as InferOutputTensor,
  _inference_ModelInferResponse_InferOutputTensor__Output as InferOutputTensor__Output,
} from './generated/inference/ModelInferResponse';
export type {
  ModelStreamInferResponse,
  ModelStreamInferResponse__Output,
} from './generated/inference/ModelStreamInferResponse';

// Model configuration.
export type {
  ModelConfigRequest,
  ModelConfigRequest__Output,
} from './generated/inference/ModelConfigRequest';
export type {
  ModelConfigResponse,
  ModelConfigResponse__Output,
} from './generated/inference/ModelConfigResponse';
export type { ModelConfig, ModelConfig__Output } from './generated/inference/ModelConfig';
export { DataType } from './generated/inference/DataType';
export type { DataType__Output } from './generated/inference/DataType';
export type { ModelInput, ModelInput__Output } from './generated/inference/ModelInput';
export { _inference_ModelInput_Format as ModelInputFormat } from './generated/inference/ModelInput';
export type { _inference_ModelInput_Format__Output as ModelInputFormat__Output } from './generated/inference/ModelInput';
export type { ModelOutput, ModelOutput__Output } from './generated/inference/ModelOutput';
export type {
  ModelTensorReshape,
  ModelTensorReshape__Output,
} from './generated/inference/ModelTensorReshape';
export type {
  ModelInstanceGroup,
  ModelInstanceGroup__Output,
} from './generated/inference/ModelInstanceGroup';
export { _inference_ModelInstanceGroup_Kind as ModelInstanceGroupKind } from './generated/inference/ModelInstanceGroup';
export type { _inference_ModelInstanceGroup_Kind__Output as ModelInstanceGroupKind__Output } from './generated/inference/ModelInstanceGroup';
export type {
  ModelVersionPolicy,
  ModelVersionPolicy__Output,
} from './generated/inference/ModelVersionPolicy';
export type {
  ModelDynamicBatching,
  ModelDynamicBatching__Output,
} from './generated/inference/ModelDynamicBatching';
export type {
  ModelQueuePolicy,
  ModelQueuePolicy__Output,
} from './generated/inference/ModelQueuePolicy';
export { _inference_ModelQueuePolicy_TimeoutAction as TimeoutAction } from './generated/inference/ModelQueuePolicy';
export type { _inference_ModelQueuePolicy_TimeoutAction__Output as TimeoutAction__Output } from './generated/inference/ModelQueuePolicy';
export type { ModelParameter, ModelParameter__Output } from './generated/inference/ModelParameter';
export type { ModelWarmup, ModelWarmup__Output } from './generated/inference/ModelWarmup';
export type {
  ModelTransactionPolicy,
  ModelTransactionPolicy__Output,
} from './generated/inference/ModelTransactionPolicy';

// Statistics.
export type {
  ModelStatisticsRequest,
  ModelStatisticsRequest__Output,
} from './generated/inference/ModelStatisticsRequest';
export type {
  ModelStatisticsResponse,
  ModelStatisticsResponse__Output,
} from './generated/inference/ModelStatisticsResponse';
export type {
  ModelStatistics,
  ModelStatistics__Output,
} from './generated/inference/ModelStatistics';
export type {
  StatisticDuration,
  StatisticDuration__Output,
} from './generated/inference/StatisticDuration';
export type {
  InferStatistics,
  InferStatistics__Output,
} from './generated/inference/InferStatistics';
export type {
  InferBatchStatistics,
  InferBatchStatistics__Output,
} from './generated/inference/InferBatchStatistics';
export type {
  InferResponseStatistics,
  InferResponseStatistics__Output,
} from './generated/inference/InferResponseStatistics';
export type { MemoryUsage, MemoryUsage__Output } from './generated/inference/MemoryUsage';

// Model repository.
export type {
  ModelRepositoryParameter,
  ModelRepositoryParameter__Output,
} from './generated/inference/ModelRepositoryParameter';
export type {
  RepositoryIndexRequest,
  RepositoryIndexRequest__Output,
} from './generated/inference/RepositoryIndexRequest';
export type {
  RepositoryIndexResponse,
  RepositoryIndexResponse__Output,
  _inference_RepositoryIndexResponse_ModelIndex as ModelIndex,
  _inference_RepositoryIndexResponse_ModelIndex__Output as ModelIndex__Output,
} from './generated/inference/RepositoryIndexResponse';
export type {
  RepositoryModelLoadRequest,
  RepositoryModelLoadRequest__Output,
} from './generated/inference/RepositoryModelLoadRequest';
export type {
  RepositoryModelLoadResponse,
  RepositoryModelLoadResponse__Output,
} from './generated/inference/RepositoryModelLoadResponse';
export type {
  RepositoryModelUnloadRequest,
  RepositoryModelUnloadRequest__Output,
} from './generated/inference/RepositoryModelUnloadRequest';
export type {
  RepositoryModelUnloadResponse,
  RepositoryModelUnloadResponse__Output,
} from './generated/inference/RepositoryModelUnloadResponse';

// The registry's services (package aiaas.registry.v1): every message type, enum and service type.
export { REGISTRY_PROTO_FILES, loadRegistryPackage, loadRegistryPackageDefinition } from './load-inference-package';
export type { RegistryGrpcType } from './load-inference-package';
// registry-types.ts is generated and lists every name explicitly.
export * from './registry-types';
