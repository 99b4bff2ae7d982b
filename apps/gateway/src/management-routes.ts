import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { ClientReadableStream, ClientWritableStream } from '@grpc/grpc-js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError, PayloadTooLargeError, fromServiceError, writeWithBackPressure } from '@aiaas/common';
import type {
  Alias__Output,
  Deployment,
  Deployment__Output,
  DownloadVersionResponse__Output,
  Model__Output,
  Node__Output,
  UploadVersionRequest,
  UploadVersionResponse__Output,
  Version__Output,
} from '@aiaas/proto';
import type { Principal, Scope } from './auth/scopes';
import type { Gateway } from './gateway';
import {
  ALIAS_PARAMS,
  ALIAS_SCHEMA,
  DEPLOYMENT_CREATE_SCHEMA,
  DEPLOYMENT_PARAMS,
  DEPLOYMENT_SCHEMA,
  DEPLOYMENT_UPDATE_SCHEMA,
  ERROR_RESPONSES,
  MODEL_PARAMS,
  MODEL_SCHEMA,
  NO_CONTENT,
  NODE_SCHEMA,
  PAGE_QUERY_PROPERTIES,
  VERSION_PARAMS,
  VERSION_SCHEMA,
} from './management-schemas';
import { registerJobRoutes } from './jobs-routes';
import type { JobRoutesDeps } from './jobs-routes';
import { isServiceError } from './registry-clients';
import type { RegistryClients } from './registry-clients';

/** Dependencies of {@link registerManagementRoutes}. */
export interface ManagementRoutesDeps {
  gateway: Pick<Gateway, 'authorize'>;
  registry: RegistryClients;
  /** Deadline of each unary registry call (REST carries none). */
  restTimeoutMs: number;
  /** Largest artifact `POST /v1/models/{m}/versions` takes; bigger → 413. */
  maxUploadBytes: number;
  /** Told when a `/v1/jobs/{id}/events` stream opens (+1) and closes (-1). */
  onEventStream?: JobRoutesDeps['onEventStream'];
}

/** Largest UploadVersion chunk sent to the registry: far under gRPC's 4 MiB message cap. */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

const principals = new WeakMap<FastifyRequest, Principal>();

/**
 * The `/v1` management API over the registry's gRPC services, acting for the authenticated
 * principal's tenant: models, versions (streamed upload and download), aliases, deployments,
 * nodes and jobs (jobs-routes.ts). Each route declares its scope, and its params/query/body/response as JSON schemas (they
 * validate, serialize and feed /openapi.json). Credentials and scope are checked in `onRequest`,
 * before any body is read. Registry errors go through `fromServiceError` and the one REST error
 * writer, so another tenant's model answers the same 404 as a missing one (the registry does not
 * tell them apart).
 *
 * Register it in its own plugin scope: it installs its own content-type parsers (JSON for the
 * JSON routes, a pass-through stream for the artifact upload).
 */
