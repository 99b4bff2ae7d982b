import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError, isAppError, toAppError } from '@aiaas/common';
import type { Logger } from '@aiaas/common';
import {
  decodeInferRequest,
  encodeError,
  encodeInferResponse,
  encodeModelMetadata,
  encodeServerMetadata,
} from '@aiaas/v2-rest';
import type { ApiKeyRecord, ClientRecord, KeyStore } from './auth/key-store';
import { handleTokenRequest } from './auth/client-credentials';
import type { Principal } from './auth/scopes';
import type { TokenIssuer } from './auth/token-issuer';
import { GATEWAY_SERVER_METADATA } from './gateway';
import { registerManagementRoutes } from './management-routes';
import type { ManagementRoutesDeps } from './management-routes';
import { registerOpenApi } from './openapi';
import { REQUEST_ID_HEADER, captureRequest, requestIdFrom, runInRequest } from './request-context';
import type { RequestContext } from './request-context';
import type { Gateway } from './gateway';
import type { GatewayMetrics } from './gateway-metrics';

/** Dependencies of {@link createRestApp}. */
export interface RestAppDeps {
  gateway: Gateway;
  keys: KeyStore;
  tokens: TokenIssuer;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** Largest `POST …/infer` body; bigger ones answer 413. */
  maxInferBodyBytes: number;
  /** Deadline of each REST call (REST carries none). */
  restTimeoutMs: number;
  /** The gateway's gRPC front-door port, told by `GET /v1/info` (a function: it may be bound after the REST app). */
  grpcPort?: number | (() => number) | undefined;
  /** How long `close()` lets open requests finish before it cuts every connection. @default 10_000 */
  shutdownGraceMs?: number;
  /** The /v1 management routes over the registry (models, versions, aliases, deployments, nodes); absent = not served. */
  management?: (Omit<ManagementRoutesDeps, 'gateway' | 'restTimeoutMs'> & { restTimeoutMs?: number }) | undefined;
}

/** Body limit of every route but infer: tokens, key admin. */
const SMALL_BODY_BYTES = 64 * 1024;

interface ModelParams {
  model: string;
  version?: string;
}

/**
 * The REST side: KServe V2 (JSON and the binary tensor extension, through @aiaas/v2-rest), the
 * OAuth2 token endpoint, the JWKS, and key administration under /v1. Bodies arrive as raw
 * Buffers whatever their content type: the codec and the token endpoint parse them, so their
 * messages (with JSON positions) reach the caller unchanged.
 */
export function createRestApp(deps: RestAppDeps): FastifyInstance {
  const { gateway } = deps;
  // A pino Logger is a FastifyBaseLogger; typed as the base so the app stays a plain FastifyInstance.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    // request.log is a child of our logger (same redaction, trace ids) with the request's `req_id`;
    // fastify's own request lines are off: they would log raw URLs (query strings included).
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'req_id' }),
    genReqId: (request) => requestIdFrom(request.headers[REQUEST_ID_HEADER]),
    bodyLimit: SMALL_BODY_BYTES,
    return503OnClosing: true,
  });
  addRequestLogging(app, deps.metrics);
  // close() ends idle keep-alive connections at once (fastify's 'idle' default) and lets busy ones
  // finish for the grace; after it, a request still open (a client stuck mid-body, an endless
  // event stream) is cut rather than left to hold shutdown open.
  app.addHook('preClose', (done) => {
    const timer = setTimeout(() => app.server.closeAllConnections(), deps.shutdownGraceMs ?? 10_000);
    timer.unref();
    app.server.once('close', () => clearTimeout(timer));
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const message = `no route ${request.method} ${path}`;
    void reply
      .code(404)
      .send(path.startsWith('/v2') ? encodeError(message) : { error: { code: 'NOT_FOUND', message } });
  });
  // Swagger first: it collects the routes registered after it.
  registerOpenApi(app);
  void app.register(async (scope) => addRoutes(scope, deps));
  if (deps.management !== undefined) {
    const management = deps.management;
    void app.register(async (scope) =>
      registerManagementRoutes(scope, { gateway, restTimeoutMs: deps.restTimeoutMs, ...management }),
    );
  }
  return app;
}

