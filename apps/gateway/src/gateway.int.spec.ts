import { credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { callerMetadata, createLogger } from '@aiaas/common';
import { loadNodeConfig, startInferenceNode } from '@aiaas/inference-node';
import type { RunningNode } from '@aiaas/inference-node';
import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import { loadInferencePackage, loadRegistryPackage } from '@aiaas/proto';
import type { ModelInferResponse__Output, ModelStatisticsResponse__Output } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import {
  createRegistryClient,
  makeTempDir,
  pollUntil as until,
  registryCall,
  removeDir,
  uploadVersion,
} from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';
import type { RunningGateway } from './server';

/**
 * The gateway in front of a real registry and two real inference nodes (in-process, real ports):
 * keys and JWTs, scopes, tenant isolation, V2 REST JSON and binary, the gRPC front door, alias
 * addressing, bad input, and routing with one node going away under traffic.
 */
const TENANT = 'acme';
const v1 = buildMlp({ ...MLP_SMALL, seed: 1 });
const input = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
const expected = mlpReference(v1.weights, input, 1);
const logger = createLogger({ service: 'gateway-test', level: 'silent' });

function close(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) < 1e-4);
}

const jsonBody = (data: ArrayLike<number> = input) =>
  JSON.stringify({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: Array.from(data) }] });

