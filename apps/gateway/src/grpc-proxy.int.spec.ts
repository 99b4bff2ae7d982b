import path from 'node:path';
import { credentials, loadPackageDefinition, Metadata } from '@grpc/grpc-js';
import type { Client, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { callerMetadata, createLogger } from '@aiaas/common';
import { loadNodeConfig, startInferenceNode } from '@aiaas/inference-node';
import type { RunningNode } from '@aiaas/inference-node';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadInferencePackage, loadRegistryPackage } from '@aiaas/proto';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { makeTempDir, pollUntil as until, removeDir } from '@aiaas/testing';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';
import type { RunningGateway } from './server';

/**
 * The registry's ModelRegistry service through the gateway's gRPC front door, called by a stock
 * @grpc/grpc-js client built from the .proto files (streamed upload and download, scopes, tenant
 * isolation, deadlines), and canary weights on an alias: registry validation, and the split of
 * `model@alias` inference between two deployed versions.
 */
const TENANT = 'acme';
const logger = createLogger({ service: 'gateway-grpc-proxy-test', level: 'silent' });
const PROTO_DIR = path.resolve(__dirname, '../../../protos');
const v1 = buildMlp({ ...MLP_SMALL, seed: 1 });
const v2 = buildMlp({ ...MLP_SMALL, seed: 2 });
const input = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));

type AnyClient = Client & Record<string, (...args: any[]) => any>;