/** Paths whose requests get no completion line: probes and scrapes would drown the log. */
const UNLOGGED_PATHS = /^\/(v2\/health\/|healthz([/?]|$)|metrics([/?]|$))/;

/**
 * Request ids, metrics and completion lines: every request answers its id in `x-request-id` and runs
 * in a {@link RequestContext} (the gateway notes the tenant there, outgoing calls carry the id), is
 * counted in the metrics with that tenant; each
 * request but probes and scrapes (/v1, /v2, /oauth/token, …) writes one `info` line with the route
 * pattern, never the raw URL (a query string may hold a secret) nor any header.
 */
function addRequestLogging(app: FastifyInstance, metrics: GatewayMetrics | undefined): void {
  const contexts = new WeakMap<FastifyRequest, { context: RequestContext; reenter: <T>(fn: () => T) => T }>();
  app.addHook('onRequest', (request, reply, done) => {
    const context: RequestContext = { requestId: request.id };
    void reply.header(REQUEST_ID_HEADER, request.id);
    runInRequest(context, () => {
      contexts.set(request, { context, reenter: captureRequest() });
      done();
    });
  });
  // Body parsing may resume from the socket's events, outside the context: enter it again (with the
  // trace context it was entered in) for the handler.
  app.addHook('preHandler', (request, _reply, done) => {
    const entered = contexts.get(request);
    if (entered === undefined) done();
    else entered.reenter(done);
  });
  app.addHook('onResponse', async (request, reply) => {
    const tenant = contexts.get(request)?.context.tenant;
    metrics?.observeRest(
      request.routeOptions.url ?? 'unknown',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
      tenant,
    );
    if (UNLOGGED_PATHS.test(request.url)) return;
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 1000) / 1000,
        ...(tenant === undefined ? {} : { tenant }),
      },
      'request completed',
    );
  });
}

