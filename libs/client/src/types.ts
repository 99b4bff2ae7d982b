import type { Datatype } from '@aiaas/common';

/**
 * The SDK's public data types. Resources returned by the REST API (models, versions, deployments,
 * jobs, keys, nodes) keep the API's snake_case JSON field names, so `--json` output, the OpenAPI
 * document and these types read the same; the SDK's own options are camelCase.
 */

// ---------------------------------------------------------------------------------------------
// Client options.

/** Options of {@link AiaasClient}. */
export interface AiaasClientOptions {
  /** The gateway's REST base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** An API key (`aiaas_…`). Give either this or `clientId` + `clientSecret`. */
  apiKey?: string;
  /** OAuth2 client id: the SDK fetches a JWT with the client-credentials grant at `POST /oauth/token`. */
  clientId?: string;
  /** OAuth2 client secret, with {@link AiaasClientOptions.clientId}. */
  clientSecret?: string;
  /** Scopes to ask the token endpoint for (default: all the client's scopes). */
  scopes?: readonly string[];
  /**
   * The gateway's gRPC front door, `host:port`. Default: the `url`'s host with the `grpc_port`
   * that `GET /v1/info` reports (asked once, on the first inference call).
   */
  grpcAddress?: string;
  /**
   * Deadline of each call, in milliseconds, unless the call gives its own; retries happen within it.
   * Uploads and downloads have none by default (their size is unbounded), only an idle timeout.
   * @default 30000
   */
  deadlineMs?: number;
  /**
   * How many times a call that failed with UNAVAILABLE (node restarting, gateway unreachable) is
   * retried, with exponential back-off and jitter, within its deadline. 0 disables retries.
   * @default 6
   */
  retries?: number;
  /** First back-off delay, in milliseconds; doubled on each retry, half of it random. @default 100 */
  retryBaseDelayMs?: number;
  /** Largest back-off delay, in milliseconds. @default 2000 */
  retryMaxDelayMs?: number;
  /**
   * gRPC keep-alive ping interval on the inference channel, in milliseconds (detects a dead
   * connection behind a NAT or load balancer while idle). @default 30000
   */
  keepAliveMs?: number;
  /** Use TLS for gRPC. Default: true when `url` is `https:`. */
  grpcTls?: boolean;
  /** Sent as `user-agent` on REST calls. @default `aiaas-client/<version>` */
  userAgent?: string;
}

/** Per-call options shared by every SDK method. */
export interface CallOptions {
  /** This call's deadline in milliseconds (overrides {@link AiaasClientOptions.deadlineMs}). */
  deadlineMs?: number;
  /** Aborts the call; it then rejects with an {@link AiaasError} of code CANCELLED. */
  signal?: AbortSignal;
}

/** Options of calls that may be retried on UNAVAILABLE. */
export interface RetryableCallOptions extends CallOptions {
  /** Retries of this call (overrides {@link AiaasClientOptions.retries}). */
  retries?: number;
}

/** `GET /v1/info`. */
export interface ServerInfo {
  version: string;
  grpc_port: number;
}

// ---------------------------------------------------------------------------------------------
// Inference: tensors.

/** The Open Inference Protocol tensor data types the SDK encodes and decodes. */
export type { Datatype };

/**
 * The JavaScript form of each data type's elements. FP16 and BF16 are their raw 16-bit patterns
 * (convert with {@link fp16BitsToNumber} / {@link numberToFp16Bits}); BYTES outputs are Buffers
 * (read text with {@link tensorStrings}).
 */
export interface TensorDataByDatatype {
  BOOL: boolean[];
  UINT8: Uint8Array;
  UINT16: Uint16Array;
  UINT32: Uint32Array;
  UINT64: BigUint64Array;
  INT8: Int8Array;
  INT16: Int16Array;
  INT32: Int32Array;
  INT64: BigInt64Array;
  FP16: Uint16Array;
  BF16: Uint16Array;
  FP32: Float32Array;
  FP64: Float64Array;
  BYTES: Uint8Array[];
}

/**
 * Element data of an input tensor: a typed array, booleans for BOOL, strings or byte strings for
 * BYTES, or plain numbers (bigints for 64-bit integers) with an explicit `datatype`, converted and
 * range-checked.
 */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | readonly boolean[]
  | readonly (string | Uint8Array)[]
  | readonly number[]
  | readonly bigint[];