/** A stock client of `aiaas.registry.v1.<service>` from the .proto files, nothing of the project's. */
function stockClient(service: string, address: string): AnyClient {
  const definition = loadSync(['registry.proto', 'jobs.proto'], {
    includeDirs: [PROTO_DIR],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  const pkg = loadPackageDefinition(definition) as any;
  return new pkg.aiaas.registry.v1[service](address, credentials.createInsecure()) as AnyClient;
}

describe('gateway gRPC front door: ModelRegistry and Jobs proxied; canary aliases', () => {
  const dirs: string[] = [];
  let registry: RunningRegistry;
  let node: RunningNode;
  let gateway: RunningGateway;
  let models: AnyClient;
  let jobs: AnyClient;
  let writer: string;
  let reader: string;
  let inferOnly: string;
  let other: string;
  let admin: string;

  const md = (key?: string, extra: Record<string, string> = {}): Metadata => {
    const metadata = new Metadata();
    if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
    for (const [k, v] of Object.entries(extra)) metadata.set(k, v);
    return metadata;
  };
  const unary = <T = any>(
    client: AnyClient,
    method: string,
    request: object,
    metadata: Metadata,
    deadlineMs = 10_000,
  ) =>
    new Promise<T>((resolve, reject) =>
      client[method]!(request, metadata, { deadline: Date.now() + deadlineMs }, (err: ServiceError | null, res: T) =>
        err ? reject(err) : resolve(res),
      ),
    );
  /** UploadVersion through the proxy: header, then the bytes in 4 KiB messages. */
  const upload = (key: string, model: string, bytes: Uint8Array) =>
    new Promise<any>((resolve, reject) => {
      const call = models['UploadVersion']!(md(key), (err: ServiceError | null, res: any) =>
        err ? reject(err) : resolve(res),
      );
      call.write({ header: { model, expected_size_bytes: bytes.length } });
      for (let at = 0; at < bytes.length; at += 4096) call.write({ chunk: Buffer.from(bytes.subarray(at, at + 4096)) });
      call.end();
    });
  const download = async (key: string, model: string, version: number): Promise<Buffer> => {
    const call = models['DownloadVersion']!({ model, version }, md(key));
    const parts: Buffer[] = [];
    for await (const message of call as AsyncIterable<{ chunk: Buffer }>) parts.push(message.chunk);
    return Buffer.concat(parts);
  };

  beforeAll(async () => {
    const registryDir = makeTempDir('gw-proxy-registry');
    const nodeDir = makeTempDir('gw-proxy-node');
    const gatewayDir = makeTempDir('gw-proxy-gateway');
    dirs.push(registryDir, nodeDir, gatewayDir);
    registry = await startRegistry(
      loadRegistryConfig({ dataDir: registryDir, grpcPort: 0, metricsPort: 0, heartbeatIntervalMs: 200 }),
      logger,
    );
    const registryAddress = `127.0.0.1:${registry.grpcPort}`;
    node = await startInferenceNode(
      loadNodeConfig({
        registry: registryAddress,
        dataDir: nodeDir,
        grpcPort: 0,
        metricsPort: 0,
        nodeId: 'node-0',
        memoryBytes: 1 << 30,
      }),
      logger,
    );
    gateway = await startGateway(
      loadGatewayConfig({ registry: registryAddress, dataDir: gatewayDir, restPort: 0, grpcPort: 0, metricsPort: 0 }),
      logger,
    );
    admin = gateway.adminKey!;
    const key = async (tenant: string, scopes: string[]) =>
      (await gateway.keys.createKey({ tenant, name: scopes.join(' '), scopes })).key;
    writer = await key(TENANT, ['models:read', 'models:write', 'deploy', 'infer', 'jobs:read']);
    reader = await key(TENANT, ['models:read']);
    inferOnly = await key(TENANT, ['infer']);
    other = await key('globex', ['models:read', 'models:write', 'jobs:read']);
    models = stockClient('ModelRegistry', `127.0.0.1:${gateway.grpcPort}`);
    jobs = stockClient('Jobs', `127.0.0.1:${gateway.grpcPort}`);
  }, 60_000);

  afterAll(async () => {
    models?.close();
    jobs?.close();
    await gateway?.close();
    await node?.close();
    await registry?.close();
    for (const dir of dirs) removeDir(dir);
  });

  it('creates a model, streams a version up and down, and sets an alias through the proxy', async () => {
    const created = await unary(models, 'CreateModel', { name: 'mlp', description: 'via grpc' }, md(writer));
    expect(created.model).toMatchObject({ name: 'mlp', description: 'via grpc' });
    const first = await upload(writer, 'mlp', v1.bytes);
    expect(first.version).toMatchObject({ model: 'mlp', version: '1', size_bytes: String(v1.bytes.length) });
    const second = await upload(writer, 'mlp', v2.bytes);
    expect(second.version.version).toBe('2');
    expect((await download(reader, 'mlp', 2)).equals(Buffer.from(v2.bytes))).toBe(true);
    const listed = await unary(models, 'ListVersions', { model: 'mlp' }, md(reader));
    expect(listed.versions.map((v: any) => v.version)).toEqual(['1', '2']);
    const alias = await unary(models, 'SetAlias', { model: 'mlp', alias: 'production', version: 1 }, md(writer));
    expect(alias.alias).toMatchObject({ alias: 'production', version: '1', canary_version: '0', canary_percent: 0 });
  });

  it('checks credentials and each method’s scope', async () => {
    await expect(unary(models, 'ListModels', {}, md())).rejects.toMatchObject({ code: 16 });
    await expect(unary(models, 'ListModels', {}, md('aiaas_bogus_key'))).rejects.toMatchObject({ code: 16 });
    await expect(unary(models, 'ListModels', {}, md(inferOnly))).rejects.toMatchObject({ code: 7 });
    await expect(unary(models, 'CreateModel', { name: 'x' }, md(reader))).rejects.toMatchObject({ code: 7 });
    await expect(upload(reader, 'mlp', v1.bytes)).rejects.toMatchObject({ code: 7 });
    await expect(download(inferOnly, 'mlp', 1)).rejects.toMatchObject({ code: 7 });
    await expect(unary(models, 'ListAudit', {}, md(writer))).rejects.toMatchObject({ code: 7 });
    expect((await unary(models, 'ListAudit', {}, md(admin))).entries).toEqual(expect.any(Array));
    await expect(unary(jobs, 'ListJobs', {}, md(reader))).rejects.toMatchObject({ code: 7 });
    // Internal methods are not served at the front door at all.
    await expect(unary(jobs, 'ReportJobEvent', { job_id: 'x' }, md(admin))).rejects.toMatchObject({ code: 12 });
  });

  it('answers another tenant NOT_FOUND exactly as a missing model, whatever metadata it sends', async () => {
    const spoof = { 'x-aiaas-tenant': TENANT, 'x-aiaas-principal': 'mallory' };
    const theirs = unary(models, 'GetModel', { name: 'mlp' }, md(other, spoof));
    await expect(theirs).rejects.toMatchObject({ code: 5 });
    const missing = await unary(models, 'GetModel', { name: 'nope' }, md(writer)).catch((err: ServiceError) => err);
    const otherErr = await theirs.catch((err: ServiceError) => err);
    expect(otherErr.details.replace('mlp', 'nope')).toBe(missing.details);
    await expect(download(other, 'mlp', 1)).rejects.toMatchObject({ code: 5 });
    await expect(unary(models, 'DeleteModel', { name: 'mlp' }, md(other))).rejects.toMatchObject({ code: 5 });
    expect((await unary(models, 'ListModels', {}, md(other))).models).toEqual([]);
    // Jobs need Redis, which this registry runs without: the registry's own answer comes through.
    await expect(unary(jobs, 'ListJobs', {}, md(writer))).rejects.toMatchObject({
      code: 14,
      details: expect.stringMatching(/Redis/),
    });
    // A server stream's error status comes through too, at once rather than at the deadline.
    const watched = await new Promise<ServiceError | null>((resolve) => {
      const call = jobs['WatchJob']!({ id: 'no-such-job' }, md(writer), { deadline: Date.now() + 30_000 });
      let err: ServiceError | null = null;
      call.on('data', () => undefined);
      call.on('error', (e: ServiceError) => (err = e));
      call.on('status', () => setImmediate(() => resolve(err)));
    });
    expect(watched).toMatchObject({ code: 14, details: expect.stringMatching(/Redis/) });
  });

  it('answers each proxied call its request id in the initial metadata, unary and streamed', async () => {
    /** The `x-request-id` of a call's initial metadata, and its error if any. */
    const answeredId = (start: (done: (err: ServiceError | null) => void) => NodeJS.EventEmitter) =>
      new Promise<{ id: string | undefined; err: ServiceError | null }>((resolve) => {
        let id: string | undefined;
        const call = start((err) => resolve({ id, err }));
        call.on('metadata', (metadata: Metadata) => {
          const value = metadata.get('x-request-id')[0];
          id = value === undefined ? undefined : String(value);
        });
      });
    const listModels = (metadata: Metadata) =>
      answeredId((done) => models['ListModels']!({}, metadata, { deadline: Date.now() + 10_000 }, done));
    expect(await listModels(md(reader, { 'x-request-id': 'proxy-req-1' }))).toEqual({ id: 'proxy-req-1', err: null });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const malformed = await listModels(md(reader, { 'x-request-id': 'y'.repeat(200) }));
    expect(malformed).toMatchObject({ id: expect.stringMatching(uuid), err: null });
    // Refused calls get one as well (it is sent before the credentials are checked).
    const refused = await listModels(md('aiaas_bogus_key'));
    expect(refused).toMatchObject({ id: expect.stringMatching(uuid), err: { code: 16 } });
    // Client stream (an upload the caller cannot make) and server stream (a download).
    const uploaded = await answeredId((done) => {
      const call = models['UploadVersion']!(md(reader, { 'x-request-id': 'proxy-up' }), done);
      call.end();
      return call;
    });
    expect(uploaded).toMatchObject({ id: 'proxy-up', err: { code: 7 } });
    const downloaded = await answeredId((done) => {
      const call = models['DownloadVersion']!(
        { model: 'mlp', version: 1 },
        md(reader, { 'x-request-id': 'proxy-down' }),
      );
      call.on('data', () => undefined);
      call.on('error', (err: ServiceError) => done(err));
      call.on('end', () => done(null));
      return call;
    });
    expect(downloaded).toEqual({ id: 'proxy-down', err: null });
  });

  it('passes the caller’s deadline on', async () => {
    await expect(unary(models, 'ListModels', {}, md(reader), 1)).rejects.toMatchObject({ code: 4 });
  });

  it('validates canary settings on SetAlias', async () => {
    const set = (body: object) =>
      unary(models, 'SetAlias', { model: 'mlp', alias: 'production', version: 1, ...body }, md(writer));
    await expect(set({ canary_version: 2, canary_percent: 101 })).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/canary_percent.*0 to 100/),
    });
    await expect(set({ canary_version: 2, canary_percent: -1 })).rejects.toMatchObject({ code: 3 });
    await expect(set({ canary_version: 1, canary_percent: 10 })).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/another version/),
    });
    await expect(set({ canary_percent: 10 })).rejects.toMatchObject({
      code: 3,
      details: expect.stringMatching(/without a canary_version/),
    });
    await expect(set({ canary_version: 9, canary_percent: 10 })).rejects.toMatchObject({
      code: 5,
      details: expect.stringMatching(/canary_version 9/),
    });
    // REST says the same: its schema catches the range, the registry the rest.
    const rest = (body: object) =>
      fetch(`http://127.0.0.1:${gateway.restPort}/v1/models/mlp/aliases/production`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await rest({ version: 1, canary_version: 2, canary_percent: 150 })).status).toBe(400);
    const same = await rest({ version: 1, canary_version: 1, canary_percent: 5 });
    expect(same.status).toBe(400);
    expect(((await same.json()) as any).error.message).toMatch(/another version/);
    const ok = await rest({ version: 1, canary_version: 2, canary_percent: 0 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ alias: 'production', version: 1, canary_version: 2, canary_percent: 0 });
    // The canary version is in use: it cannot be deleted.
    await expect(unary(models, 'DeleteVersion', { model: 'mlp', version: 2 }, md(writer))).rejects.toMatchObject({
      code: 9,
    });
  });

  it('splits model@alias inference between the version and the canary as configured', async () => {
    const registryAddress = `127.0.0.1:${registry.grpcPort}`;
    const deployments = new (loadRegistryPackage().aiaas.registry.v1.Deployments)(
      registryAddress,
      credentials.createInsecure(),
    );
    const meta = callerMetadata({ tenant: TENANT, principal: 'test' }, undefined);
    for (const deployment of [
      { name: 'stable', model: 'mlp', alias: 'production', replicas: 1 },
      { name: 'canary', model: 'mlp', version: 2, replicas: 1 },
    ]) {
      await new Promise((resolve, reject) =>
        deployments.CreateDeployment({ deployment }, meta, (err: ServiceError | null, res: unknown) =>
          err ? reject(err) : resolve(res),
        ),
      );
    }
    deployments.close();
    await until('both versions routed', () => {
      const a = gateway.routes.resolve(TENANT, 'mlp', '1');
      const b = gateway.routes.resolve(TENANT, 'mlp', '2');
      return a.endpoints.length > 0 && b.endpoints.length > 0 ? true : undefined;
    });

    const inference = new (loadInferencePackage().inference.GRPCInferenceService)(
      `127.0.0.1:${gateway.grpcPort}`,
      credentials.createInsecure(),
    );
    const count = async (n: number): Promise<Map<string, number>> => {
      const counts = new Map<string, number>();
      for (let i = 0; i < n; i += 50) {
        const batch = await Promise.all(
          Array.from(
            { length: 50 },
            () =>
              new Promise<string>((resolve, reject) =>
                inference.ModelInfer(
                  {
                    model_name: 'mlp@production',
                    inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
                    raw_input_contents: [Buffer.from(input.buffer)],
                  },
                  md(inferOnly),
                  { deadline: Date.now() + 30_000 },
                  (err, res) => (err ? reject(err) : resolve(res!.model_version)),
                ),
              ),
          ),
        );
        for (const version of batch) counts.set(version, (counts.get(version) ?? 0) + 1);
      }
      return counts;
    };
    const setCanary = async (percent: number) => {
      await unary(
        models,
        'SetAlias',
        { model: 'mlp', alias: 'production', version: 1, canary_version: 2, canary_percent: percent },
        md(writer),
      );
      // The route table follows the registry: wait until the split is in it.
      await until(`canary ${percent}% routed`, () => {
        const routes = [0, 1, 2, 3, 4, 5, 6, 7].map(() => gateway.routes.resolve(TENANT, 'mlp', 'production').version);
        return percent === 0 ? (routes.every((v) => v === 1) ? true : undefined) : routes.includes(2) || undefined;
      });
    };
    try {
      await setCanary(0);
      expect(await count(200)).toEqual(new Map([['1', 200]]));
      await setCanary(100);
      expect(await count(200)).toEqual(new Map([['2', 200]]));
      await setCanary(20);
      const split = await count(1000);
      // 20% of 1000 is 200, binomial sd ≈ 12.6: 130..270 is more than 5 sd either side.
      expect(split.get('2')).toBeGreaterThanOrEqual(130);
      expect(split.get('2')).toBeLessThanOrEqual(270);
      expect((split.get('1') ?? 0) + (split.get('2') ?? 0)).toBe(1000);
      // Pinned versions and the bare name are not split.
      const pinned = await new Promise<string>((resolve, reject) =>
        inference.ModelInfer(
          {
            model_name: 'mlp',
            model_version: '1',
            inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
            raw_input_contents: [Buffer.from(input.buffer)],
          },
          md(inferOnly),
          (err, res) => (err ? reject(err) : resolve(res!.model_version)),
        ),
      );
      expect(pinned).toBe('1');
    } finally {
      inference.close();
    }
  }, 120_000);
});