/** KServe V2, OAuth2 and key administration routes. */
function addRoutes(app: FastifyInstance, deps: RestAppDeps): void {
  const { gateway } = deps;
  const deadline = (): number => Date.now() + deps.restTimeoutMs;

  // --- KServe V2: health and server metadata need no credentials (load balancers probe them).
  app.get('/v2/health/live', async (_request, reply) => reply.code(200).send({ live: true }));
  app.get('/v2/health/ready', async (_request, reply) =>
    gateway.ready
      ? reply.code(200).send({ ready: true })
      : reply.code(503).send(encodeError('gateway has no routes from the registry yet')),
  );
  // Discovery: a client given only the REST URL finds the gRPC front door (same host).
  app.get(
    '/v1/info',
    {
      schema: {
        summary: 'The gateway’s version and gRPC front-door port (no credentials)',
        tags: ['info'],
        security: [],
        response: {
          200: {
            type: 'object',
            required: ['version', 'grpc_port'],
            properties: {
              version: { type: 'string' },
              grpc_port: { type: 'integer', description: 'gRPC front door on the same host as this REST URL' },
            },
          },
        },
      },
    },
    async () => {
      const port = typeof deps.grpcPort === 'function' ? deps.grpcPort() : deps.grpcPort;
      return { version: GATEWAY_SERVER_METADATA.version, grpc_port: port ?? 0 };
    },
  );
  app.get('/v2', async () =>
    encodeServerMetadata({ ...GATEWAY_SERVER_METADATA, extensions: [...GATEWAY_SERVER_METADATA.extensions] }),
  );

  // --- KServe V2 per model. Metadata and readiness take `models:read` or `infer`.
  const metadata = async (request: FastifyRequest<{ Params: ModelParams }>) => {
    const principal = await readPrincipal(gateway, request);
    const { model, version = '' } = request.params;
    return encodeModelMetadata(await gateway.modelMetadata(principal, model, version, { deadline: deadline() }));
  };
  app.get('/v2/models/:model', metadata);
  app.get('/v2/models/:model/versions/:version', metadata);

  const ready = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const principal = await readPrincipal(gateway, request);
    const { model, version = '' } = request.params;
    const isReady = await gateway.modelReady(principal, model, version, { deadline: deadline() });
    // 503 like every "not ready" in the product (Triton answers 400; clients look at 200 only).
    return isReady
      ? reply.code(200).send({ name: model, ready: true })
      : reply.code(503).send(encodeError(`model "${model}" is not ready`));
  };
  app.get('/v2/models/:model/ready', ready);
  app.get('/v2/models/:model/versions/:version/ready', ready);

  const infer = async (request: FastifyRequest<{ Params: ModelParams }>, reply: FastifyReply) => {
    const principal = await gateway.authorize(request.headers.authorization, 'infer');
    const { model, version = '' } = request.params;
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const headerLength = request.headers['inference-header-content-length'];
    const decoded = decodeInferRequest(
      body,
      {
        ...(request.headers['content-type'] === undefined ? {} : { 'content-type': request.headers['content-type'] }),
        ...(typeof headerLength === 'string' ? { 'inference-header-content-length': headerLength } : {}),
      },
      model,
      version,
    );
    const response = await gateway.infer(principal, decoded.request, { deadline: deadline() });
    const encoded = encodeInferResponse(response, decoded.responseOptions);
    return reply.code(200).headers(encoded.headers).send(encoded.body);
  };
  const inferOptions = { bodyLimit: deps.maxInferBodyBytes };
  app.post('/v2/models/:model/infer', inferOptions, infer);
  app.post('/v2/models/:model/versions/:version/infer', inferOptions, infer);

  // --- OAuth2 client credentials and the public keys of its tokens.
  app.post('/oauth/token', async (request, reply) => {
    const answer = await handleTokenRequest(
      {
        ...(request.headers['content-type'] === undefined ? {} : { contentType: request.headers['content-type'] }),
        body: Buffer.isBuffer(request.body) ? request.body : undefined,
        ...(request.headers.authorization === undefined ? {} : { authorization: request.headers.authorization }),
      },
      { keys: deps.keys, tokens: deps.tokens },
    );
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.get('/.well-known/jwks.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=60').send(await deps.tokens.jwks()),
  );

  // --- Key and client administration (admin scope). Secrets appear once, in the creation answer.
  app.post('/v1/keys', async (request, reply) => {
    const principal = await gateway.authorize(request.headers.authorization, 'admin');
    const body = readJsonObject(request.body);
    const { key, record } = await deps.keys.createKey({
      tenant: optionalString(body, 'tenant') ?? principal.tenant,
      name: optionalString(body, 'name') ?? 'api key',
      scopes: readScopes(body),
      ...(optionalString(body, 'expires_at') === undefined ? {} : { expiresAt: readDate(body, 'expires_at') }),
    });
    return reply.code(201).send({ key, ...keyJson(record) });
  });
  app.get('/v1/keys', async (request) => {
    await gateway.authorize(request.headers.authorization, 'admin');
    const tenant = (request.query as Record<string, unknown>)['tenant'];
    const records = await deps.keys.listKeys(typeof tenant === 'string' && tenant !== '' ? tenant : undefined);
    return { keys: records.map(keyJson) };
  });
  app.delete('/v1/keys/:id', async (request) => {
    await gateway.authorize(request.headers.authorization, 'admin');
    return keyJson(await deps.keys.revokeKey((request.params as { id: string }).id));
  });
  app.post('/v1/clients', async (request, reply) => {
    const principal = await gateway.authorize(request.headers.authorization, 'admin');
    const body = readJsonObject(request.body);
    const { clientId, clientSecret, record } = await deps.keys.createClient({
      tenant: optionalString(body, 'tenant') ?? principal.tenant,
      name: optionalString(body, 'name') ?? 'oauth client',
      scopes: readScopes(body),
    });
    return reply.code(201).send({ client_id: clientId, client_secret: clientSecret, ...clientJson(record) });
  });
  app.get('/v1/clients', async (request) => {
    await gateway.authorize(request.headers.authorization, 'admin');
    return { clients: (await deps.keys.listClients()).map(clientJson) };
  });
  app.delete('/v1/clients/:id', async (request) => {
    await gateway.authorize(request.headers.authorization, 'admin');
    return clientJson(await deps.keys.revokeClient((request.params as { id: string }).id));
  });
}

