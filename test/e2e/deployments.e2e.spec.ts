import { randomUUID } from 'node:crypto';
import { credentials } from '@grpc/grpc-js';
import pg from 'pg';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { callerMetadata } from '@aiaas/common';
import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import type { ModelInferRequest, ModelInferResponse__Output, Route__Output } from '@aiaas/proto';
import { loadRegistryPackage } from '@aiaas/proto';
import {
  callUnary,
  createInferenceClient,
  createRegistryClient,
  makeTempDir,
  pollUntil,
  registryCall,
  removeDir,
  startNodeProcess,
  startRegistryProcess,
  uploadVersion,
} from '@aiaas/testing';
import type { CliProcess, InferenceClient } from '@aiaas/testing';

/**
 * The control plane end to end, as real processes: one registry, three inference nodes
 * registered with it. A deployment on an alias is placed on distinct nodes, follows the alias
 * with no failed request under traffic, and moves off a node that dies.
 */
const TENANT = 'acme';

const v1 = buildMlp({ ...MLP_SMALL, seed: 1 });
const v2 = buildMlp({ ...MLP_SMALL, seed: 2 });
const input = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));

function unary(client: any, method: string, request: object, metadata: Metadata): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](request, metadata, (err: ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res))),
  );
}

function outputOf(response: ModelInferResponse__Output): Float32Array {
  const raw = response.raw_output_contents[0]!;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function close(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) < 1e-4);
}

const POSTGRES_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const DATABASES: [string, Record<string, string>][] = [
  ['SQLite', {}],
  [
    'PostgreSQL',
    {
      DATABASE_URL: POSTGRES_URL,
      AIAAS_REGISTRY_DATABASE_SCHEMA: `e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`,
    },
  ],
];

