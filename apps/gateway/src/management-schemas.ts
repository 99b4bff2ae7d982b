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
