import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { credentials, Metadata } from '@grpc/grpc-js';
import Redis from 'ioredis';
import { createLogger } from '@aiaas/common';
import { loadNodeConfig, startInferenceNode } from '@aiaas/inference-node';
import type { RunningNode } from '@aiaas/inference-node';
import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import { loadInferencePackage } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { makeTempDir, pollUntil as until, removeDir } from '@aiaas/testing';
import { loadGatewayConfig } from './config';
import type { GatewayConfig } from './config';
import { startGateway } from './server';
import type { RunningGateway } from './server';

/**
 * The /v1 management API through a real gateway in front of a real registry and inference node
 * (in-process, real ports, SQLite): the full model → version → alias → deployment → inference →
 * download flow, scopes, tenant isolation, the OpenAPI document, bad input, and rate limits in
 * memory and in Redis shared by two gateways.
 */
const TENANT = 'acme';
const mlp = buildMlp({ ...MLP_SMALL, seed: 7 });
const input = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));
const expected = mlpReference(mlp.weights, input, 1);
const logger = createLogger({ service: 'gateway-management-test', level: 'silent' });
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** Uploads above this answer 413 (the MLP is far smaller). */
const MAX_UPLOAD = 4 * 1024 * 1024;

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** A request body that arrives in 4 KiB pieces, one per pull: what `curl -T` of a big file looks like. */
function streamOf(bytes: Uint8Array, pieceBytes = 4096): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + pieceBytes));
      at += pieceBytes;
    },
  });
}

function near(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) < 1e-4);
}