/** Metadata and readiness: `models:read` or `infer` (a Triton client checks readiness before inferring). */
function readPrincipal(gateway: Gateway, request: FastifyRequest): Promise<Principal> {
  return gateway.authorize(request.headers.authorization, ['models:read', 'infer']);
}

/**
 * The one REST error writer: AppErrors through the error table (status from `httpStatus`),
 * fastify's own client errors (413 body too large, 415, …) with their status, anything else 500
 * without its internal message. /v2 answers `{"error": message}` as the Open Inference Protocol
 * does; the rest `{"error": {code, message, details}}`.
 */
function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  let status: number;
  let code: string;
  let message: string;
  let details: Record<string, unknown> | undefined;
  if (isAppError(error)) {
    const appError = toAppError(error);
    status = appError.httpStatus;
    code = appError.code;
    message = appError.message;
    details = appError.details;
  } else if (isFastifyClientError(error)) {
    status = error.statusCode;
    // Schema validation (params, query, body of the /v1 routes) is a bad argument like any other.
    code =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'PAYLOAD_TOO_LARGE'
        : error.validation !== undefined
          ? 'INVALID_ARGUMENT'
          : error.code;
    message =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? `request body too large: the limit for ${request.method} ${request.routeOptions.url ?? request.url} is ${request.routeOptions.bodyLimit ?? SMALL_BODY_BYTES} bytes`
        : error.message;
  } else {
    // The route pattern, not the URL: a query string may hold a secret.
    request.log.error(
      { err: error, method: request.method, route: request.routeOptions.url ?? null },
      'unexpected error in a REST handler',
    );
    status = 500;
    code = 'INTERNAL';
    message = 'internal error';
  }
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="aiaas"');
  // Rate limited: say when to come back (RFC 9110 §10.2.3), in whole seconds.
  const retryAfter = details?.['retry_after_seconds'];
  if (status === 429 && typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  const path = request.url.split('?')[0] ?? '';
  return reply
    .code(status)
    .send(
      path.startsWith('/v2')
        ? encodeError(message)
        : { error: { code, message, ...(details === undefined ? {} : { details }) } },
    );
}

function isFastifyClientError(error: unknown): error is FastifyError & { statusCode: number } {
  const e = error as Partial<FastifyError> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.statusCode === 'number' &&
    e.statusCode >= 400 &&
    e.statusCode < 500 &&
    typeof e.code === 'string'
  );
}

function readJsonObject(body: unknown): Record<string, unknown> {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new InvalidArgumentError('request body: expected a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('request body: expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidArgumentError(`"${name}": expected a string, got ${typeof value}`);
  return value;
}

function readScopes(body: Record<string, unknown>): string | string[] {
  const scopes = body['scopes'];
  if (typeof scopes === 'string') return scopes;
  if (Array.isArray(scopes) && scopes.every((s) => typeof s === 'string')) return scopes;
  throw new InvalidArgumentError('"scopes": expected a list of scopes or a space-separated string');
}

function readDate(body: Record<string, unknown>, name: string): Date {
  const text = optionalString(body, name) ?? '';
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new InvalidArgumentError(`"${name}": expected an ISO 8601 time, got "${text}"`);
  return date;
}

function keyJson(record: ApiKeyRecord): Record<string, unknown> {
  return {
    id: record.id,
    tenant: record.tenant,
    name: record.name,
    scopes: record.scopes,
    created_at: record.createdAt.toISOString(),
    ...(record.expiresAt === undefined ? {} : { expires_at: record.expiresAt.toISOString() }),
    ...(record.revokedAt === undefined ? {} : { revoked_at: record.revokedAt.toISOString() }),
    ...(record.lastUsedAt === undefined ? {} : { last_used_at: record.lastUsedAt.toISOString() }),
  };
}

function clientJson(record: ClientRecord): Record<string, unknown> {
  return {
    client_id: record.clientId,
    tenant: record.tenant,
    name: record.name,
    scopes: record.scopes,
    created_at: record.createdAt.toISOString(),
    ...(record.revokedAt === undefined ? {} : { revoked_at: record.revokedAt.toISOString() }),
  };
}
