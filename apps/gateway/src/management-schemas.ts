// JSON schemas of the /v1 management routes: fastify validates requests with them, serializes
// answers with them, and @fastify/swagger turns them into /openapi.json. Field names are the
// protos' (snake_case); 64-bit integers are JSON numbers.

const stringMap = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'string → string',
} as const;

/** `{"error": {"code", "message", "details"}}`: every /v1 error. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED, …' },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

export const MODEL_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    tags: stringMap,
    metadata: stringMap,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const tensorSignature = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    datatype: { type: 'string' },
    shape: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const VERSION_SCHEMA = {
  type: 'object',
  properties: {
    model: { type: 'string' },
    version: { type: 'integer' },
    sha256: { type: 'string' },
    size_bytes: { type: 'integer' },
    signature: {
      type: 'object',
      properties: {
        inputs: { type: 'array', items: tensorSignature },
        outputs: { type: 'array', items: tensorSignature },
        ir_version: { type: 'integer' },
        opsets: {
          type: 'array',
          items: { type: 'object', properties: { domain: { type: 'string' }, version: { type: 'integer' } } },
        },
        producer_name: { type: 'string' },
        producer_version: { type: 'string' },
        parameter_count: { type: 'integer' },
      },
    },
    tags: stringMap,
    metadata: stringMap,
    lineage: {
      type: 'object',
      properties: {
        parent_version: { type: 'integer', description: '0 = no parent' },
        job_id: { type: 'string' },
        passes: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, settings: { type: 'object', additionalProperties: true } },
          },
        },
        metrics: { type: 'object', additionalProperties: true },
      },
    },
    aliases: { type: 'array', items: { type: 'string' } },
    created_at: { type: 'string', format: 'date-time' },
    created_by: { type: 'string' },
  },
} as const;

export const ALIAS_SCHEMA = {
  type: 'object',
  properties: {
    model: { type: 'string' },
    alias: { type: 'string' },
    version: { type: 'integer' },
    canary_version: { type: 'integer', description: '0 = no canary' },
    canary_percent: { type: 'integer', description: 'Share (0..100) of `model@alias` traffic to canary_version' },
    updated_at: { type: 'string', format: 'date-time' },
    updated_by: { type: 'string' },
  },
} as const;

const batching = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max_batch_size: { type: 'integer', minimum: 0 },
    max_queue_delay_microseconds: { type: 'integer', minimum: 0 },
    preferred_batch_size: { type: 'array', items: { type: 'integer', minimum: 1 } },
    max_queue_size: { type: 'integer', minimum: 0 },
  },
} as const;

/** The settable fields of a deployment (POST body; PATCH takes any subset of the mutable ones). */
const deploymentSpecProperties = {
  alias: { type: 'string', description: 'Follow this alias (exactly one of alias and version)' },
  version: { type: 'integer', minimum: 1, description: 'Pin this version (exactly one of alias and version)' },
  replicas: { type: 'integer', minimum: 0 },
  batching,
  instance_count: { type: 'integer', minimum: 0, description: 'Model instances per replica; 0 = 1' },
  device: { type: 'string', enum: ['cpu', 'gpu'] },
  memory_estimate_bytes: { type: 'integer', minimum: 0, description: '0 = estimated from the artifact size' },
} as const;

export const DEPLOYMENT_CREATE_SCHEMA = {
  type: 'object',
  required: ['model'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, description: 'Unique per tenant; defaults to the model name' },
    model: { type: 'string', minLength: 1 },
    ...deploymentSpecProperties,
    replicas: { type: 'integer', minimum: 0, default: 1, description: 'Replicas to run; absent or 0 = 1' },
  },
} as const;

export const DEPLOYMENT_UPDATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: deploymentSpecProperties,
} as const;

export const DEPLOYMENT_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    model: { type: 'string' },
    alias: { type: 'string' },
    version: { type: 'integer' },
    replicas: { type: 'integer' },
    batching,
    instance_count: { type: 'integer' },
    device: { type: 'string' },
    memory_estimate_bytes: { type: 'integer' },
    target_version: { type: 'integer', description: 'The version the deployment currently targets' },
    replica_status: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          node_id: { type: 'string' },
          address: { type: 'string' },
          version: { type: 'integer' },
          state: { type: 'string', enum: ['UNSPECIFIED', 'PENDING', 'LOADING', 'READY', 'FAILED', 'UNPLACED'] },
          reason: { type: 'string' },
        },
      },
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const NODE_SCHEMA = {
  type: 'object',
  properties: {
    node_id: { type: 'string' },
    address: { type: 'string' },
    memory_bytes: { type: 'integer' },
    memory_reserved_bytes: { type: 'integer' },
    devices: { type: 'array', items: { type: 'string' } },
    state: { type: 'string', enum: ['UP', 'DOWN'] },
    last_heartbeat_at: { type: 'string' },
    replicas: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          served_name: { type: 'string' },
          version: { type: 'integer' },
          state: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
  },
} as const;

export const MODEL_PARAMS = {
  type: 'object',
  required: ['model'],
  properties: { model: { type: 'string', minLength: 1, description: 'Model name' } },
} as const;