export function registerManagementRoutes(app: FastifyInstance, deps: ManagementRoutesDeps): void {
  const { registry } = deps;
  const deadline = (): number => Date.now() + deps.restTimeoutMs;
  const auth =
    (scope: Scope) =>
    async (request: FastifyRequest): Promise<void> => {
      principals.set(request, await deps.gateway.authorize(request.headers.authorization, scope));
    };
  const principalOf = (request: FastifyRequest): Principal => {
    const principal = principals.get(request);
    if (principal === undefined) throw new Error('management route without an onRequest auth hook');
    return principal;
  };
  const meta = (request: FastifyRequest) => registry.metadata(principalOf(request));
  const tags = (...names: string[]) => names;

  // --- JSON routes: models, versions metadata, aliases, deployments, nodes.
  void app.register(async (json) => {
    json.removeAllContentTypeParsers();
    json.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (err) {
        done(new InvalidArgumentError(`request body: malformed JSON (${(err as Error).message})`), undefined);
      }
    });

    registerJobRoutes(json, {
      gateway: deps.gateway,
      registry,
      restTimeoutMs: deps.restTimeoutMs,
      onEventStream: deps.onEventStream,
    });

    // Models.
    json.get<{ Querystring: { page_size?: number; page_token?: string; tag?: string; name_prefix?: string } }>(
      '/v1/models',
      {
        onRequest: auth('models:read'),
        schema: {
          summary: 'List the tenant’s models',
          tags: tags('models'),
          querystring: {
            type: 'object',
            properties: {
              ...PAGE_QUERY_PROPERTIES,
              tag: { type: 'string', description: 'Only models with this tag, `key=value`' },
              name_prefix: { type: 'string' },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: { models: { type: 'array', items: MODEL_SCHEMA }, next_page_token: { type: 'string' } },
            },
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { page_size = 0, page_token = '', tag = '', name_prefix = '' } = request.query;
        const page = await registry.model(
          'ListModels',
          { page_size, page_token, tag, name_prefix },
          meta(request),
          deadline(),
        );
        return { models: page.models.map(modelJson), next_page_token: page.next_page_token };
      },
    );

    json.post<{
      Body: { name: string; description?: string; tags?: Record<string, string>; metadata?: Record<string, string> };
    }>(
      '/v1/models',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Create a model',
          tags: tags('models'),
          body: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1 },
              description: { type: 'string' },
              tags: { type: 'object', additionalProperties: { type: 'string' } },
              metadata: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          response: { 201: MODEL_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { model } = await registry.model('CreateModel', request.body, meta(request), deadline());
        return reply.code(201).send(modelJson(required(model, 'model')));
      },
    );

    json.get<{ Params: { model: string } }>(
      '/v1/models/:model',
      {
        onRequest: auth('models:read'),
        schema: {
          summary: 'Get a model',
          tags: tags('models'),
          params: MODEL_PARAMS,
          response: { 200: MODEL_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { model } = await registry.model('GetModel', { name: request.params.model }, meta(request), deadline());
        return modelJson(required(model, 'model'));
      },
    );

    json.patch<{
      Params: { model: string };
      Body: { description?: string; tags?: Record<string, string>; metadata?: Record<string, string> };
    }>(
      '/v1/models/:model',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Replace a model’s description, tags or metadata (the fields given)',
          tags: tags('models'),
          params: MODEL_PARAMS,
          body: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: {
              description: { type: 'string' },
              tags: { type: 'object', additionalProperties: { type: 'string' } },
              metadata: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
          response: { 200: MODEL_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const body = request.body;
        const { model } = await registry.model(
          'UpdateModel',
          { name: request.params.model, update_mask: Object.keys(body), ...body },
          meta(request),
          deadline(),
        );
        return modelJson(required(model, 'model'));
      },
    );

    json.delete<{ Params: { model: string } }>(
      '/v1/models/:model',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Delete a model, its versions and aliases',
          tags: tags('models'),
          params: MODEL_PARAMS,
          response: { 204: NO_CONTENT, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await registry.model('DeleteModel', { name: request.params.model }, meta(request), deadline());
        return reply.code(204).send();
      },
    );

    // Versions (metadata; upload and download are below).
    json.get<{ Params: { model: string }; Querystring: { page_size?: number; page_token?: string } }>(
      '/v1/models/:model/versions',
      {
        onRequest: auth('models:read'),
        schema: {
          summary: 'List a model’s versions',
          tags: tags('versions'),
          params: MODEL_PARAMS,
          querystring: { type: 'object', properties: PAGE_QUERY_PROPERTIES },
          response: {
            200: {
              type: 'object',
              properties: { versions: { type: 'array', items: VERSION_SCHEMA }, next_page_token: { type: 'string' } },
            },
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { page_size = 0, page_token = '' } = request.query;
        const page = await registry.model(
          'ListVersions',
          { model: request.params.model, page_size, page_token },
          meta(request),
          deadline(),
        );
        return { versions: page.versions.map(versionJson), next_page_token: page.next_page_token };
      },
    );

    json.get<{ Params: { model: string; version: number } }>(
      '/v1/models/:model/versions/:version',
      {
        onRequest: auth('models:read'),
        schema: {
          summary: 'Get a version: signature, size, sha256, lineage, aliases',
          tags: tags('versions'),
          params: VERSION_PARAMS,
          response: { 200: VERSION_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { version } = await registry.model(
          'GetVersion',
          { model: request.params.model, version: request.params.version },
          meta(request),
          deadline(),
        );
        return versionJson(required(version, 'version'));
      },
    );

    json.delete<{ Params: { model: string; version: number } }>(
      '/v1/models/:model/versions/:version',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Delete a version',
          tags: tags('versions'),
          params: VERSION_PARAMS,
          response: { 204: NO_CONTENT, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await registry.model(
          'DeleteVersion',
          { model: request.params.model, version: request.params.version },
          meta(request),
          deadline(),
        );
        return reply.code(204).send();
      },
    );

    // Aliases.
    json.put<{
      Params: { model: string; alias: string };
      Body: { version: number; canary_version?: number; canary_percent?: number };
    }>(
      '/v1/models/:model/aliases/:alias',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Point an alias at a version (deployments following it roll over), optionally with a canary',
          description:
            '`canary_percent` % of `model@alias` inference goes to `canary_version` while that version has ready ' +
            'replicas (deploy it pinned); the rest to `version`. Setting the alias without a canary removes one.',
          tags: tags('aliases'),
          params: ALIAS_PARAMS,
          body: {
            type: 'object',
            required: ['version'],
            additionalProperties: false,
            properties: {
              version: { type: 'integer', minimum: 1 },
              canary_version: { type: 'integer', minimum: 0, description: 'Another version; 0 or absent = no canary' },
              canary_percent: { type: 'integer', minimum: 0, maximum: 100, description: 'Its share of traffic' },
            },
          },
          response: { 200: ALIAS_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { alias } = await registry.model(
          'SetAlias',
          {
            model: request.params.model,
            alias: request.params.alias,
            version: request.body.version,
            canary_version: request.body.canary_version ?? 0,
            canary_percent: request.body.canary_percent ?? 0,
          },
          meta(request),
          deadline(),
        );
        return aliasJson(required(alias, 'alias'));
      },
    );

    json.delete<{ Params: { model: string; alias: string } }>(
      '/v1/models/:model/aliases/:alias',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Delete an alias',
          tags: tags('aliases'),
          params: ALIAS_PARAMS,
          response: { 204: NO_CONTENT, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await registry.model(
          'DeleteAlias',
          { model: request.params.model, alias: request.params.alias },
          meta(request),
          deadline(),
        );
        return reply.code(204).send();
      },
    );

    // Deployments (deploy scope for reads too: they show placement across the tenant's nodes).
    json.post<{ Body: Deployment }>(
      '/v1/deployments',
      {
        onRequest: auth('deploy'),
        schema: {
          summary: 'Create a deployment (desired state: model + alias or version, replicas, batching, device)',
          tags: tags('deployments'),
          body: DEPLOYMENT_CREATE_SCHEMA,
          response: { 201: DEPLOYMENT_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { deployment } = await registry.deployment(
          'CreateDeployment',
          { deployment: request.body },
          meta(request),
          deadline(),
        );
        return reply.code(201).send(deploymentJson(required(deployment, 'deployment')));
      },
    );

    json.get<{ Querystring: { page_size?: number; page_token?: string; model?: string } }>(
      '/v1/deployments',
      {
        onRequest: auth('deploy'),
        schema: {
          summary: 'List the tenant’s deployments',
          tags: tags('deployments'),
          querystring: {
            type: 'object',
            properties: { ...PAGE_QUERY_PROPERTIES, model: { type: 'string', description: 'Only this model’s' } },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                deployments: { type: 'array', items: DEPLOYMENT_SCHEMA },
                next_page_token: { type: 'string' },
              },
            },
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) => {
        const { page_size = 0, page_token = '', model = '' } = request.query;
        const page = await registry.deployment(
          'ListDeployments',
          { page_size, page_token, model },
          meta(request),
          deadline(),
        );
        return { deployments: page.deployments.map(deploymentJson), next_page_token: page.next_page_token };
      },
    );

    json.get<{ Params: { name: string } }>(
      '/v1/deployments/:name',
      {
        onRequest: auth('deploy'),
        schema: {
          summary: 'Get a deployment and the state of its replicas',
          tags: tags('deployments'),
          params: DEPLOYMENT_PARAMS,
          response: { 200: DEPLOYMENT_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { deployment } = await registry.deployment(
          'GetDeployment',
          { name: request.params.name },
          meta(request),
          deadline(),
        );
        return deploymentJson(required(deployment, 'deployment'));
      },
    );

    json.patch<{ Params: { name: string }; Body: Deployment }>(
      '/v1/deployments/:name',
      {
        onRequest: auth('deploy'),
        schema: {
          summary: 'Change a deployment (the fields given)',
          tags: tags('deployments'),
          params: DEPLOYMENT_PARAMS,
          body: DEPLOYMENT_UPDATE_SCHEMA,
          response: { 200: DEPLOYMENT_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { deployment } = await registry.deployment(
          'UpdateDeployment',
          { deployment: { ...request.body, name: request.params.name }, update_mask: Object.keys(request.body) },
          meta(request),
          deadline(),
        );
        return deploymentJson(required(deployment, 'deployment'));
      },
    );

    json.delete<{ Params: { name: string } }>(
      '/v1/deployments/:name',
      {
        onRequest: auth('deploy'),
        schema: {
          summary: 'Delete a deployment (its replicas are unloaded)',
          tags: tags('deployments'),
          params: DEPLOYMENT_PARAMS,
          response: { 204: NO_CONTENT, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await registry.deployment('DeleteDeployment', { name: request.params.name }, meta(request), deadline());
        return reply.code(204).send();
      },
    );

    // Nodes: every tenant's replicas are on them, so admin only; an internal registry call.
    json.get(
      '/v1/nodes',
      {
        onRequest: auth('admin'),
        schema: {
          summary: 'List inference nodes, their memory and replicas (admin)',
          tags: tags('nodes'),
          response: {
            200: { type: 'object', properties: { nodes: { type: 'array', items: NODE_SCHEMA } } },
            ...ERROR_RESPONSES,
          },
        },
      },
      async () => {
        const { nodes } = await registry.node('ListNodes', {}, registry.metadata(undefined), deadline());
        return { nodes: nodes.map(nodeJson) };
      },
    );

    // Download: DownloadVersion streamed to the response, pulled as the client reads.
    json.get<{ Params: { model: string; version: number } }>(
      '/v1/models/:model/versions/:version/artifact',
      {
        onRequest: auth('models:read'),
        schema: {
          summary: 'Download a version’s .onnx artifact (streamed)',
          tags: tags('versions'),
          params: VERSION_PARAMS,
          produces: ['application/octet-stream'],
          response: {
            200: {
              description: 'The .onnx bytes; `x-aiaas-sha256` and `etag` carry the sha256',
              type: 'string',
              format: 'binary',
            },
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const { model, version } = request.params;
        const call = registry.models.DownloadVersion({ model, version }, meta(request));
        return sendDownload(call, reply, `${model}-${version}.onnx`);
      },
    );
  });

  // --- Upload: the request body is NOT parsed; it is piped to UploadVersion as it arrives.
  void app.register(async (upload) => {
    upload.removeAllContentTypeParsers();
    upload.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    upload.post<{ Params: { model: string }; Querystring: { tag?: string[]; metadata?: string[] } }>(
      '/v1/models/:model/versions',
      {
        onRequest: auth('models:write'),
        schema: {
          summary: 'Upload a new version: the .onnx bytes as a streamed application/octet-stream body',
          description:
            'The body is streamed to the registry with back-pressure, never held whole. Tags and metadata ' +
            'come as repeatable `key=value` query parameters. The version exists once the whole artifact ' +
            'arrived and validated.',
          tags: tags('versions'),
          params: MODEL_PARAMS,
          querystring: {
            type: 'object',
            properties: {
              tag: { type: 'array', items: { type: 'string' }, description: '`key=value`, repeatable' },
              metadata: { type: 'array', items: { type: 'string' }, description: '`key=value`, repeatable' },
            },
          },
          consumes: ['application/octet-stream'],
          body: { description: 'The ONNX model file' },
          response: { 201: VERSION_SCHEMA, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        try {
          const version = await streamUpload(request, {
            registry,
            metadata: meta(request),
            maxUploadBytes: deps.maxUploadBytes,
          });
          return reply.code(201).send(versionJson(version));
        } catch (err) {
          if (!request.raw.readableEnded) hangUpAfterAnswer(request, reply);
          throw err;
        }
      },
    );
  });
}

/**
 * For an answer given before the body was read to its end (413, a registry error): the rest of
 * the body is never read, so the connection cannot carry another request. Say so
 * (`connection: close`) and hang up once the answer is written, rather than leave a half-read
 * request holding the socket (and the gateway's shutdown) open.
 */
function hangUpAfterAnswer(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('connection', 'close');
  // The response's socket: the request's own reference may already be gone (a destroyed body).
  const socket = reply.raw.socket ?? request.raw.socket;
  if (socket === null) return;
  reply.raw.once('finish', () => socket.destroySoon());
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) socket.destroy();
  });
}

/**
 * Pipes the request body into UploadVersion: header first, then the body in chunks of at most
 * 1 MiB, each written only when grpc-js has room ('drain'), and the next read only then (the
 * async iterator pauses the socket meanwhile), so memory stays flat whatever the artifact's size.
 */
async function streamUpload(
  request: FastifyRequest<{ Params: { model: string }; Querystring: { tag?: string[]; metadata?: string[] } }>,
  options: { registry: RegistryClients; metadata: ReturnType<RegistryClients['metadata']>; maxUploadBytes: number },
): Promise<Version__Output> {
  const { maxUploadBytes } = options;
  const lengthHeader = request.headers['content-length'];
  const declared = lengthHeader === undefined ? undefined : Number(lengthHeader);
  const tooLarge = (size: string) =>
    new PayloadTooLargeError(
      `request body too large: the limit for POST /v1/models/{model}/versions is ${maxUploadBytes} bytes, got ${size}`,
    );
  if (declared !== undefined && declared > maxUploadBytes) throw tooLarge(`${declared} bytes`);
  const header = {
    model: request.params.model,
    tags: keyValues(request.query.tag, 'tag'),
    metadata: keyValues(request.query.metadata, 'metadata'),
    expected_size_bytes: declared ?? 0,
  };
  const body = request.body as IncomingMessage | undefined;

  let call!: ClientWritableStream<UploadVersionRequest>;
  const answer = new Promise<UploadVersionResponse__Output>((resolve, reject) => {
    call = options.registry.models.UploadVersion(options.metadata, (err, response) =>
      err ? reject(fromServiceError(err)) : resolve(response as UploadVersionResponse__Output),
    );
  });
  // The registry may answer (an error) before it read everything: stop writing then.
  let answered = false;
  answer.then(
    () => (answered = true),
    () => (answered = true),
  );
  try {
    await writeWithBackPressure(call, { header });
    let received = 0;
    if (body !== undefined) {
      for await (const data of body as AsyncIterable<Buffer>) {
        if (answered) break;
        received += data.length;
        if (received > maxUploadBytes) throw tooLarge(`more`);
        for (let at = 0; at < data.length && !answered; at += UPLOAD_CHUNK_BYTES)
          await writeWithBackPressure(call, {
            chunk: data.subarray(at, Math.min(at + UPLOAD_CHUNK_BYTES, data.length)),
          });
      }
    }
    if (!answered && declared !== undefined && received !== declared) {
      throw new InvalidArgumentError(`request body: content-length says ${declared} bytes, got ${received}`);
    }
  } catch (err) {
    // Nothing may be registered from a partial body: cancelling the call makes the registry drop it.
    call.cancel();
    await answer.catch(() => undefined);
    throw err;
  }
  call.end();
  const response = await answer;
  return required(response.version, 'version');
}

/**
 * Waits for the first DownloadVersion message (so a NOT_FOUND is still a 404, not a broken 200),
 * then streams the rest: `Readable.from` asks for the next message only when the socket took the
 * previous chunk, and grpc-js stops reading from HTTP/2 while its own buffer is full.
 */
async function sendDownload(
  call: ClientReadableStream<DownloadVersionResponse__Output>,
  reply: FastifyReply,
  filename: string,
): Promise<FastifyReply> {
  const messages = (call as AsyncIterable<DownloadVersionResponse__Output>)[Symbol.asyncIterator]();
  let first: IteratorResult<DownloadVersionResponse__Output>;
  try {
    first = await messages.next();
  } catch (err) {
    throw isServiceError(err) ? fromServiceError(err) : err;
  }
  // The client went away: stop the registry's stream too.
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) call.cancel();
  });
  const firstMessage = first.done === true ? undefined : first.value;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (firstMessage !== undefined) {
        yield firstMessage.chunk;
        for (;;) {
          const next = await messages.next();
          if (next.done === true) return;
          yield next.value.chunk;
        }
      }
    } finally {
      call.cancel();
    }
  }
  void reply
    .code(200)
    .header('content-type', 'application/octet-stream')
    .header('content-disposition', `attachment; filename="${filename.replace(/[^\w.@-]/g, '_')}"`);
  if (firstMessage !== undefined) {
    void reply
      .header('content-length', firstMessage.size_bytes)
      .header('x-aiaas-sha256', firstMessage.sha256)
      .header('etag', `"sha256:${firstMessage.sha256}"`);
  }
  return reply.send(Readable.from(chunks(), { objectMode: false }));
}

function keyValues(pairs: readonly string[] | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`query "${name}": expected key=value, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`the registry answered without ${what}`);
  return value;
}

const int = (value: string | number | undefined): number => Number(value ?? 0);

function parseJsonObject(text: string): Record<string, unknown> {
  if (text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function modelJson(model: Model__Output): Record<string, unknown> {
  return { ...model };
}

function versionJson(version: Version__Output): Record<string, unknown> {
  const signature = version.signature;
  const lineage = version.lineage;
  return {
    model: version.model,
    version: int(version.version),
    sha256: version.sha256,
    size_bytes: int(version.size_bytes),
    ...(signature === null
      ? {}
      : {
          signature: {
            inputs: signature.inputs,
            outputs: signature.outputs,
            ir_version: int(signature.ir_version),
            opsets: signature.opsets.map((o) => ({ domain: o.domain, version: int(o.version) })),
            producer_name: signature.producer_name,
            producer_version: signature.producer_version,
            parameter_count: int(signature.parameter_count),
          },
        }),
    tags: version.tags,
    metadata: version.metadata,
    ...(lineage === null
      ? {}
      : {
          lineage: {
            parent_version: int(lineage.parent_version),
            job_id: lineage.job_id,
            passes: lineage.passes.map((p) => ({ name: p.name, settings: parseJsonObject(p.settings_json) })),
            metrics: parseJsonObject(lineage.metrics_json),
          },
        }),
    aliases: version.aliases,
    created_at: version.created_at,
    created_by: version.created_by,
  };
}

function aliasJson(alias: Alias__Output): Record<string, unknown> {
  return { ...alias, version: int(alias.version), canary_version: int(alias.canary_version) };
}

const stateName = (state: string): string => state.replace(/^REPLICA_STATE_/, '');

function deploymentJson(d: Deployment__Output): Record<string, unknown> {
  return {
    name: d.name,
    model: d.model,
    alias: d.alias,
    version: int(d.version),
    replicas: d.replicas,
    ...(d.batching === null
      ? {}
      : {
          batching: {
            max_batch_size: d.batching.max_batch_size,
            max_queue_delay_microseconds: int(d.batching.max_queue_delay_microseconds),
            preferred_batch_size: d.batching.preferred_batch_size,
            max_queue_size: d.batching.max_queue_size,
          },
        }),
    instance_count: d.instance_count,
    device: d.device,
    memory_estimate_bytes: int(d.memory_estimate_bytes),
    target_version: int(d.target_version),
    replica_status: d.replica_status.map((r) => ({
      node_id: r.node_id,
      address: r.address,
      version: int(r.version),
      state: stateName(r.state),
      reason: r.reason,
    })),
    created_at: d.created_at,
    updated_at: d.updated_at,
  };
}

function nodeJson(node: Node__Output): Record<string, unknown> {
  return {
    node_id: node.node_id,
    address: node.address,
    memory_bytes: int(node.memory_bytes),
    memory_reserved_bytes: int(node.memory_reserved_bytes),
    devices: node.devices,
    state: node.state,
    last_heartbeat_at: node.last_heartbeat_at,
    replicas: node.replicas.map((r) => ({
      served_name: r.served_name,
      version: int(r.version),
      state: stateName(r.state),
      reason: r.reason,
    })),
  };
}