describe('gateway (registry + two nodes + gateway, real ports)', () => {
  const dirs: string[] = [];
  let registry: RunningRegistry;
  const nodes: RunningNode[] = [];
  let gateway: RunningGateway;
  let registryClient: RegistryClient;
  let base: string;
  let inferKey: string;
  let readOnlyKey: string;
  let otherTenantKey: string;
  let adminKey: string;

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    const registryDir = makeTempDir('gw-registry');
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
    const registryAddress = `127.0.0.1:${registry.grpcPort}`;
    for (let i = 0; i < 2; i++) {
      const dataDir = makeTempDir(`gw-node${i}`);
      dirs.push(dataDir);
      nodes.push(
        await startInferenceNode(
          loadNodeConfig({
            registry: registryAddress,
            dataDir,
            grpcPort: 0,
            metricsPort: 0,
            nodeId: `node-${i}`,
            memoryBytes: 1 << 30,
          }),
          logger,
        ),
      );
    }

    const metadata = callerMetadata({ tenant: TENANT, principal: 'test' }, undefined);
    registryClient = createRegistryClient(registry.grpcPort);
    await registryCall(registryClient, 'CreateModel', { name: 'mlp', description: 'gateway test' }, metadata);
    await uploadVersion(registryClient, metadata, { model: 'mlp' }, [v1.bytes]);
    await registryCall(registryClient, 'SetAlias', { model: 'mlp', alias: 'production', version: 1 }, metadata);
    const deployments = new (loadRegistryPackage().aiaas.registry.v1.Deployments)(
      registryAddress,
      credentials.createInsecure(),
    );
    await new Promise((resolve, reject) =>
      deployments.CreateDeployment(
        { deployment: { name: 'mlp', model: 'mlp', alias: 'production', replicas: 2 } },
        metadata,
        (err: ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res)),
      ),
    );
    deployments.close();

    const gatewayDir = makeTempDir('gw-gateway');
    dirs.push(gatewayDir);
    gateway = await startGateway(
      loadGatewayConfig({ registry: registryAddress, dataDir: gatewayDir, restPort: 0, grpcPort: 0, metricsPort: 0 }),
      logger,
    );
    base = `http://127.0.0.1:${gateway.restPort}`;
    expect(gateway.adminKey).toMatch(/^aiaas_/);
    adminKey = gateway.adminKey!;
    inferKey = (await gateway.keys.createKey({ tenant: TENANT, name: 'infer', scopes: ['infer'] })).key;
    readOnlyKey = (await gateway.keys.createKey({ tenant: TENANT, name: 'read', scopes: ['models:read'] })).key;
    otherTenantKey = (
      await gateway.keys.createKey({ tenant: 'other', name: 'other', scopes: ['infer', 'models:read'] })
    ).key;
    await until('two ready replicas routed', () => {
      const route = gateway.routes.resolve(TENANT, 'mlp', '');
      return route.endpoints.length === 2 ? route : undefined;
    });
  }, 60_000);

  afterAll(async () => {
    registryClient?.close();
    await gateway?.close();
    for (const node of nodes) await node.close().catch(() => undefined);
    await registry?.close();
    for (const dir of dirs) removeDir(dir);
  }, 30_000);

  it('serves V2 REST JSON inference with an API key', async () => {
    const res = await post('/v2/models/mlp/infer', jsonBody(), bearer(inferKey));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      model_name: string;
      model_version: string;
      outputs: { name: string; data: number[] }[];
    };
    expect(body.model_name).toBe('mlp');
    expect(body.model_version).toBe('1');
    expect(close(body.outputs[0]!.data, expected)).toBe(true);
  });

  it('serves the binary tensor extension, by version and by alias', async () => {
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], parameters: { binary_data_size: 256 } }],
        outputs: [{ name: 'output', parameters: { binary_data: true } }],
      }),
    );
    const body = Buffer.concat([header, Buffer.from(input.buffer)]);
    for (const path of ['/v2/models/mlp/versions/1/infer', '/v2/models/mlp@production/infer']) {
      const res = await post(path, body, {
        ...bearer(inferKey),
        'inference-header-content-length': String(header.length),
        'content-type': 'application/octet-stream',
      });
      expect(res.status).toBe(200);
      const jsonLength = Number(res.headers.get('inference-header-content-length'));
      const raw = Buffer.from(await res.arrayBuffer());
      const out = new Float32Array(raw.buffer.slice(raw.byteOffset + jsonLength, raw.byteOffset + raw.length));
      expect(close(out, expected)).toBe(true);
    }
  });

  it('answers model metadata and readiness under the caller’s model name', async () => {
    const meta = await fetch(`${base}/v2/models/mlp`, { headers: bearer(readOnlyKey) });
    expect(meta.status).toBe(200);
    const body = (await meta.json()) as { name: string; versions: string[]; inputs: { name: string }[] };
    expect(body).toMatchObject({ name: 'mlp', versions: ['1'] });
    expect(body.inputs[0]!.name).toBe('input');
    expect((await fetch(`${base}/v2/models/mlp@production/ready`, { headers: bearer(inferKey) })).status).toBe(200);
    expect((await fetch(`${base}/v2/health/ready`)).status).toBe(200);
  });

  it('401 without credentials, 403 without the infer scope', async () => {
    const none = await post('/v2/models/mlp/infer', jsonBody());
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toMatch(/missing credentials/);
    const bad = await post('/v2/models/mlp/infer', jsonBody(), bearer('aiaas_0123456789abcdef01_' + 'x'.repeat(43)));
    expect(bad.status).toBe(401);
    const denied = await post('/v2/models/mlp/infer', jsonBody(), bearer(readOnlyKey));
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toMatch(/missing scope "infer"/);
  });

  it('another tenant’s model is a 404 indistinguishable from a missing one', async () => {
    const theirs = await post('/v2/models/mlp/infer', jsonBody(), bearer(otherTenantKey));
    const missing = await post('/v2/models/nothing-here/infer', jsonBody(), bearer(inferKey));
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    const theirBody = (await theirs.json()) as { error: string };
    const missingBody = (await missing.json()) as { error: string };
    expect(theirBody.error.replace('"mlp"', '"X"')).toBe(missingBody.error.replace('"nothing-here"', '"X"'));
    const meta = await fetch(`${base}/v2/models/mlp`, { headers: bearer(otherTenantKey) });
    expect(meta.status).toBe(404);
    expect(await meta.json()).toEqual(theirBody);
  });

  it('bad JSON is a 400 with the codec’s message; an oversized body is a 413', async () => {
    const res = await post('/v2/models/mlp/infer', '{"inputs": [', bearer(inferKey));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/JSON/);
    const short = await post('/v2/models/mlp/infer', jsonBody(input.subarray(0, 10)), bearer(inferKey));
    expect(short.status).toBe(400);

    const small = await startGatewayWithLimit(2048);
    try {
      const big = await fetch(`http://127.0.0.1:${small.restPort}/v2/models/mlp/infer`, {
        method: 'POST',
        body: Buffer.alloc(4096, 32),
        headers: { 'content-type': 'application/json', ...bearer(inferKey) },
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: string }).error).toMatch(/too large/);
    } finally {
      await small.close();
    }
  });

  async function startGatewayWithLimit(limit: number): Promise<RunningGateway> {
    // A second gateway on the same auth store (keys are shared), with a small infer body limit.
    const config = loadGatewayConfig({
      registry: `127.0.0.1:${registry.grpcPort}`,
      dataDir: dirs[dirs.length - 1]!,
      restPort: 0,
      grpcPort: 0,
      metricsPort: 0,
      maxInferBodyBytes: limit,
      routesWaitMs: 5000,
    });
    return startGateway(config, logger);
  }

  it('OAuth2 client credentials → JWT → infer; JWKS published', async () => {
    const created = await post(
      '/v1/clients',
      JSON.stringify({ tenant: TENANT, name: 'ci', scopes: ['infer'] }),
      bearer(adminKey),
    );
    expect(created.status).toBe(201);
    const { client_id, client_secret } = (await created.json()) as { client_id: string; client_secret: string };
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret }).toString(),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const res = await post('/v2/models/mlp/infer', jsonBody(), bearer(access_token));
    expect(res.status).toBe(200);
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
  });

  it('creates, lists and revokes keys over /v1/keys (admin only)', async () => {
    const created = await post(
      '/v1/keys',
      JSON.stringify({ tenant: TENANT, name: 'made over REST', scopes: 'infer' }),
      bearer(adminKey),
    );
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect((await post('/v2/models/mlp/infer', jsonBody(), bearer(key))).status).toBe(200);
    expect((await post('/v1/keys', JSON.stringify({ scopes: 'infer' }), bearer(inferKey))).status).toBe(403);
    const listed = (await (await fetch(`${base}/v1/keys?tenant=${TENANT}`, { headers: bearer(adminKey) })).json()) as {
      keys: { id: string }[];
    };
    expect(listed.keys.map((k) => k.id)).toContain(id);
    expect((await fetch(`${base}/v1/keys/${id}`, { method: 'DELETE', headers: bearer(adminKey) })).status).toBe(200);
    expect((await post('/v2/models/mlp/infer', jsonBody(), bearer(key))).status).toBe(401);
  });

  it('serves ModelInfer over the gRPC front door to a stock client, alias in model_name', async () => {
    const client = new (loadInferencePackage().inference.GRPCInferenceService)(
      `127.0.0.1:${gateway.grpcPort}`,
      credentials.createInsecure(),
    );
    try {
      const call = (key: string | undefined, modelName: string) =>
        new Promise<ModelInferResponse__Output>((resolve, reject) => {
          const metadata = new Metadata();
          if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
          client.ModelInfer(
            {
              model_name: modelName,
              inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
              raw_input_contents: [Buffer.from(input.buffer)],
            },
            metadata,
            { deadline: Date.now() + 5000 },
            (err, res) => (err ? reject(err) : resolve(res!)),
          );
        });
      for (const name of ['mlp', 'mlp@production']) {
        const res = await call(inferKey, name);
        const raw = res.raw_output_contents[0]!;
        expect(
          close(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)), expected),
        ).toBe(true);
        expect(res.model_name).toBe('mlp');
      }
      await expect(call(undefined, 'mlp')).rejects.toMatchObject({ code: 16 });
      await expect(call(readOnlyKey, 'mlp')).rejects.toMatchObject({ code: 7 });
      await expect(call(otherTenantKey, 'mlp')).rejects.toMatchObject({ code: 5 });
    } finally {
      client.close();
    }
  });

  it('sums ModelStatistics over both replicas at the gRPC front door; another tenant gets NOT_FOUND', async () => {
    const { inference } = loadInferencePackage();
    const client = new inference.GRPCInferenceService(`127.0.0.1:${gateway.grpcPort}`, credentials.createInsecure());
    const direct = nodes.map(
      (n) => new inference.GRPCInferenceService(`127.0.0.1:${n.grpcPort}`, credentials.createInsecure()),
    );
    const statistics = (on: typeof client, metadata: Metadata, name: string, version = '') =>
      new Promise<ModelStatisticsResponse__Output>((resolve, reject) =>
        on.ModelStatistics({ name, version }, metadata, { deadline: Date.now() + 5000 }, (err, res) =>
          err ? reject(err) : resolve(res!),
        ),
      );
    const withKey = (key: string) => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${key}`);
      return metadata;
    };
    try {
      const before = (await statistics(client, withKey(readOnlyKey), 'mlp')).model_stats;
      expect(before).toHaveLength(1);
      const N = 24;
      const statuses = await Promise.all(
        Array.from(
          { length: N },
          async () => (await post('/v2/models/mlp/infer', jsonBody(), bearer(inferKey))).status,
        ),
      );
      expect(statuses).toEqual(Array(N).fill(200));

      const after = (await statistics(client, withKey(inferKey), 'mlp@production')).model_stats;
      expect(after).toHaveLength(1);
      const stats = after[0]!;
      expect(stats).toMatchObject({ name: 'mlp', version: '1' });
      expect(Number(stats.inference_count) - Number(before[0]!.inference_count)).toBeGreaterThanOrEqual(N);
      expect(Number(stats.inference_stats!.queue!.count)).toBeGreaterThanOrEqual(Number(stats.inference_count));
      expect(Number(stats.inference_stats!.compute_infer!.ns)).toBeGreaterThan(0);
      expect(stats.batch_stats.map((b) => b.batch_size)).toContain('1');

      // The gateway's figure is the sum of what each replica says of itself, and both served.
      const route = gateway.routes.resolve(TENANT, 'mlp', '');
      const own = callerMetadata({ tenant: TENANT, principal: 'test' }, undefined);
      const perNode = await Promise.all(
        direct.map(async (c) =>
          Number((await statistics(c, own, route.servedName, '1')).model_stats[0]!.inference_count),
        ),
      );
      expect(perNode.every((n) => n > 0)).toBe(true);
      expect(perNode.reduce((a, b) => a + b, 0)).toBe(Number(stats.inference_count));
      expect((await statistics(client, withKey(readOnlyKey), 'mlp', '1')).model_stats[0]!.inference_count).toBe(
        stats.inference_count,
      );

      // Another tenant's model reads exactly as a missing one; credentials are required.
      const notFound = { code: 5, details: expect.stringMatching(/^model "mlp" not found/) };
      await expect(statistics(client, withKey(otherTenantKey), 'mlp')).rejects.toMatchObject(notFound);
      await expect(statistics(client, withKey(inferKey), 'nothing')).rejects.toMatchObject({ code: 5 });
      await expect(statistics(client, withKey(inferKey), 'mlp', '7')).rejects.toMatchObject({ code: 5 });
      await expect(statistics(client, new Metadata(), 'mlp')).rejects.toMatchObject({ code: 16 });
      await expect(statistics(client, withKey(inferKey), '')).rejects.toMatchObject({ code: 3 });
    } finally {
      client.close();
      for (const c of direct) c.close();
    }
  });

  it('keeps every request succeeding while one of two nodes goes away (retries)', async () => {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const traffic = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop) {
          const res = await post('/v2/models/mlp/infer', jsonBody(), bearer(inferKey));
          if (res.status === 200) ok++;
          else failures.push(`${res.status} ${await res.text()}`);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const victim = nodes.pop()!;
    await victim.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stop = true;
    await traffic;
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(10);
  }, 30_000);
});