/**
 * One input tensor. `datatype` defaults from `data`'s type (Float32Array → FP32, Int32Array →
 * INT32, BigInt64Array → INT64, Uint8Array → UINT8, boolean[] → BOOL, string[] → BYTES, …); give it
 * for FP16/BF16 (Uint16Array raw bits) and where a type is ambiguous.
 */
export interface TensorInput {
  name: string;
  datatype?: Datatype;
  /** Dimensions; their product must equal the element count. */
  shape: readonly number[];
  data: TensorData;
}

/** Inputs as a list, or as a record keyed by input name (in insertion order). */
export type InferInputs = readonly TensorInput[] | Readonly<Record<string, Omit<TensorInput, 'name'>>>;

/** A decoded output tensor: `data`'s type follows `datatype` (narrow on `datatype`). */
export type OutputTensor = {
  [D in Datatype]: { name: string; datatype: D; shape: number[]; data: TensorDataByDatatype[D] };
}[Datatype];

/**
 * Which model to call: `"name"`, `"name@alias"`, `"name:version"`, or an object. Without a version
 * or alias the gateway picks the model's default route.
 */
export type ModelRef = string | { name: string; version?: number | string; alias?: string };

/** A KServe V2 request parameter value. */
export type InferParameterValue = string | number | boolean | bigint;

/** Options of {@link InferenceClient.infer}. */
export interface InferOptions extends RetryableCallOptions {
  /** Outputs to return (default: all of the model's outputs). */
  outputs?: readonly string[];
  /** Request id, echoed in the result. */
  id?: string;
  /** Request parameters (KServe V2 `parameters`). */
  parameters?: Readonly<Record<string, InferParameterValue>>;
}

/** The answer of {@link InferenceClient.infer}. */
export interface InferResult {
  modelName: string;
  modelVersion: string;
  id: string;
  /** Outputs keyed by name, in the order the server sent them. */
  outputs: Record<string, OutputTensor>;
  /** The same outputs as a list, in the server's order. */
  outputList: OutputTensor[];
  parameters: Record<string, InferParameterValue>;
}

/** Tensor metadata of {@link ModelMetadata}: -1 marks a variable dimension. */
export interface TensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

/** KServe V2 model metadata. */
export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}

/**
 * A cumulative count and duration (Triton's StatisticDuration). Numbers, not bigints: the
 * server's uint64 counters pass 2^53 only after ~104 days of summed nanoseconds, and then lose
 * sub-nanosecond precision only.
 */
export interface StatisticDuration {
  count: number;
  /** Total duration in nanoseconds. */
  ns: number;
}

/** Cumulative inference statistics of a model version (Triton's InferStatistics). */
export interface InferStatistics {
  /** Successful requests and their total time on the server. */
  success: StatisticDuration;
  /** Failed requests. */
  fail: StatisticDuration;
  /** Time requests waited in the scheduler's queue. */
  queue: StatisticDuration;
  /** Preparing input tensors, per request. */
  computeInput: StatisticDuration;
  /** Running the model, per request. */
  computeInfer: StatisticDuration;
  /** Extracting output tensors, per request. */
  computeOutput: StatisticDuration;
}

/** Compute statistics of the executions of one batch size (counted per execution, not per request). */
export interface BatchStatistics {
  batchSize: number;
  computeInput: StatisticDuration;
  computeInfer: StatisticDuration;
  computeOutput: StatisticDuration;
}

/**
 * The answer of {@link InferenceClient.modelStatistics}: a version's cumulative statistics summed
 * over every ready replica behind the gateway. Take two and subtract for a time window.
 */
export interface ModelStatistics {
  name: string;
  /** The version the statistics are of (the alias's or the default route's, when not given). */
  version: string;
  /** When the last inference finished, ms since the epoch (0 = never). */
  lastInference: number;
  /** Successful inferences, each row of a batched request counted. */
  inferenceCount: number;
  /** Model executions (a dynamically batched one counts once). */
  executionCount: number;
  inferenceStats: InferStatistics;
  /** By batch size, ascending. */
  batchStats: BatchStatistics[];
}

// ---------------------------------------------------------------------------------------------
// REST resources (snake_case, as the API returns them).

/** A page of a list, and the token of the next one ("" at the end). */
export interface PageOptions extends CallOptions {
  page_size?: number;
  page_token?: string;
}

