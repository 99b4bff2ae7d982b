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
