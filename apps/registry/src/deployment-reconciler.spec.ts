import { buildNodeModelConfig, DEFAULT_BATCHING, servedName } from './deployment-config';
import { buildAssignments, buildRoutes, planReconcile } from './deployment-reconciler';
import type { ReconcileState } from './deployment-reconciler';
import type { DeploymentsTable, NodesTable, ReplicasTable } from './deployment-store';

const AT = '2025-01-01T00:00:00.000Z';
const GIB = 1024 ** 3;

function deployment(overrides: Partial<DeploymentsTable> = {}): DeploymentsTable {
  return {
    id: 'dep-1',
    tenant: 'acme',
    name: 'mlp',
    model_id: 'model-1',
    model: 'mlp',
    alias: 'production',
    version: null,
    replicas: 2,
    batching: JSON.stringify({ ...DEFAULT_BATCHING, maxBatchSize: 8 }),
    instance_count: 2,
    device: 'cpu',
    memory_estimate_bytes: 0,
    target_version: 1,
    created_at: AT,
    updated_at: AT,
    created_by: 'key-1',
    ...overrides,
  };
}

const node = (nodeId: string, state = 'UP'): NodesTable => ({
  node_id: nodeId,
  address: `${nodeId}:8001`,
  memory_bytes: 4 * GIB,
  memory_used_bytes: 0,
  devices: '["cpu"]',
  state,
  last_heartbeat_at: AT,
  registered_at: AT,
});

const replica = (id: string, slot: number, version: number, nodeId: string | null, state = 'READY'): ReplicasTable => ({
  id,
  deployment_id: 'dep-1',
  slot,
  version,
  node_id: nodeId,
  state,
  reason: '',
  updated_at: AT,
});

function state(overrides: Partial<ReconcileState> = {}): ReconcileState {
  return {
    deployments: [deployment()],
    nodes: [node('a'), node('b')],
    replicas: [],
    aliases: [{ model_id: 'model-1', alias: 'production', version: 1 }],
    versions: [
      { model_id: 'model-1', version: 1, sha256: 'aa', size_bytes: 1000 },
      { model_id: 'model-1', version: 2, sha256: 'bb', size_bytes: 2000 },
    ],
    now: AT,
    drainGraceMs: 2000,
    ...overrides,
  };
}

describe('buildNodeModelConfig', () => {
  it('writes Triton config.json fields, omitting a max_batch_size of 0', () => {
    expect(
      buildNodeModelConfig({
        batching: { maxBatchSize: 32, maxQueueDelayMicroseconds: 100, preferredBatchSize: [8, 16], maxQueueSize: 64 },
        instanceCount: 2,
        device: 'gpu',
        versions: [4, 3, 4],
      }),
    ).toEqual({
      max_batch_size: 32,
      dynamic_batching: {
        max_queue_delay_microseconds: 100,
        preferred_batch_size: [8, 16],
        default_queue_policy: { max_queue_size: 64 },
      },
      instance_group: [{ count: 2, kind: 'KIND_GPU' }],
      version_policy: { specific: { versions: [3, 4] } },
    });
    const defaults = buildNodeModelConfig({
      batching: DEFAULT_BATCHING,
      instanceCount: 1,
      device: 'cpu',
      versions: [1],
    });
    expect(defaults).not.toHaveProperty('max_batch_size');
    expect(defaults['instance_group']).toEqual([{ count: 1, kind: 'KIND_CPU' }]);
    expect(servedName('acme', 'resnet-50')).toBe('acme.resnet-50');
  });
});

