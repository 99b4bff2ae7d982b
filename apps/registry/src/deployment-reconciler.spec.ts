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
    expect(buildRoutes({ ...rolling, replicas: [{ ...replica('old-0', 0, 1, 'a'), state: 'DRAINING' }] })).toEqual([]);
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
    const moved = { aliases: [{ model_id: 'model-1', alias: 'production', version: 2 }], deployments: [deployment({ target_version: 2 })] };
    const during = buildRoutes(
      state({ ...moved, replicas: [replica('old-0', 0, 1, 'a', 'READY'), replica('new-0', 0, 2, 'b', 'LOADING')] }),
    );
    expect(during.map((r) => [r.version, r.aliases])).toEqual([[1, ['production']]]);
    const after = buildRoutes(
      state({ ...moved, replicas: [replica('old-0', 0, 1, 'a', 'READY'), replica('new-0', 0, 2, 'b', 'READY')] }),
    );
    expect(after.map((r) => [r.version, r.aliases])).toEqual([
      [1, []],
      [2, ['production']],
    ]);
  });
});