export const VERSION_PARAMS = {
  type: 'object',
  required: ['model', 'version'],
  properties: {
    model: { type: 'string', minLength: 1, description: 'Model name' },
    version: { type: 'integer', minimum: 1, description: 'Version number' },
  },
} as const;

export const ALIAS_PARAMS = {
  type: 'object',
  required: ['model', 'alias'],
  properties: {
    model: { type: 'string', minLength: 1, description: 'Model name' },
    alias: { type: 'string', minLength: 1, description: 'Alias name (production, staging, …)' },
  },
} as const;

export const DEPLOYMENT_PARAMS = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, description: 'Deployment name' } },
} as const;

export const PAGE_QUERY_PROPERTIES = {
  page_size: { type: 'integer', minimum: 0, maximum: 1000, description: 'Default 50' },
  page_token: { type: 'string', description: 'next_page_token of the previous page' },
} as const;

/** Error answers every /v1 route may give, for the OpenAPI document and the serializer. */
export const ERROR_RESPONSES = {
  '4xx': { description: 'Bad request, credentials, scope, not found (also another tenant’s), limits', ...ERROR_SCHEMA },
  '5xx': { description: 'Registry unavailable or internal error', ...ERROR_SCHEMA },
} as const;

/** A 204 answer without a body. */
export const NO_CONTENT = { description: 'Done', type: 'null' } as const;

/** The passes a job may list (the registry checks each one's settings). */
export const JOB_PASS_NAMES = [
  'quantize-int8',
  'fp16',
  'fp16-weights',
  'prune',
  'graph-optimize',
  'benchmark',
] as const;
export const JOB_STATES = ['queued', 'running', 'cancelling', 'completed', 'failed', 'cancelled'] as const;
export const JOB_EVENT_KINDS = [
  'queued',
  'started',
  'pass_started',
  'pass_finished',
  'progress',
  'completed',
  'failed',
  'cancelled',
] as const;

const thresholds = {
  type: 'object',
  additionalProperties: false,
  description: 'What the candidate must meet against the source; absent or 0 = that check is off',
  properties: {
    max_abs_error: { type: 'number', minimum: 0 },
    max_mean_relative_error: { type: 'number', minimum: 0 },
    min_cosine: { type: 'number', minimum: 0, maximum: 1 },
    min_top1_agreement: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;

export const JOB_SUBMIT_SCHEMA = {
  type: 'object',
  required: ['model', 'passes'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1 },
    version: { type: 'integer', minimum: 1, description: 'Source version (at most one of version and alias)' },
    alias: { type: 'string', minLength: 1, description: 'Source alias; neither = the latest version' },
    passes: {
      type: 'array',
      minItems: 1,
      maxItems: 16,
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', enum: JOB_PASS_NAMES },
          settings: { type: 'object', additionalProperties: true },
        },
      },
    },
    thresholds,
    alias_on_success: { type: 'string', minLength: 1, description: 'Point this alias at the new version' },
    priority: { type: 'integer', minimum: 0, maximum: 2_097_152, description: '1 = highest; 0 = default' },
    timeout_seconds: { type: 'integer', minimum: 0, description: 'Whole-job time limit; 0 = the worker’s default' },
    validation_dataset: {
      type: 'object',
      required: ['format', 'content_base64'],
      additionalProperties: false,
      description: 'Inputs to validate the candidate on instead of generated ones',
      properties: {
        format: { type: 'string', enum: ['jsonl', 'npz'] },
        content_base64: { type: 'string', minLength: 1, description: 'The file’s bytes, base64' },
      },
    },
  },
} as const;

export const JOB_EVENT_SCHEMA = {
  type: 'object',
  properties: {
    job_id: { type: 'string' },
    sequence: { type: 'integer', description: 'Position in the job’s event list, from 1 (the SSE `id`)' },
    kind: { type: 'string', enum: JOB_EVENT_KINDS },
    at: { type: 'string', format: 'date-time' },
    pass: { type: 'string' },
    pass_index: { type: 'integer' },
    percent: { type: 'integer' },
    version: { type: 'integer', description: 'completed: the new version' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true, nullable: true },
  },
} as const;

export const JOB_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    tenant: { type: 'string' },
    model: { type: 'string' },
    source_version: { type: 'integer' },
    passes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, settings: { type: 'object', additionalProperties: true } },
      },
    },
    thresholds: { ...thresholds, additionalProperties: true },
    alias_on_success: { type: 'string' },
    priority: { type: 'integer' },
    timeout_seconds: { type: 'integer' },
    validation_dataset: {
      type: 'object',
      nullable: true,
      properties: { format: { type: 'string' }, sha256: { type: 'string' } },
    },
    state: { type: 'string', enum: JOB_STATES },
    result_version: { type: 'integer', description: '0 = none' },
    report: { type: 'object', additionalProperties: true, nullable: true },
    error: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    attempts: { type: 'integer' },
    events: { type: 'array', items: JOB_EVENT_SCHEMA },
  },
} as const;

export const JOB_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, description: 'Job id' } },
} as const;
