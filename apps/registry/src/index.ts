export { createDatabase, dialectOf, migrateToLatest, SQLITE_FILE_NAME } from './database';
export type {
  DatabaseOptions,
  DialectName,
  RegistryDb,
  RegistryTables,
  ModelsTable,
  VersionsTable,
  AliasesTable,
  AuditTable,
  BlobsTable,
} from './database';
export { registryMigrations } from './migrations';
export { FileBlobStore } from './blob-store';
export type { BlobStore, BlobLimits, StagedBlob, ByteRange, SweepResult } from './blob-store';
export { ModelStore, SYSTEM_CLOCK, DEFAULT_MAX_ARTIFACT_BYTES } from './model-store';
export type {
  Caller,
  Clock,
  ModelStoreOptions,
  ModelRecord,
  VersionRecord,
  VersionLineage,
  VersionPass,
  AliasRecord,
  AuditRecord,
  CreateModelRequest,
  UpdateModelRequest,
  ListModelsRequest,
  CreateVersionRequest,
  ListVersionsRequest,
  PageRequest,
} from './model-store';
export { KeyedMutex } from './keyed-mutex';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-token';
export {
  checkModelName,
  checkAliasName,
  unsafeExternalLocation,
  MAX_TAGS,
  MAX_TAG_VALUE_LENGTH,
  MAX_METADATA_ENTRIES,
  MAX_DESCRIPTION_LENGTH,
} from './validation';
export type { JsonValue } from './validation';
export { createRegistryHandlers, DEFAULT_DOWNLOAD_CHUNK_BYTES } from './registry-service';
export type { RegistryChangeEvent, RegistryHandlersOptions } from './registry-service';
export { RegistryMetrics } from './registry-metrics';
export type { UploadOutcome } from './registry-metrics';
export {
  toModelMessage,
  toVersionMessage,
  toSignatureMessage,
  toAliasMessage,
  toAuditMessage,
} from './registry-mapping';
export { loadRegistryConfig, REGISTRY_CONFIG_SCHEMA } from './config';
export type { RegistryConfig } from './config';
export { startRegistry, MODEL_REGISTRY_SERVICE_NAME, DEPLOYMENT_SERVICE_NAMES, JOBS_SERVICE_NAME } from './server';
export type { RunningRegistry } from './server';
export { createDeploymentServices } from './deployments-service';
export type { DeploymentServices, DeploymentServicesOptions } from './deployments-service';
export { JobStore, TERMINAL_JOB_STATES } from './job-store';
export type {
  JobRecord,
  JobEventRecord,
  JobStateName,
  JobEventKindName,
  JobThresholds,
  JobTables,
  CreateJobRequest,
} from './job-store';
export { checkJobPasses, JOB_PASS_NAMES, JOB_PASS_SETTINGS, TEST_PASS_NAMES, MAX_JOB_PASSES } from './job-passes';
export type { JobPass } from './job-passes';
export { BullJobQueue, OPTIMIZE_QUEUE_NAME, optimizeJobData } from './job-queue';
export type { JobQueue, OptimizeJobData, BullJobQueueOptions } from './job-queue';
export { createJobsService, toJobMessage, toJobEventMessage, JOBS_NEED_REDIS_MESSAGE } from './jobs-service';
export type { JobsService, JobsServiceOptions } from './jobs-service';
