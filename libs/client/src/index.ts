/**
 * `@aiaas/client`: the typed TypeScript SDK of the aiaas platform. `new AiaasClient({ url, apiKey })`
 * gives `client.inference` (KServe V2 over gRPC, tensors as typed arrays with shapes) and
 * `client.models` / `deployments` / `jobs` / `keys` / `nodes` over the REST API. Every failure is an
 * {@link AiaasError} whose `code` is the platform's error kind, whatever the transport.
 *
 * @packageDocumentation
 */

export { AiaasClient, CLIENT_VERSION } from './client';
export { InferenceClient } from './inference-client';
export { ModelsClient } from './models-client';
export { DeploymentsClient } from './deployments-client';
export { JobsClient, TERMINAL_JOB_EVENTS } from './jobs-client';
export { KeysClient } from './keys-client';
export { NodesClient } from './nodes-client';
export { AiaasError, isAiaasError, fromGrpcError, fromHttpError } from './errors';
export type { AiaasErrorSource } from './errors';
export { parseModelRef, formatModelRef } from './model-ref';
export type { ResolvedModelRef } from './model-ref';
export { DATATYPES, datatypeOf, tensorStrings } from './tensors';
export { parseServerSentEvents } from './sse';
export type { ServerSentEvent } from './sse';
// The module itself, not @aiaas/v2-rest's index: that one loads @aiaas/onnx and onnxruntime-node.
export { numberToFp16Bits, fp16BitsToNumber, numberToBf16Bits, bf16BitsToNumber } from '../../v2-rest/src/minifloat';
export type { ErrorCode } from '@aiaas/common';
export type {
  AiaasClientOptions,
  CallOptions,
  RetryableCallOptions,
  ServerInfo,
  Datatype,
  TensorDataByDatatype,
  TensorData,
  TensorInput,
  InferInputs,
  OutputTensor,
  ModelRef,
  InferParameterValue,
  InferOptions,
  InferResult,
  TensorMetadata,
  ModelMetadata,
  StatisticDuration,
  InferStatistics,
  BatchStatistics,
  ModelStatistics,
  PageOptions,
  Model,
  ModelPage,
  ListModelsOptions,
  CreateModelRequest,
  UpdateModelRequest,
  TensorSignature,
  VersionSignature,
  VersionLineage,
  Version,
  VersionPage,
  Alias,
  SetAliasOptions,
  TransferProgress,
  UploadOptions,
  DownloadOptions,
  DownloadResult,
  BatchingSpec,
  DeploymentSpec,
  CreateDeploymentRequest,
  ReplicaState,
  ReplicaStatus,
  Deployment,
  DeploymentPage,
  ListDeploymentsOptions,
  WaitReadyOptions,
  NodeReplica,
  InferenceNode,
  ApiKey,
  CreatedApiKey,
  CreateKeyRequest,
  OAuthClient,
  CreatedOAuthClient,
  CreateOAuthClientRequest,
  JobPassName,
  JobPass,
  JobThresholds,
  ValidationDataset,
  SubmitJobRequest,
  JobState,
  JobEventKind,
  JobEvent,
  Job,
  JobPage,
  ListJobsOptions,
  WatchOptions,
} from './types';
