import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Server, credentials, status } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { sql } from 'kysely';
import { bindServer, callerMetadata, createLogger } from '@aiaas/common';
import { buildMlp, MLP_SMALL } from '@aiaas/onnx';
import { loadRegistryPackage } from '@aiaas/proto';
import type {
  Assignment__Output,
  Deployment,
  Deployment__Output,
  DeploymentsClient,
  ListNodesResponse__Output,
  NodesClient,
  Route__Output,
  RoutesClient,
} from '@aiaas/proto';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { FileBlobStore } from './blob-store';
import { createDatabase } from './database';
import type { RegistryDb } from './database';
import { createDeploymentServices } from './deployments-service';
import type { DeploymentServices } from './deployments-service';
import { ModelStore } from './model-store';
import type { Caller } from './model-store';

const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOKEN = 'test-internal-token';
const HEARTBEAT_MS = 100;
const TIMEOUT_MS = 300;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

type Backend = 'sqlite' | 'postgres';
type Callback<T> = (err: ServiceError | null, value?: T) => void;

/** Promisifies one unary call. */
function unary<T>(invoke: (callback: Callback<T>) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    invoke((err, value) => (err ? reject(err) : resolve(value as T)));
  });
}

async function grpcCode(promise: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as ServiceError;
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An inference node as the registry sees it: a real gRPC client that registers, heartbeats, watches and reports. */
class FakeNode {
  nodeId = '';
  assignments: Assignment__Output[] = [];
  updates = 0;
  ended: { code: number } | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #stream: ReturnType<NodesClient['WatchAssignments']> | undefined;

  constructor(
    readonly client: NodesClient,
    readonly name: string,
    readonly memoryBytes = 1 * GIB,
    readonly devices: string[] = ['cpu'],
  ) {}

  async start(): Promise<this> {
    const response = await unary<{ node_id: string }>((cb) =>
      this.client.RegisterNode(
        {
          node_id: this.name,
          address: `${this.name}.test:8001`,
          memory_bytes: this.memoryBytes,
          devices: this.devices,
        },
        md(),
        cb,
      ),
    );
    this.nodeId = response.node_id;
    this.#heartbeat = setInterval(() => {
      this.client.Heartbeat({ node_id: this.nodeId }, md(), () => undefined);
    }, HEARTBEAT_MS);
    this.ended = undefined;
    this.#stream = this.client.WatchAssignments({ node_id: this.nodeId }, md());
    this.#stream.on('data', (message: { assignments: Assignment__Output[] }) => {
      this.assignments = message.assignments;
      this.updates += 1;
    });
    this.#stream.on('status', (s: { code: number }) => {
      this.ended = { code: s.code };
    });
    this.#stream.on('error', () => undefined);
    await waitFor(`${this.name}'s first assignment list`, () => this.updates > 0);
    return this;
  }

  /** Stops heartbeating, as a node that died does (its watch stream stays open until the registry ends it). */
  stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
  }

  stop(): void {
    this.stopHeartbeat();
    this.#stream?.cancel();
  }

  versions(servedName?: string): number[] {
    return this.assignments
      .filter((a) => servedName === undefined || a.served_name === servedName)
      .map((a) => Number(a.version))
      .sort((a, b) => a - b);
  }

  async report(
    servedName: string,
    version: number,
    state: 'REPLICA_STATE_READY' | 'REPLICA_STATE_LOADING' | 'REPLICA_STATE_FAILED',
  ): Promise<void> {
    await unary((cb) =>
      this.client.ReportReplicaStatus(
        { node_id: this.nodeId, replicas: [{ served_name: servedName, version, state, reason: '' }] },
        md(),
        cb,
      ),
    );
  }
}

const md = (caller?: Caller): Metadata => callerMetadata(caller, TOKEN);

function present(response: { deployment: Deployment__Output | null }): Deployment__Output {
  if (response.deployment === null) throw new Error('the response has no deployment');
  return response.deployment;
}