describe('gateway /v1 management (registry + node + gateway, real ports)', () => {
  const dirs: string[] = [];
  let registry: RunningRegistry;
  let node: RunningNode;
  let gateway: RunningGateway;
  let gatewayDir: string;
  let base: string;
  let adminKey: string;
  let writerKey: string;
  let modelsOnlyKey: string;
  let readerKey: string;
  let otherKey: string;

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const api = (key: string, method: string, path: string, body?: unknown, at = base) =>
    fetch(`${at}${path}`, {
      method,
      headers: { ...bearer(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const upload = (key: string, model: string, bytes: Uint8Array, query = '') =>
    fetch(`${base}/v1/models/${model}/versions${query}`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/octet-stream' },
      body: streamOf(bytes),
      duplex: 'half',
    });

  const startExtraGateway = (overrides: Partial<GatewayConfig>): Promise<RunningGateway> =>
    startGateway(
      {
        ...loadGatewayConfig({
          registry: `127.0.0.1:${registry.grpcPort}`,
          dataDir: gatewayDir,
          restPort: 0,
          grpcPort: 0,
          metricsPort: 0,
        }),
        ...overrides,
      },
      logger,
    );

  beforeAll(async () => {
    const registryDir = makeTempDir('gw-mgmt-registry');
    dirs.push(registryDir);
    registry = await startRegistry(
      loadRegistryConfig({
        dataDir: registryDir,
        grpcPort: 0,
        metricsPort: 0,
        heartbeatIntervalMs: 200,
        heartbeatTimeoutMs: 1500,
      }),
      logger,
    );
    const nodeDir = makeTempDir('gw-mgmt-node');
    dirs.push(nodeDir);
    node = await startInferenceNode(
      loadNodeConfig({
        registry: `127.0.0.1:${registry.grpcPort}`,
        dataDir: nodeDir,
        grpcPort: 0,
        metricsPort: 0,
        nodeId: 'mgmt-node',
        memoryBytes: 1 << 30,
      }),
      logger,
    );
    gatewayDir = makeTempDir('gw-mgmt-gateway');
    dirs.push(gatewayDir);
    gateway = await startGateway(
      loadGatewayConfig({
        registry: `127.0.0.1:${registry.grpcPort}`,
        dataDir: gatewayDir,
        restPort: 0,
        grpcPort: 0,
        metricsPort: 0,
        maxUploadBytes: MAX_UPLOAD,
      }),
      logger,
    );
    base = `http://127.0.0.1:${gateway.restPort}`;
    adminKey = gateway.adminKey!;
    const key = async (tenant: string, scopes: string[]) =>
      (await gateway.keys.createKey({ tenant, name: scopes.join(' '), scopes })).key;
    writerKey = await key(TENANT, ['models:read', 'models:write', 'deploy', 'infer']);
    modelsOnlyKey = await key(TENANT, ['models:read', 'models:write']);
    readerKey = await key(TENANT, ['models:read']);
    otherKey = await key('other', ['models:read', 'models:write', 'deploy', 'infer']);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await node?.close().catch(() => undefined);
    await registry?.close();
    for (const dir of dirs) removeDir(dir);
  }, 30_000);

  it('create model → streamed upload → alias → deployment → infer via /v2 → download the same bytes', async () => {
    const created = await api(writerKey, 'POST', '/v1/models', {
      name: 'flow',
      description: 'management flow',
      tags: { team: 'ml' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: 'flow', description: 'management flow', tags: { team: 'ml' } });

    const uploaded = await upload(writerKey, 'flow', mlp.bytes, '?tag=stage=test&metadata=source=unit');
    expect(uploaded.status).toBe(201);
    const version = (await uploaded.json()) as {
      version: number;
      sha256: string;
      size_bytes: number;
      tags: Record<string, string>;
      signature: { inputs: { name: string; datatype: string }[] };
    };
    expect(version).toMatchObject({ version: 1, size_bytes: mlp.bytes.length, tags: { stage: 'test' } });
    expect(version.signature.inputs[0]).toMatchObject({ name: 'input', datatype: 'FP32' });

    const listed = (await (await api(readerKey, 'GET', '/v1/models/flow/versions')).json()) as {
      versions: { version: number; sha256: string }[];
    };
    expect(listed.versions.map((v) => v.version)).toEqual([1]);
    expect(listed.versions[0]!.sha256).toBe(version.sha256);

    const alias = await api(writerKey, 'PUT', '/v1/models/flow/aliases/production', { version: 1 });
    expect(alias.status).toBe(200);
    expect(await alias.json()).toMatchObject({ model: 'flow', alias: 'production', version: 1 });

    // No replica count: one replica.
    const deployment = await api(writerKey, 'POST', '/v1/deployments', {
      name: 'flow',
      model: 'flow',
      alias: 'production',
    });
    expect(deployment.status).toBe(201);
    expect(await deployment.json()).toMatchObject({ name: 'flow', model: 'flow', alias: 'production', replicas: 1 });

    await until('the deployment to report a READY replica', async () => {
      const d = (await (await api(writerKey, 'GET', '/v1/deployments/flow')).json()) as {
        replica_status: { state: string }[];
      };
      return d.replica_status.some((r) => r.state === 'READY') ? d : undefined;
    });
    const answer = await until('the gateway to serve flow@production', async () => {
      const res = await fetch(`${base}/v2/models/flow@production/infer`, {
        method: 'POST',
        headers: { ...bearer(writerKey), 'content-type': 'application/json' },
        body: JSON.stringify({
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: Array.from(input) }],
        }),
      });
      return res.status === 200 ? ((await res.json()) as { outputs: { data: number[] }[] }) : undefined;
    });
    expect(near(answer.outputs[0]!.data, expected)).toBe(true);

    const download = await fetch(`${base}/v1/models/flow/versions/1/artifact`, { headers: bearer(readerKey) });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('x-aiaas-sha256')).toBe(version.sha256);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(mlp.bytes))).toBe(true);

    const listedDeployments = (await (await api(writerKey, 'GET', '/v1/deployments?model=flow')).json()) as {
      deployments: { name: string; target_version: number }[];
    };
    expect(listedDeployments.deployments).toEqual([expect.objectContaining({ name: 'flow', target_version: 1 })]);
    const patched = await api(writerKey, 'PATCH', '/v1/models/flow', { description: 'changed' });
    expect(await patched.json()).toMatchObject({ description: 'changed', tags: { team: 'ml' } });
    const models = (await (await api(readerKey, 'GET', '/v1/models?name_prefix=fl')).json()) as {
      models: { name: string }[];
    };
    expect(models.models.map((m) => m.name)).toContain('flow');
  }, 60_000);

  it('enforces scopes: models:read cannot write, deploy is needed for deployments, admin for nodes', async () => {
    const denied = async (res: Response, scope: string) => {
      expect(res.status).toBe(403);
      expect(((await res.json()) as ErrorBody).error).toMatchObject({
        code: 'PERMISSION_DENIED',
        message: expect.stringContaining(`missing scope "${scope}"`),
      });
    };
    await denied(await api(readerKey, 'POST', '/v1/models', { name: 'nope' }), 'models:write');
    await denied(await upload(readerKey, 'flow', mlp.bytes), 'models:write');
    await denied(await api(readerKey, 'DELETE', '/v1/models/flow'), 'models:write');
    await denied(await api(readerKey, 'PUT', '/v1/models/flow/aliases/x', { version: 1 }), 'models:write');
    await denied(await api(modelsOnlyKey, 'POST', '/v1/deployments', { model: 'flow', alias: 'x' }), 'deploy');
    await denied(await api(modelsOnlyKey, 'GET', '/v1/deployments'), 'deploy');
    await denied(await api(writerKey, 'GET', '/v1/nodes'), 'admin');
    expect((await api(readerKey, 'GET', '/v1/models')).status).toBe(200);

    const nodes = await api(adminKey, 'GET', '/v1/nodes');
    expect(nodes.status).toBe(200);
    const body = (await nodes.json()) as { nodes: { node_id: string; state: string; memory_bytes: number }[] };
    expect(body.nodes).toEqual([expect.objectContaining({ node_id: 'mgmt-node', state: 'UP', memory_bytes: 1 << 30 })]);

    const none = await fetch(`${base}/v1/models`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as ErrorBody).error.code).toBe('UNAUTHENTICATED');
  });

  it('another tenant’s model answers on every route exactly like a missing one (404)', async () => {
    const created = await api(writerKey, 'POST', '/v1/models', { name: 'secret' });
    expect(created.status).toBe(201);
    expect((await upload(writerKey, 'secret', mlp.bytes)).status).toBe(201);
    expect((await api(writerKey, 'PUT', '/v1/models/secret/aliases/prod', { version: 1 })).status).toBe(200);
    expect(
      (await api(writerKey, 'POST', '/v1/deployments', { name: 'secret', model: 'secret', version: 1, replicas: 1 }))
        .status,
    ).toBe(201);

    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/models/{m}'],
      ['PATCH', '/v1/models/{m}', { description: 'mine now' }],
      ['GET', '/v1/models/{m}/versions'],
      ['GET', '/v1/models/{m}/versions/1'],
      ['GET', '/v1/models/{m}/versions/1/artifact'],
      ['DELETE', '/v1/models/{m}/versions/1'],
      ['PUT', '/v1/models/{m}/aliases/prod', { version: 1 }],
      ['DELETE', '/v1/models/{m}/aliases/prod'],
      ['GET', '/v1/deployments/{m}'],
      ['PATCH', '/v1/deployments/{m}', { replicas: 3 }],
      ['DELETE', '/v1/deployments/{m}'],
      ['DELETE', '/v1/models/{m}'],
    ];
    for (const [method, path, body] of routes) {
      const theirs = await api(otherKey, method, path.replace('{m}', 'secret'), body);
      const missing = await api(otherKey, method, path.replace('{m}', 'absent'), body);
      expect([method, path, theirs.status]).toEqual([method, path, 404]);
      expect(missing.status).toBe(404);
      const theirBody = JSON.stringify(await theirs.json()).replaceAll('secret', 'X');
      expect(theirBody).toBe(JSON.stringify(await missing.json()).replaceAll('absent', 'X'));
    }
    // Uploading a version to it and deploying it: the same 404.
    const up = await upload(otherKey, 'secret', mlp.bytes);
    expect(up.status).toBe(404);
    const deploy = await api(otherKey, 'POST', '/v1/deployments', { model: 'secret', version: 1, replicas: 1 });
    const deployMissing = await api(otherKey, 'POST', '/v1/deployments', { model: 'absent', version: 1, replicas: 1 });
    expect([deploy.status, deployMissing.status]).toEqual([404, 404]);
    expect(JSON.stringify(await deploy.json()).replaceAll('secret', 'X')).toBe(
      JSON.stringify(await deployMissing.json()).replaceAll('absent', 'X'),
    );
    // Not listed either.
    const listed = (await (await api(otherKey, 'GET', '/v1/models')).json()) as { models: { name: string }[] };
    expect(listed.models.map((m) => m.name)).not.toContain('secret');
    const deployments = (await (await api(otherKey, 'GET', '/v1/deployments')).json()) as {
      deployments: unknown[];
    };
    expect(deployments.deployments).toEqual([]);
    // And it is all still there for its owner.
    expect((await api(readerKey, 'GET', '/v1/models/secret/versions/1')).status).toBe(200);
    expect((await api(writerKey, 'GET', '/v1/deployments/secret')).status).toBe(200);
  }, 30_000);

  it('/openapi.json describes every /v1 route from its schemas; /docs renders it', async () => {
    const res = await fetch(`${base}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const expected: Record<string, string[]> = {
      '/v1/models': ['get', 'post'],
      '/v1/models/{model}': ['get', 'patch', 'delete'],
      '/v1/models/{model}/versions': ['get', 'post'],
      '/v1/models/{model}/versions/{version}': ['get', 'delete'],
      '/v1/models/{model}/versions/{version}/artifact': ['get'],
      '/v1/models/{model}/aliases/{alias}': ['put', 'delete'],
      '/v1/deployments': ['get', 'post'],
      '/v1/deployments/{name}': ['get', 'patch', 'delete'],
      '/v1/nodes': ['get'],
      '/v1/keys': ['get', 'post'],
      '/v2/models/{model}/infer': ['post'],
      '/oauth/token': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect([path, Object.keys(doc.paths[path] ?? {}).sort()]).toEqual([path, [...methods].sort()]);
    }
    expect(doc.paths['/v1/models']!['get']!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['page_token', 'tag', 'name_prefix']),
    );
    expect(doc.paths['/v1/models']!['post']!.requestBody).toBeDefined();
    expect(JSON.stringify(doc.paths['/v1/models/{model}/versions']!['post']!.requestBody)).toContain(
      'application/octet-stream',
    );

    const docs = await fetch(`${base}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger-ui/i);
  });

  it('bad input: malformed JSON 400, schema violation 400, unknown route and method 404, oversized 413', async () => {
    const malformed = await fetch(`${base}/v1/models`, {
      method: 'POST',
      headers: { ...bearer(writerKey), 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorBody).error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/malformed JSON/),
    });
    const invalid = await api(writerKey, 'POST', '/v1/models', { description: 'no name' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ErrorBody).error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/name/),
    });
    const badVersion = await api(readerKey, 'GET', '/v1/models/flow/versions/one');
    expect(badVersion.status).toBe(400);

    const unknown = await api(writerKey, 'GET', '/v1/nothing');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /v1/nothing' } });
    const wrongMethod = await api(writerKey, 'PUT', '/v1/models');
    expect(wrongMethod.status).toBe(404);
    expect(((await wrongMethod.json()) as ErrorBody).error.code).toBe('NOT_FOUND');

    const huge = await api(writerKey, 'POST', '/v1/models', { name: 'big', description: 'x'.repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as ErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');

    // The upload route has its own (large) limit: over it → 413, declared or streamed.
    expect((await api(writerKey, 'POST', '/v1/models', { name: 'toobig' })).status).toBe(201);
    const declared = await fetch(`${base}/v1/models/toobig/versions`, {
      method: 'POST',
      headers: { ...bearer(writerKey), 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(MAX_UPLOAD + 1),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as ErrorBody).error.message).toMatch(/too large/);
    const streamed = await upload(writerKey, 'toobig', new Uint8Array(MAX_UPLOAD + 4096));
    expect(streamed.status).toBe(413);
    // Nothing was registered from either.
    const versions = (await (await api(readerKey, 'GET', '/v1/models/toobig/versions')).json()) as {
      versions: unknown[];
    };
    expect(versions.versions).toEqual([]);
    // An upload above the JSON routes' 64 KiB limit but under the upload limit goes through to the
    // registry (which refuses bytes that are not ONNX with a 400, not a 413).
    const notOnnx = await upload(writerKey, 'toobig', new Uint8Array(256 * 1024).fill(7));
    expect(notOnnx.status).toBe(400);
    expect(((await notOnnx.json()) as ErrorBody).error.code).toBe('INVALID_ARGUMENT');
  }, 30_000);

  it('a client that goes away mid-upload leaves no version behind', async () => {
    expect((await api(writerKey, 'POST', '/v1/models', { name: 'aborted' })).status).toBe(201);
    await new Promise<void>((resolve) => {
      const request = http.request(`${base}/v1/models/aborted/versions`, {
        method: 'POST',
        headers: { ...bearer(writerKey), 'content-type': 'application/octet-stream', 'content-length': '1048576' },
      });
      request.on('error', () => resolve());
      request.write(mlp.bytes.subarray(0, 1024), () => setTimeout(() => request.destroy(), 200));
    });
    // The gateway keeps serving, and the registry registered nothing from the partial body.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const versions = (await (await api(readerKey, 'GET', '/v1/models/aborted/versions')).json()) as {
      versions: unknown[];
    };
    expect(versions.versions).toEqual([]);
    expect((await upload(writerKey, 'aborted', mlp.bytes)).status).toBe(201);
  });

  it('rate limits per credential in memory: 429 with Retry-After over REST, RESOURCE_EXHAUSTED over gRPC', async () => {
    const limited = await startExtraGateway({ rateLimitKeyPerSecond: 0.2, rateLimitKeyBurst: 2 });
    try {
      const at = `http://127.0.0.1:${limited.restPort}`;
      expect((await api(readerKey, 'GET', '/v1/models', undefined, at)).status).toBe(200);
      expect((await api(readerKey, 'GET', '/v1/models', undefined, at)).status).toBe(200);
      const over = await api(readerKey, 'GET', '/v1/models', undefined, at);
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await over.json()) as ErrorBody).error).toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
      // Another credential has its own bucket.
      expect((await api(writerKey, 'GET', '/v1/models', undefined, at)).status).toBe(200);

      const client = new (loadInferencePackage().inference.GRPCInferenceService)(
        `127.0.0.1:${limited.grpcPort}`,
        credentials.createInsecure(),
      );
      try {
        const metadata = new Metadata();
        metadata.set('authorization', `Bearer ${readerKey}`);
        const err = await new Promise<unknown>((resolve) =>
          client.ModelReady({ name: 'flow' }, metadata, (e) => resolve(e)),
        );
        expect(err).toMatchObject({ code: 8 });
      } finally {
        client.close();
      }
    } finally {
      await limited.close();
    }
  }, 30_000);

  it('rate limits per tenant in Redis, shared by two gateways', async () => {
    const prefix = `test-${randomUUID()}:`;
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const settings = { redisUrl: REDIS_URL, rateLimitRedisPrefix: prefix, rateLimitTenantPerSecond: 0.1 };
    const one = await startExtraGateway({ ...settings, rateLimitTenantBurst: 4 });
    const two = await startExtraGateway({ ...settings, rateLimitTenantBurst: 4 });
    try {
      const statuses: number[] = [];
      // Alternate gateways and credentials of one tenant: they all draw on one bucket of 4.
      for (const [gw, key] of [
        [one, readerKey],
        [two, writerKey],
        [one, writerKey],
        [two, readerKey],
        [one, readerKey],
        [two, writerKey],
      ] as const) {
        const res = await api(key, 'GET', '/v1/models', undefined, `http://127.0.0.1:${gw.restPort}`);
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      // Another tenant is not affected.
      expect((await api(otherKey, 'GET', '/v1/models', undefined, `http://127.0.0.1:${two.restPort}`)).status).toBe(
        200,
      );
      expect(await redis.exists(`${prefix}tenant:${TENANT}`)).toBe(1);
    } finally {
      await one.close();
      await two.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  }, 30_000);
});