describe('planReconcile', () => {
  it('places the missing replicas of the target on distinct nodes', () => {
    const plan = planReconcile(state());
    expect(plan.insert).toHaveLength(2);
    expect(new Set(plan.insert.map((r) => r.nodeId))).toEqual(new Set(['a', 'b']));
    expect(plan.insert.every((r) => r.version === 1)).toBe(true);
  });

  it('keeps the old version until the new replica of the same slot is READY', () => {
    const rolling = state({
      aliases: [{ model_id: 'model-1', alias: 'production', version: 2 }],
      replicas: [replica('old-0', 0, 1, 'a'), replica('old-1', 1, 1, 'b')],
    });
    const first = planReconcile(rolling);
    expect(first.remove).toEqual([]);
    expect(first.insert.map((r) => r.version)).toEqual([2, 2]);
    expect(first.targets).toEqual([{ deploymentId: 'dep-1', version: 2 }]);

    const halfReady = planReconcile({
      ...rolling,
      replicas: [...rolling.replicas, replica('new-0', 0, 2, 'b', 'READY'), replica('new-1', 1, 2, 'a', 'LOADING')],
    });
    // Replaced: first out of the routes (draining), and only after the grace off its node.
    expect(halfReady.drain).toEqual(['old-0']);
    expect(halfReady.remove).toEqual([]);
    expect(halfReady.insert).toEqual([]);
    const draining = (at: string) =>
      planReconcile({
        ...rolling,
        now: at,
        replicas: [
          { ...replica('old-0', 0, 1, 'a'), state: 'DRAINING' },
          rolling.replicas[1]!,
          replica('new-0', 0, 2, 'b', 'READY'),
          replica('new-1', 1, 2, 'a', 'LOADING'),
        ],
      });
    expect(draining('2025-01-01T00:00:01.000Z').remove).toEqual([]);
    expect(draining('2025-01-01T00:00:02.000Z').remove).toEqual(['old-0']);
    // A draining replica leaves the routes; the target stays routed (no endpoints yet).
    expect(
      buildRoutes({ ...rolling, replicas: [{ ...replica('old-0', 0, 1, 'a'), state: 'DRAINING' }] }).map((r) => [
        r.version,
        r.aliases,
        r.endpoints,
      ]),
    ).toEqual([[2, ['production'], []]]);
  });

  it('drops old replicas that serve nobody at once, and a node that is gone loses its replicas', () => {
    const plan = planReconcile(
      state({
        nodes: [node('a'), node('b', 'DOWN'), node('c')],
        aliases: [{ model_id: 'model-1', alias: 'production', version: 2 }],
        replicas: [replica('old-0', 0, 1, 'a', 'FAILED'), replica('new-1', 1, 2, 'b')],
      }),
    );
    expect(plan.remove).toEqual(['old-0']);
    expect(plan.move).toEqual([{ id: 'new-1', nodeId: expect.stringMatching(/^[ac]$/) as unknown, reason: '' }]);
  });

  it('leaves an unresolvable deployment (alias gone) as it runs', () => {
    const plan = planReconcile(state({ aliases: [], replicas: [replica('r-0', 0, 1, 'a')] }));
    expect(plan).toMatchObject({ insert: [], move: [], remove: [], targets: [] });
  });

  it('builds per-node assignments with every version of a served name in its version policy, and routes of READY replicas', () => {
    const s = state({
      replicas: [
        replica('old-0', 0, 1, 'a', 'READY'),
        replica('new-0', 0, 2, 'a', 'LOADING'),
        replica('x', 1, 1, 'b', 'PENDING'),
      ],
    });
    const assignments = buildAssignments(s);
    const onA = assignments.get('a') ?? [];
    expect(onA.map((a) => a.version)).toEqual([1, 2]);
    expect(JSON.parse(onA[0]?.config_json ?? '{}')).toMatchObject({
      max_batch_size: 8,
      version_policy: { specific: { versions: [1, 2] } },
      instance_group: [{ count: 2, kind: 'KIND_CPU' }],
    });
    expect(onA[0]).toMatchObject({
      served_name: 'acme.mlp',
      tenant: 'acme',
      model: 'mlp',
      sha256: 'aa',
      size_bytes: 1000,
      deployment: 'mlp',
    });
    expect(buildRoutes(s)).toEqual([
      {
        tenant: 'acme',
        model: 'mlp',
        version: 1,
        aliases: ['production'],
        served_name: 'acme.mlp',
        endpoints: [{ node_id: 'a', address: 'a:8001', weight: 1 }],
      },
    ]);
  });

  it('keeps an alias on the version still served until its new target has a ready endpoint', () => {
    const moved = {
      aliases: [{ model_id: 'model-1', alias: 'production', version: 2 }],
      deployments: [deployment({ target_version: 2 })],
    };
    const during = buildRoutes(
      state({ ...moved, replicas: [replica('old-0', 0, 1, 'a', 'READY'), replica('new-0', 0, 2, 'b', 'LOADING')] }),
    );
    expect(during.map((r) => [r.version, r.aliases, r.endpoints.length])).toEqual([
      [1, ['production'], 1],
      [2, [], 0],
    ]);
    const after = buildRoutes(
      state({ ...moved, replicas: [replica('old-0', 0, 1, 'a', 'READY'), replica('new-0', 0, 2, 'b', 'READY')] }),
    );
    expect(after.map((r) => [r.version, r.aliases])).toEqual([
      [1, []],
      [2, ['production']],
    ]);
  });

  it('keeps the routes of targeted versions, with no endpoints, while their only replica restarts', () => {
    const pinned = deployment({ id: 'dep-2', name: 'pinned', alias: null, version: 2, replicas: 1, target_version: 2 });
    const globex = deployment({ id: 'dep-3', tenant: 'globex', model_id: 'model-9', replicas: 1 });
    const restarting = state({
      deployments: [deployment({ replicas: 1 }), pinned, globex],
      nodes: [node('a', 'DOWN'), node('b')],
      aliases: [
        { model_id: 'model-1', alias: 'production', version: 1 },
        { model_id: 'model-9', alias: 'production', version: 1 },
      ],
      versions: [...state().versions, { model_id: 'model-9', version: 1, sha256: 'cc', size_bytes: 10 }],
      replicas: [
        // The alias deployment's only node is DOWN; the pinned one's replica reloads on b.
        replica('r-1', 0, 1, 'a', 'READY'),
        { ...replica('r-2', 0, 2, 'b', 'LOADING'), deployment_id: 'dep-2' },
        { ...replica('r-3', 0, 1, 'b', 'READY'), deployment_id: 'dep-3' },
      ],
    });
    expect(buildRoutes(restarting)).toEqual([
      {
        tenant: 'acme',
        model: 'mlp',
        version: 1,
        aliases: ['production'],
        served_name: 'acme.mlp',
        endpoints: [],
      },
      { tenant: 'acme', model: 'mlp', version: 2, aliases: [], served_name: 'acme.mlp', endpoints: [] },
      {
        tenant: 'globex',
        model: 'mlp',
        version: 1,
        aliases: ['production'],
        served_name: 'globex.mlp',
        endpoints: [{ node_id: 'b', address: 'b:8001', weight: 1 }],
      },
    ]);
    // A deployment whose alias is gone (or whose version is) has nothing to route.
    expect(buildRoutes(state({ aliases: [], replicas: [] }))).toEqual([]);
    expect(buildRoutes(state({ versions: [], replicas: [] }))).toEqual([]);
  });

  it('carries an alias canary on the alias route, and none for 0% or a canary equal to the target', () => {
    const canary = (canary_version: number, canary_percent: number) =>
      buildRoutes(
        state({
          aliases: [{ model_id: 'model-1', alias: 'production', version: 1, canary_version, canary_percent }],
          deployments: [deployment({ target_version: 1 })],
          replicas: [replica('old-0', 0, 1, 'a', 'READY')],
        }),
      );
    expect(canary(2, 25).map((r) => [r.version, r.aliases, r.canaries])).toEqual([
      [1, ['production'], [{ alias: 'production', version: 2, percent: 25 }]],
    ]);
    expect(canary(2, 0)[0]).not.toHaveProperty('canaries');
    expect(canary(1, 50)[0]).not.toHaveProperty('canaries');
  });
});