export interface Model {
  name: string;
  description: string;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface ModelPage {
  models: Model[];
  next_page_token: string;
}

export interface ListModelsOptions extends PageOptions {
  /** Only models with this tag, `key=value`. */
  tag?: string;
  name_prefix?: string;
}

export interface CreateModelRequest {
  name: string;
  description?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
}

export interface UpdateModelRequest {
  description?: string;
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
}

export interface TensorSignature {
  name: string;
  datatype: string;
  /** Dimensions as strings; symbolic ones by name, unknown ones as "-1". */
  shape: string[];
}

export interface VersionSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  ir_version: number;
  opsets: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  parameter_count: number;
}

export interface VersionLineage {
  /** 0 = no parent. */
  parent_version: number;
  job_id: string;
  passes: { name: string; settings: Record<string, unknown> }[];
  metrics: Record<string, unknown>;
}

export interface Version {
  model: string;
  version: number;
  sha256: string;
  size_bytes: number;
  signature?: VersionSignature;
  tags: Record<string, string>;
  metadata: Record<string, string>;
  lineage?: VersionLineage;
  aliases: string[];
  created_at: string;
  created_by: string;
}

export interface VersionPage {
  versions: Version[];
  next_page_token: string;
}

export interface Alias {
  model: string;
  alias: string;
  version: number;
  /** 0 = no canary. */
  canary_version?: number;
  canary_percent?: number;
  updated_at: string;
  updated_by: string;
}

/** Where an alias points, optionally with a canary share of its traffic. */
export interface SetAliasOptions extends CallOptions {
  canary_version?: number;
  /** 0..100: the share of the alias's traffic sent to `canary_version`. */
  canary_percent?: number;
}

/** Progress of an upload or download. */
export interface TransferProgress {
  /** Bytes written to (upload) or read from (download) the connection so far. */
  bytes: number;
  /** The whole size when known. */
  totalBytes?: number;
}

/** Options of {@link ModelsClient.upload}. */
export interface UploadOptions extends CallOptions {
  tags?: Record<string, string>;
  metadata?: Record<string, string>;
  /**
   * The artifact's size, sent as content-length so the gateway can refuse an oversized one
   * before it is sent; known by itself for a file path or bytes, needed for a stream to show a total.
   */
  sizeBytes?: number;
  /** Create the model first when it does not exist. @default false */
  createModel?: boolean;
  /** Called as bytes leave (throttled to about every 64 KiB and at the end). */
  onProgress?: (progress: TransferProgress) => void;
}

/** Options of {@link ModelsClient.download}. */
export interface DownloadOptions extends CallOptions {
  onProgress?: (progress: TransferProgress) => void;
}

/** What {@link ModelsClient.download} wrote. */
export interface DownloadResult {
  bytes: number;
  /** The artifact's sha256 (hex) the gateway reported; the SDK checks the received bytes against it. */
  sha256: string;
}

export interface BatchingSpec {
  max_batch_size?: number;
  max_queue_delay_microseconds?: number;
  preferred_batch_size?: number[];
  max_queue_size?: number;
}

/** The settable fields of a deployment; exactly one of `alias` and `version` on create. */
export interface DeploymentSpec {
  alias?: string;
  version?: number;
  replicas?: number;
  batching?: BatchingSpec;
  instance_count?: number;
  device?: 'cpu' | 'gpu';
  memory_estimate_bytes?: number;
}

export interface CreateDeploymentRequest extends DeploymentSpec {
  model: string;
  /** Unique per tenant; defaults to the model name. */
  name?: string;
}

export type ReplicaState = 'UNSPECIFIED' | 'PENDING' | 'LOADING' | 'READY' | 'FAILED' | 'UNPLACED';

export interface ReplicaStatus {
  node_id: string;
  address: string;
  version: number;
  state: ReplicaState;
  reason: string;
}

export interface Deployment {
  name: string;
  model: string;
  alias: string;
  version: number;
  replicas: number;
  batching?: Required<BatchingSpec>;
  instance_count: number;
  device: string;
  memory_estimate_bytes: number;
  /** The version the deployment currently targets. */
  target_version: number;
  replica_status: ReplicaStatus[];
  created_at: string;
  updated_at: string;
}

export interface DeploymentPage {
  deployments: Deployment[];
  next_page_token: string;
}