describe.each<Backend>(['sqlite', 'postgres'])('Deployments, Nodes and Routes on %s', (backend) => {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const pkg = loadRegistryPackage().aiaas.registry.v1;
  let dataDir: string;
  let db: RegistryDb;
  let store: ModelStore;
  let server: Server;
  let services: DeploymentServices;
  let deployments: DeploymentsClient;
  let nodesClient: NodesClient;
  let routesClient: RoutesClient;
  let nodes: FakeNode[] = [];

  beforeAll(async () => {
    dataDir = makeTempDir('deployments');
    if (backend === 'sqlite') db = await createDatabase(undefined, dataDir);
    else {
      try {
        db = await createDatabase(PG_URL, dataDir, { schema, poolSize: 10 });
      } catch (err) {
        throw new Error(
          `the PostgreSQL half needs a server at ${PG_URL} (set DATABASE_URL; CI starts one): ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    store = new ModelStore(db, new FileBlobStore(dataDir));
  });

  afterAll(async () => {
    if (db !== undefined) {
      if (backend === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    }
    removeDir(dataDir);
  });

  beforeEach(async () => {
    services = createDeploymentServices({
      db,
      store,
      logger: createLogger({ service: 'registry-test', level: 'silent' }),
      internalToken: TOKEN,
      heartbeatIntervalMs: HEARTBEAT_MS,
      heartbeatTimeoutMs: TIMEOUT_MS,
      reconcileIntervalMs: 100,
      drainGraceMs: 300,
    });
    server = new Server();
    for (const { service, handlers } of services.services) server.addService(service, handlers);
    const port = await bindServer(server, '127.0.0.1', 0);
    const address = `127.0.0.1:${port}`;
    deployments = new pkg.Deployments(address, credentials.createInsecure());
    nodesClient = new pkg.Nodes(address, credentials.createInsecure());
    routesClient = new pkg.Routes(address, credentials.createInsecure());
  });

  afterEach(async () => {
    for (const node of nodes) node.stop();
    nodes = [];
    await services.close();
    deployments.close();
    nodesClient.close();
    routesClient.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    // Nodes are global, not per tenant: every test starts with none.
    await sql`delete from replicas`.execute(db);
    await sql`delete from deployments`.execute(db);
    await sql`delete from nodes`.execute(db);
  });

  const newCaller = (): Caller => ({ tenant: `t-${randomUUID().slice(0, 8)}`, principal: 'key-1' });

  /** A model with `versions` small MLP versions (different bytes each) and `production` on v1. */
  async function modelWithVersions(caller: Caller, versions = 1, name = 'mlp') {
    await store.createModel(caller, { name });
    const created = [];
    for (let i = 0; i < versions; i++) {
      const bytes = buildMlp({ ...MLP_SMALL, seed: i + 1 }).bytes;
      created.push(await store.createVersion(caller, { model: name, artifact: Readable.from([Buffer.from(bytes)]) }));
    }
    await store.setAlias(caller, name, 'production', 1);
    return created;
  }

  const create = (caller: Caller, deployment: Deployment) =>
    unary<{ deployment: Deployment__Output | null }>((cb) =>
      deployments.CreateDeployment({ deployment }, md(caller), cb),
    ).then(present);
  const get = (caller: Caller, name: string) =>
    unary<{ deployment: Deployment__Output | null }>((cb) => deployments.GetDeployment({ name }, md(caller), cb)).then(
      present,
    );
  const listNodes = () => unary<ListNodesResponse__Output>((cb) => nodesClient.ListNodes({}, md(), cb));

  async function startNodes(count: number, memoryBytes = 1 * GIB): Promise<FakeNode[]> {
    const started: FakeNode[] = [];
    for (let i = 0; i < count; i++) {
      const node = new FakeNode(nodesClient, `node-${i}-${randomUUID().slice(0, 6)}`, memoryBytes);
      nodes.push(node);
      started.push(await node.start());
    }
    return started;
  }

  function watchRoutes(): { history: Route__Output[][]; latest: () => Route__Output[] } {
    const history: Route__Output[][] = [];
    const stream = routesClient.WatchRoutes({}, md());
    stream.on('data', (message: { routes: Route__Output[] }) => history.push(message.routes));
    stream.on('error', () => undefined);
    return { history, latest: () => history.at(-1) ?? [] };
  }

  it('creates, reads, updates, lists and deletes deployments within the tenant only', async () => {
    const caller = newCaller();
    const other = newCaller();
    await modelWithVersions(caller, 2);
    await store.createModel(other, { name: 'mlp' });

    const created = await create(caller, {
      model: 'mlp',
      alias: 'production',
      replicas: 2,
      batching: { max_batch_size: 16, preferred_batch_size: [4, 8] },
    });
    expect(created).toMatchObject({
      name: 'mlp',
      model: 'mlp',
      alias: 'production',
      version: '0',
      target_version: '1',
      replicas: 2,
      device: 'cpu',
      instance_count: 1,
    });
    // No nodes: both replicas wait, saying why.
    expect(created.replica_status.map((r) => [r.state, r.reason])).toEqual([
      ['REPLICA_STATE_UNPLACED', 'no live node'],
      ['REPLICA_STATE_UNPLACED', 'no live node'],
    ]);
    await create(caller, { name: 'pinned', model: 'mlp', version: 2, replicas: 1 });

    expect(await grpcCode(get(other, 'mlp'))).toEqual({
      code: status.NOT_FOUND,
      details: 'deployment "mlp" not found',
    });
    expect((await grpcCode(create(caller, { model: 'mlp', alias: 'production', replicas: 1 }))).code).toBe(
      status.ALREADY_EXISTS,
    );

    const updated = await unary<{ deployment: Deployment__Output | null }>((cb) =>
      deployments.UpdateDeployment(
        { deployment: { name: 'pinned', replicas: 3, alias: 'production' }, update_mask: ['replicas', 'alias'] },
        md(caller),
        cb,
      ),
    );
    expect(updated.deployment).toMatchObject({ replicas: 3, alias: 'production', version: '0', target_version: '1' });
    expect(
      await grpcCode(
        unary((cb) =>
          deployments.UpdateDeployment({ deployment: { name: 'pinned' }, update_mask: ['colour'] }, md(caller), cb),
        ),
      ),
    ).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('"colour"') as unknown });
    expect(
      (
        await grpcCode(
          unary((cb) =>
            deployments.UpdateDeployment(
              { deployment: { name: 'pinned', replicas: 1 }, update_mask: ['replicas'] },
              md(other),
              cb,
            ),
          ),
        )
      ).code,
    ).toBe(status.NOT_FOUND);

    const page1 = await unary<{ deployments: Deployment__Output[]; next_page_token: string }>((cb) =>
      deployments.ListDeployments({ page_size: 1 }, md(caller), cb),
    );
    expect(page1.deployments.map((d) => d.name)).toEqual(['mlp']);
    const page2 = await unary<{ deployments: Deployment__Output[]; next_page_token: string }>((cb) =>
      deployments.ListDeployments({ page_size: 1, page_token: page1.next_page_token }, md(caller), cb),
    );
    expect(page2.deployments.map((d) => d.name)).toEqual(['pinned']);
    expect(page2.next_page_token).toBe('');
    const others = await unary<{ deployments: Deployment__Output[] }>((cb) =>
      deployments.ListDeployments({}, md(other), cb),
    );
    expect(others.deployments).toEqual([]);

    expect((await grpcCode(unary((cb) => deployments.DeleteDeployment({ name: 'pinned' }, md(other), cb)))).code).toBe(
      status.NOT_FOUND,
    );
    await unary((cb) => deployments.DeleteDeployment({ name: 'pinned' }, md(caller), cb));
    expect((await grpcCode(get(caller, 'pinned'))).code).toBe(status.NOT_FOUND);
    const audit = await store.listAudit(caller);
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['deployment.create', 'deployment.update', 'deployment.delete']),
    );
  });

  it('validates deployments: target, replicas, device, and the caller metadata', async () => {
    const caller = newCaller();
    const other = newCaller();
    await modelWithVersions(caller, 1);
    const cases: [Deployment, number, string][] = [
      [
        { model: 'mlp', alias: 'production', version: 1, replicas: 1 },
        status.INVALID_ARGUMENT,
        'exactly one of alias and version',
      ],
      [{ model: 'mlp', replicas: 1 }, status.INVALID_ARGUMENT, 'exactly one of alias and version'],
      [{ model: 'nope', version: 1, replicas: 1 }, status.NOT_FOUND, 'model "nope" not found'],
      [{ model: 'mlp', version: 9, replicas: 1 }, status.NOT_FOUND, 'version 9 of model "mlp" not found'],
      [{ model: 'mlp', alias: 'staging', replicas: 1 }, status.NOT_FOUND, 'alias "staging" of model "mlp" not found'],
      [{ model: 'mlp', version: 1, replicas: -1 }, status.INVALID_ARGUMENT, 'replicas: expected an integer from 1'],
      [{ model: 'mlp', version: 1, replicas: 1001 }, status.INVALID_ARGUMENT, 'replicas: expected an integer from 1'],
      [
        { model: 'mlp', version: 1, replicas: 1, device: 'tpu' },
        status.INVALID_ARGUMENT,
        'device: expected "cpu" or "gpu"',
      ],
      [
        { model: 'mlp', version: 1, replicas: 1, batching: { max_batch_size: 4, preferred_batch_size: [8] } },
        status.INVALID_ARGUMENT,
        'preferred_batch_size',
      ],
    ];
    for (const [deployment, code, message] of cases) {
      const failure = await grpcCode(create(caller, deployment));
      expect({ deployment, code: failure.code, message: failure.details.includes(message) }).toEqual({
        deployment,
        code,
        message: true,
      });
    }
    // No replica count (proto3 0) on create means one; an update naming replicas must give a count.
    expect(await create(caller, { name: 'defaulted', model: 'mlp', version: 1 })).toMatchObject({ replicas: 1 });
    expect(
      await grpcCode(
        unary((cb) =>
          deployments.UpdateDeployment(
            { deployment: { name: 'defaulted', replicas: 0 }, update_mask: ['replicas'] },
            md(caller),
            cb,
          ),
        ),
      ),
    ).toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('replicas: expected an integer from 1'),
    });
    // Another tenant's model is not found, exactly like a missing one.
    expect(await grpcCode(create(other, { model: 'mlp', version: 1, replicas: 1 }))).toEqual({
      code: status.NOT_FOUND,
      details: 'model "mlp" not found',
    });
    // Without the internal token: UNAUTHENTICATED, on every service.
    const noToken = callerMetadata(caller, undefined);
    expect((await grpcCode(unary((cb) => deployments.GetDeployment({ name: 'mlp' }, noToken, cb)))).code).toBe(
      status.UNAUTHENTICATED,
    );
    expect((await grpcCode(unary((cb) => nodesClient.ListNodes({}, noToken, cb)))).code).toBe(status.UNAUTHENTICATED);
  });

  it('spreads replicas over distinct nodes and sends each node its assignments and config.json', async () => {
    const caller = newCaller();
    const [v1] = await modelWithVersions(caller, 1);
    const [a, b, c] = await startNodes(3);
    if (a === undefined || b === undefined || c === undefined || v1 === undefined) throw new Error('setup');
    await create(caller, {
      model: 'mlp',
      alias: 'production',
      replicas: 2,
      instance_count: 2,
      batching: {
        max_batch_size: 16,
        max_queue_delay_microseconds: 200,
        preferred_batch_size: [4, 8],
        max_queue_size: 32,
      },
    });
    const served = `${caller.tenant}.mlp`;
    const holders = await waitFor('two nodes with one assignment each', () => {
      const with1 = [a, b, c].filter((n) => n.assignments.length === 1);
      return with1.length === 2 && [a, b, c].filter((n) => n.assignments.length === 0).length === 1 && with1;
    });
    for (const node of holders) {
      const assignment = node.assignments[0];
      expect(assignment).toMatchObject({
        served_name: served,
        tenant: caller.tenant,
        model: 'mlp',
        version: '1',
        sha256: v1.sha256,
        size_bytes: String(v1.sizeBytes),
        deployment: 'mlp',
      });
      expect(JSON.parse(assignment?.config_json ?? '')).toEqual({
        max_batch_size: 16,
        dynamic_batching: {
          max_queue_delay_microseconds: 200,
          preferred_batch_size: [4, 8],
          default_queue_policy: { max_queue_size: 32 },
        },
        instance_group: [{ count: 2, kind: 'KIND_CPU' }],
        version_policy: { specific: { versions: [1] } },
      });
    }
    const deployment = await get(caller, 'mlp');
    expect(new Set(deployment.replica_status.map((r) => r.node_id)).size).toBe(2);
    expect(deployment.replica_status.every((r) => r.state === 'REPLICA_STATE_PENDING')).toBe(true);
    const listed = await listNodes();
    const reserved = listed.nodes
      .filter((n) => Number(n.memory_reserved_bytes) > 0)
      .map((n) => Number(n.memory_reserved_bytes));
    expect(reserved).toEqual([v1.sizeBytes * 2 + 16 * MIB, v1.sizeBytes * 2 + 16 * MIB]);

    // A third replica goes to the one node left.
    const idle = [a, b, c].find((n) => n.assignments.length === 0);
    await unary((cb) =>
      deployments.UpdateDeployment(
        { deployment: { name: 'mlp', replicas: 3 }, update_mask: ['replicas'] },
        md(caller),
        cb,
      ),
    );
    await waitFor('the idle node to get the third replica', () => idle?.assignments.length === 1);
    // A fourth has nowhere to go: unplaced, with the reason.
    await unary((cb) =>
      deployments.UpdateDeployment(
        { deployment: { name: 'mlp', replicas: 4 }, update_mask: ['replicas'] },
        md(caller),
        cb,
      ),
    );
    const after = await get(caller, 'mlp');
    expect(after.replica_status.filter((r) => r.state === 'REPLICA_STATE_UNPLACED').map((r) => r.reason)).toEqual([
      expect.stringContaining('distinct nodes'),
    ]);
  });

  it('marks a silent node DOWN, ends its watch stream and moves its replicas to another node', async () => {
    const caller = newCaller();
    await modelWithVersions(caller, 1);
    const started = await startNodes(3);
    await create(caller, { model: 'mlp', version: 1, replicas: 2 });
    const holders = await waitFor('two placed replicas', () => {
      const h = started.filter((n) => n.assignments.length === 1);
      return h.length === 2 && h;
    });
    const [dying, survivor] = holders;
    const spare = started.find((n) => !holders.includes(n));
    if (dying === undefined || survivor === undefined || spare === undefined) throw new Error('setup');
    const survivorUpdates = survivor.updates;

    dying.stopHeartbeat();
    await waitFor('the dead node to be marked DOWN', async () =>
      (await listNodes()).nodes.some((n) => n.node_id === dying.nodeId && n.state === 'DOWN'),
    );
    await waitFor("the dead node's watch stream to end cleanly", () => dying.ended?.code === status.OK);
    await waitFor('the replica to move to the spare node', () => spare.assignments.length === 1);
    // The surviving replica did not move: its node got no new list.
    expect(survivor.assignments).toHaveLength(1);
    expect(survivor.updates).toBe(survivorUpdates);
    // The dead node must register again.
    expect((await grpcCode(unary((cb) => nodesClient.Heartbeat({ node_id: dying.nodeId }, md(), cb)))).code).toBe(
      status.NOT_FOUND,
    );
    const deployment = await get(caller, 'mlp');
    expect(new Set(deployment.replica_status.map((r) => r.node_id))).toEqual(new Set([survivor.nodeId, spare.nodeId]));
  });

  it('rolls an alias move: new replicas first, old ones removed only once the new ones are READY', async () => {
    const caller = newCaller();
    await modelWithVersions(caller, 2);
    const [a, b] = await startNodes(2);
    if (a === undefined || b === undefined) throw new Error('setup');
    const served = `${caller.tenant}.mlp`;
    await create(caller, { model: 'mlp', alias: 'production', replicas: 2 });
    await waitFor('v1 on both nodes', () => a.versions().join() === '1' && b.versions().join() === '1');
    const routes = watchRoutes();
    await a.report(served, 1, 'REPLICA_STATE_READY');
    await b.report(served, 1, 'REPLICA_STATE_READY');
    await waitFor('the v1 route with two endpoints', () => routes.latest()[0]?.endpoints.length === 2);
    expect(routes.latest()).toEqual([
      expect.objectContaining({
        tenant: caller.tenant,
        model: 'mlp',
        version: '1',
        aliases: ['production'],
        served_name: served,
      }),
    ]);

    await store.setAlias(caller, 'mlp', 'production', 2);
    services.onRegistryChange({ tenant: caller.tenant, model: 'mlp', action: 'alias.set' });
    await waitFor('v1 and v2 on both nodes', () => a.versions().join() === '1,2' && b.versions().join() === '1,2');
    expect(JSON.parse(a.assignments[0]?.config_json ?? '')).toMatchObject({
      version_policy: { specific: { versions: [1, 2] } },
    });
    // Nothing is READY on v2 yet: after another pass, v1 still stays everywhere.
    await services.reconcile();
    expect([a.versions().join(), b.versions().join()]).toEqual(['1,2', '1,2']);
    // Version 1 is still served: deleting it is refused, naming the deployment.
    await expect(store.deleteVersion(caller, 'mlp', 1)).rejects.toThrow(/deployment "mlp"/);

    await a.report(served, 2, 'REPLICA_STATE_LOADING');
    await a.report(served, 2, 'REPLICA_STATE_READY');
    // v2 is routed (no endpoints) from the alias move on; the alias moves once v2 has one.
    await waitFor('a v2 route with an endpoint', () =>
      routes.latest().some((r) => r.version === '2' && r.endpoints.length > 0),
    );
    const both = routes.latest();
    expect(both.map((r) => [r.version, r.aliases])).toEqual([
      ['1', []],
      ['2', ['production']],
    ]);
    // The v1 replica of the slot whose v2 replica is READY left the routes at once (above), and
    // leaves its node after the drain grace; the other v1 replica still serves.
    await waitFor(
      'one v1 replica drained off its node',
      () =>
        a
          .versions()
          .concat(b.versions())
          .filter((v) => v === 1).length === 1,
    );

    await b.report(served, 2, 'REPLICA_STATE_READY');
    await waitFor('v1 gone from every node', () => a.versions().join() === '2' && b.versions().join() === '2');
    await waitFor('only the v2 route, on both nodes', () => {
      const latest = routes.latest();
      return latest.length === 1 && latest[0]?.version === '2' && latest[0].endpoints.length === 2;
    });
    // Throughout the roll the table always had a route for the model: never a gap.
    expect(routes.history.slice(routes.history.findIndex((t) => t.length > 0)).every((table) => table.length > 0)).toBe(
      true,
    );
    const v2First = routes.history.findIndex((t) => t.some((r) => r.version === '2'));
    expect(routes.history[v2First]?.some((r) => r.version === '1')).toBe(true);
    // Nothing uses v1 any more.
    await store.deleteVersion(caller, 'mlp', 1);
  });

  it('refuses to delete a version a deployment pins, naming the deployment', async () => {
    const caller = newCaller();
    await modelWithVersions(caller, 2);
    await create(caller, { name: 'canary', model: 'mlp', version: 2, replicas: 1 });
    const refused = await store.deleteVersion(caller, 'mlp', 2).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(refused?.name).toBe('FailedPreconditionError');
    expect(refused?.message).toBe(
      'version 2 of model "mlp" is used by deployment "canary"; update or delete the deployment first',
    );
    await unary((cb) => deployments.DeleteDeployment({ name: 'canary' }, md(caller), cb));
    await store.deleteVersion(caller, 'mlp', 2);
  });

  it('routes only to READY replicas on UP nodes', async () => {
    const caller = newCaller();
    await modelWithVersions(caller, 1);
    const [a, b] = await startNodes(2);
    if (a === undefined || b === undefined) throw new Error('setup');
    const served = `${caller.tenant}.mlp`;
    await create(caller, { model: 'mlp', alias: 'production', replicas: 2 });
    await waitFor('both nodes assigned', () => a.assignments.length === 1 && b.assignments.length === 1);
    const routes = watchRoutes();
    await waitFor('the first route table', () => routes.history.length > 0);
    // Targeted but nothing ready: routed with no endpoints (the gateway answers UNAVAILABLE).
    expect(routes.latest().map((r) => [r.version, r.aliases, r.endpoints])).toEqual([['1', ['production'], []]]);
    await a.report(served, 1, 'REPLICA_STATE_READY');
    await b.report(served, 1, 'REPLICA_STATE_LOADING');
    await waitFor('a route to node a only', () => routes.latest()[0]?.endpoints.length === 1);
    expect(routes.latest()[0]?.endpoints).toEqual([{ node_id: a.nodeId, address: `${a.name}.test:8001`, weight: 1 }]);
    await b.report(served, 1, 'REPLICA_STATE_FAILED');
    a.stopHeartbeat();
    await waitFor(
      'no endpoint once the only READY node is down',
      () => routes.history.length > 2 && routes.latest()[0]?.endpoints.length === 0,
    );
    // The route stays (a restart is UNAVAILABLE for callers, not NOT_FOUND).
    expect(routes.latest().map((r) => [r.version, r.aliases])).toEqual([['1', ['production']]]);
    const deployment = await get(caller, 'mlp');
    expect(deployment.replica_status.map((r) => r.state).sort()).toEqual([
      'REPLICA_STATE_FAILED',
      'REPLICA_STATE_UNPLACED',
    ]);
  });

  it('ends watch streams with status OK when the services close', async () => {
    const [a] = await startNodes(1);
    const routes: { code?: number } = {};
    const stream = routesClient.WatchRoutes({}, md());
    stream.on('status', (s: { code: number }) => (routes.code = s.code));
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
    await services.reconcile();
    await services.close();
    await waitFor('the node watch to end', () => a?.ended?.code === status.OK);
    await waitFor('the routes watch to end', () => routes.code === status.OK);
  });
});
