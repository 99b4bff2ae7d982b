import { estimateReplicaMemory, nodeHasDevice, placeReplicas } from './placement';
import type { PlacementNode, ReplicaDemand } from './placement';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

const node = (nodeId: string, memoryBytes = 4 * GIB, devices: string[] = ['cpu']): PlacementNode => ({
  nodeId,
  memoryBytes,
  devices,
});

const demands = (count: number, overrides: Partial<ReplicaDemand> & { prefix?: string } = {}): ReplicaDemand[] =>
  Array.from({ length: count }, (_, i) => ({
    key: `${overrides.prefix ?? 'd'}-${i}`,
    spreadKey: overrides.spreadKey ?? 'acme/m@1',
    memoryBytes: overrides.memoryBytes ?? 100 * MIB,
    device: overrides.device ?? 'cpu',
    currentNodeId: overrides.currentNodeId ?? null,
  }));

const nodeOf = (result: ReturnType<typeof placeReplicas>, key: string): string | null =>
  result.decisions.get(key)?.nodeId ?? null;

describe('placeReplicas', () => {
  it('spreads replicas of one model version over distinct nodes', () => {
    const result = placeReplicas([node('a'), node('b'), node('c')], demands(3));
    const used = ['d-0', 'd-1', 'd-2'].map((key) => nodeOf(result, key));
    expect(new Set(used)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('leaves a replica unplaced rather than put two of one version on a node', () => {
    const result = placeReplicas([node('a'), node('b')], demands(3));
    const decision = result.decisions.get('d-2');
    expect(decision).toEqual({ nodeId: null, reason: expect.stringContaining('distinct nodes') as unknown });
  });

  it('lets two versions of one model share a node (a roll)', () => {
    const result = placeReplicas(
      [node('a')],
      [
        ...demands(1, { prefix: 'v2', spreadKey: 'acme/m@2' }),
        ...demands(1, { prefix: 'v1', spreadKey: 'acme/m@1', currentNodeId: 'a' }),
      ],
    );
    expect(nodeOf(result, 'v1-0')).toBe('a');
    expect(nodeOf(result, 'v2-0')).toBe('a');
  });

  it('respects free memory, counting what is already reserved', () => {
    const result = placeReplicas([node('a', 1 * GIB), node('b', 300 * MIB)], demands(2, { memoryBytes: 400 * MIB }), [
      { nodeId: 'a', memoryBytes: 700 * MIB, spreadKey: 'other/x@1' },
    ]);
    expect(nodeOf(result, 'd-0')).toBeNull();
    const unplaced = result.decisions.get('d-0');
    expect(unplaced).toEqual({
      nodeId: null,
      reason: expect.stringMatching(
        /no live node has 419430400 bytes free \(most free: 3\d+ bytes on node "a"\)/,
      ) as unknown,
    });
    expect(result.reservedBytes.get('a')).toBe(700 * MIB);
  });

  it('puts gpu replicas only on nodes with a gpu device, cpu replicas anywhere', () => {
    const nodes = [node('cpu-only'), node('with-gpu', 4 * GIB, ['cpu', 'gpu:0'])];
    const gpu = placeReplicas(nodes, demands(2, { device: 'gpu' }));
    expect(nodeOf(gpu, 'd-0')).toBe('with-gpu');
    expect(nodeOf(gpu, 'd-1')).toBeNull();
    const cpu = placeReplicas(nodes, demands(2));
    expect(new Set([nodeOf(cpu, 'd-0'), nodeOf(cpu, 'd-1')])).toEqual(new Set(['cpu-only', 'with-gpu']));
    const none = placeReplicas([node('cpu-only')], demands(1, { device: 'gpu' }));
    expect(none.decisions.get('d-0')).toEqual({
      nodeId: null,
      reason: expect.stringContaining('no live node has a GPU') as unknown,
    });
    expect(nodeHasDevice({ devices: ['gpu:3'] }, 'gpu')).toBe(true);
    expect(nodeHasDevice({ devices: ['cpu'] }, 'gpu')).toBe(false);
  });

  it('keeps existing placements where they are (no churn), even on a busier node', () => {
    const nodes = [node('busy', 4 * GIB), node('idle', 64 * GIB)];
    const result = placeReplicas(nodes, demands(1, { currentNodeId: 'busy' }), [
      { nodeId: 'busy', memoryBytes: 3 * GIB, spreadKey: 'x/y@1' },
    ]);
    expect(nodeOf(result, 'd-0')).toBe('busy');
  });

  it('moves a replica whose node is gone, and prefers the least-loaded node', () => {
    const nodes = [node('a', 4 * GIB), node('b', 4 * GIB), node('c', 4 * GIB)];
    const result = placeReplicas(nodes, demands(1, { currentNodeId: 'dead' }), [
      { nodeId: 'a', memoryBytes: 2 * GIB, spreadKey: 'x/y@1' },
      { nodeId: 'c', memoryBytes: 1 * GIB, spreadKey: 'x/z@1' },
    ]);
    expect(nodeOf(result, 'd-0')).toBe('b');
  });

  it('places deterministically and says why nothing fits without nodes', () => {
    const first = placeReplicas([node('b'), node('a')], demands(1));
    expect(nodeOf(first, 'd-0')).toBe('a');
    expect(placeReplicas([], demands(1)).decisions.get('d-0')).toEqual({ nodeId: null, reason: 'no live node' });
  });

  it('estimates memory as twice the artifact plus 16 MiB', () => {
    expect(estimateReplicaMemory(10 * MIB)).toBe(36 * MIB);
    expect(estimateReplicaMemory(0)).toBe(16 * MIB);
  });
});