export interface ListDeploymentsOptions extends PageOptions {
  /** Only this model's deployments. */
  model?: string;
}

/** Options of {@link DeploymentsClient.waitReady}. */
export interface WaitReadyOptions extends CallOptions {
  /** Replicas that must be READY on the target version. Default: the deployment's `replicas`. */
  minReady?: number;
  /** Poll interval in milliseconds. @default 250 */
  pollMs?: number;
}

export interface NodeReplica {
  served_name: string;
  version: number;
  state: string;
  reason: string;
}

export interface InferenceNode {
  node_id: string;
  address: string;
  memory_bytes: number;
  memory_reserved_bytes: number;
  devices: string[];
  state: 'UP' | 'DOWN';
  last_heartbeat_at: string;
  replicas: NodeReplica[];
}

// Keys and OAuth clients.

export interface ApiKey {
  id: string;
  tenant: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at?: string;
  revoked_at?: string;
  last_used_at?: string;
}

/** The creation answer: the secret `key` appears here only. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export interface CreateKeyRequest {
  /** Default: the caller's tenant. */
  tenant?: string;
  name?: string;
  /** A list, or one space-separated string: `infer`, `models:read`, `models:write`, `deploy`, `jobs:read`, `jobs:write`, `admin`. */
  scopes: readonly string[] | string;
  /** ISO 8601. */
  expires_at?: string;
}

export interface OAuthClient {
  client_id: string;
  tenant: string;
  name: string;
  scopes: string[];
  created_at: string;
  revoked_at?: string;
}

/** The creation answer: `client_secret` appears here only. */
export interface CreatedOAuthClient extends OAuthClient {
  client_secret: string;
}

export interface CreateOAuthClientRequest {
  tenant?: string;
  name?: string;
  scopes: readonly string[] | string;
}

// Jobs.

export type JobPassName = 'quantize-int8' | 'fp16' | 'fp16-weights' | 'prune' | 'graph-optimize' | 'benchmark';

export interface JobPass {
  name: JobPassName | (string & {});
  settings?: Record<string, unknown>;
}

export interface JobThresholds {
  max_abs_error?: number;
  max_mean_relative_error?: number;
  min_cosine?: number;
  min_top1_agreement?: number;
}

/** A validation data set: give `content` (bytes, base64-encoded by the SDK) or `content_base64`. */
export interface ValidationDataset {
  format: 'jsonl' | 'npz';
  content?: Uint8Array;
  content_base64?: string;
}

export interface SubmitJobRequest {
  model: string;
  version?: number;
  alias?: string;
  passes: readonly JobPass[];
  thresholds?: JobThresholds;
  /** Point this alias at the result when the job succeeds. */
  alias_on_success?: string;
  priority?: number;
  timeout_seconds?: number;
  validation_dataset?: ValidationDataset;
}

export type JobState = 'queued' | 'running' | 'cancelling' | 'completed' | 'failed' | 'cancelled';

export type JobEventKind =
  'queued' | 'started' | 'pass_started' | 'pass_finished' | 'progress' | 'completed' | 'failed' | 'cancelled';

export interface JobEvent {
  job_id: string;
  sequence: number;
  kind: JobEventKind;
  at: string;
  pass: string;
  pass_index: number;
  percent: number;
  version: number;
  message: string;
  details: Record<string, unknown> | null;
}

export interface Job {
  id: string;
  tenant: string;
  model: string;
  source_version: number;
  passes: { name: string; settings: Record<string, unknown> }[];
  thresholds: JobThresholds;
  alias_on_success: string;
  priority: number;
  state: JobState;
  /** 0 = none. */
  result_version: number;
  report: Record<string, unknown> | null;
  error: string;
  created_at: string;
  updated_at: string;
  attempts: number;
  events: JobEvent[];
}

export interface JobPage {
  jobs: Job[];
  next_page_token: string;
}

export interface ListJobsOptions extends PageOptions {
  model?: string;
  state?: JobState;
}

/** Options of {@link JobsClient.watch}. */
export interface WatchOptions {
  /** Resume after this event sequence (events up to it are not replayed). */
  afterSequence?: number;
  /** Ends the stream (the iterator returns). */
  signal?: AbortSignal;
  /**
   * How many times in a row a broken stream is reopened (with `Last-Event-ID`) before the watch
   * fails; any event received resets the count. @default 10
   */
  reconnects?: number;
}