describe.each(DATABASES)('registry on %s, nodes and deployments (real processes)', (_database, databaseEnv) => {
  const dirs: string[] = [];
  let registryProcess: CliProcess;
  let registryAddress: string;
  const nodes: { cli: CliProcess; port: number; client: InferenceClient }[] = [];
  const metadata = callerMetadata({ tenant: TENANT, principal: 'e2e' }, undefined);
  let registry: ReturnType<typeof createRegistryClient>;
  let deployments: any;
  let nodesClient: any;
  let routes: Route__Output[] = [];
  let routeStream: any;

  const nodeByAddress = (address: string) => nodes.find((n) => address.endsWith(`:${n.port}`));
  const productionRoute = () => routes.find((r) => r.model === 'mlp' && r.aliases.includes('production'));

  beforeAll(async () => {
    const dataDir = makeTempDir('e2e-registry');
    dirs.push(dataDir);
    const started = await startRegistryProcess(dataDir, {
      env: { ...databaseEnv, AIAAS_REGISTRY_HEARTBEAT_INTERVAL_MS: '300', AIAAS_REGISTRY_HEARTBEAT_TIMEOUT_MS: '1500' },
    });
    registryProcess = started.cli;
    const port = started.port;
    registryAddress = started.address;
    const v1Package = loadRegistryPackage().aiaas.registry.v1;
    registry = createRegistryClient(port);
    deployments = new v1Package.Deployments(registryAddress, credentials.createInsecure());
    nodesClient = new v1Package.Nodes(registryAddress, credentials.createInsecure());
    routeStream = new v1Package.Routes(registryAddress, credentials.createInsecure()).WatchRoutes(
      {},
      callerMetadata(undefined, undefined),
    );
    routeStream.on('data', (message: { routes: Route__Output[] }) => (routes = message.routes));
    routeStream.on('error', () => undefined);

    for (let i = 0; i < 3; i++) {
      const nodeDir = makeTempDir(`e2e-node${i}`);
      dirs.push(nodeDir);
      const { cli, port: nodePort } = await startNodeProcess(registryAddress, nodeDir, `node-${i}`);
      nodes.push({ cli, port: nodePort, client: createInferenceClient(nodePort) });
    }
    await pollUntil('three nodes up', async () => {
      const { nodes: listed } = await unary(nodesClient, 'ListNodes', {}, callerMetadata(undefined, undefined));
      return listed.filter((n: { state: string }) => n.state === 'UP').length === 3 ? true : undefined;
    });
  });

  afterAll(async () => {
    routeStream?.cancel();
    for (const node of nodes) {
      node.client.close();
      await node.cli.stop('SIGKILL');
    }
    await registryProcess?.stop('SIGKILL');
    for (const dir of dirs) removeDir(dir);
    const schema = databaseEnv['AIAAS_REGISTRY_DATABASE_SCHEMA'];
    if (schema) {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  const infer = (route: Route__Output, endpointIndex: number): Promise<ModelInferResponse__Output> => {
    const endpoint = route.endpoints[endpointIndex % route.endpoints.length]!;
    const node = nodeByAddress(endpoint.address);
    if (!node) throw new Error(`no node at ${endpoint.address}`);
    const request: ModelInferRequest = {
      model_name: route.served_name,
      model_version: String(route.version),
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
      raw_input_contents: [Buffer.from(input.buffer)],
    };
    return callUnary<ModelInferRequest, ModelInferResponse__Output>(node.client, node.client.ModelInfer, request, {
      deadline: Date.now() + 5_000,
    });
  };

  it('places an alias deployment on distinct nodes and serves it', async () => {
    await registryCall(registry, 'CreateModel', { name: 'mlp', description: 'e2e' }, metadata);
    await uploadVersion(registry, metadata, { model: 'mlp' }, [v1.bytes.subarray(0, 1000), v1.bytes.subarray(1000)]);
    await uploadVersion(registry, metadata, { model: 'mlp' }, [v2.bytes]);
    await registryCall(registry, 'SetAlias', { model: 'mlp', alias: 'production', version: 1 }, metadata);
    const started = Date.now();
    await unary(
      deployments,
      'CreateDeployment',
      { deployment: { name: 'mlp', model: 'mlp', alias: 'production', replicas: 2 } },
      metadata,
    );
    const route = await pollUntil('a route to v1 with two endpoints', () => {
      const r = productionRoute();
      return r && Number(r.version) === 1 && r.endpoints.length === 2 ? r : undefined;
    });
    const first = await infer(route, 0);
    console.log(`CreateDeployment → first successful inference: ${Date.now() - started} ms`);
    expect(new Set(route.endpoints.map((e) => e.node_id)).size).toBe(2);
    expect(close(outputOf(first), mlpReference(v1.weights, input, 1))).toBe(true);
    expect(close(outputOf(await infer(route, 1)), mlpReference(v1.weights, input, 1))).toBe(true);
  });

  it('rolls every replica to the new alias target with no failed request under traffic', async () => {
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    let sawV2 = false;
    const traffic = Promise.all(
      Array.from({ length: 4 }, async (_, worker) => {
        for (let n = worker; !stop; n++) {
          const route = productionRoute();
          if (!route) {
            failures.push('no route for production');
            await new Promise((resolve) => setTimeout(resolve, 10));
            continue;
          }
          try {
            const response = await infer(route, n);
            const expected = Number(response.model_version) === 2 ? v2 : v1;
            if (!close(outputOf(response), mlpReference(expected.weights, input, 1))) failures.push('wrong output');
            if (Number(response.model_version) === 2) sawV2 = true;
            ok++;
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const moved = Date.now();
    await registryCall(registry, 'SetAlias', { model: 'mlp', alias: 'production', version: 2 }, metadata);
    await pollUntil('all replicas on v2 and v1 gone', () => {
      const v2Route = routes.find((r) => r.model === 'mlp' && Number(r.version) === 2 && r.endpoints.length === 2);
      const v1Route = routes.find((r) => r.model === 'mlp' && Number(r.version) === 1);
      return v2Route && !v1Route ? true : undefined;
    });
    console.log(`alias move → every replica on v2 (v1 gone): ${Date.now() - moved} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await traffic;
    expect(failures).toEqual([]);
    expect(sawV2).toBe(true);
    expect(ok).toBeGreaterThan(20);
  });

  it('moves the replicas of a node that dies to a live node', async () => {
    const route = productionRoute()!;
    const victimId = route.endpoints[0]!.node_id;
    const victim = nodeByAddress(route.endpoints[0]!.address)!;
    await victim.cli.stop('SIGKILL');
    const moved = await pollUntil(
      'the replica placed on another node',
      () => {
        const r = productionRoute();
        return r && r.endpoints.length === 2 && !r.endpoints.some((e) => e.node_id === victimId) ? r : undefined;
      },
      30_000,
    );
    expect(new Set(moved.endpoints.map((e) => e.node_id)).size).toBe(2);
    const { nodes: listed } = await unary(nodesClient, 'ListNodes', {}, callerMetadata(undefined, undefined));
    expect(listed.find((n: { node_id: string }) => n.node_id === victimId).state).toBe('DOWN');
    expect(close(outputOf(await infer(moved, 0)), mlpReference(v2.weights, input, 1))).toBe(true);
    expect(close(outputOf(await infer(moved, 1)), mlpReference(v2.weights, input, 1))).toBe(true);
  });
});
