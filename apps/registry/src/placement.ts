/**
 * Placement: which live node serves which replica. A pure function over plain data (no I/O, no
 * clock), so every rule below is unit tested on its own (`placement.spec.ts`).
 *
 * Rules, in order:
 * 1. **Stability.** A replica already on a node that is still live and still has the right
 *    device stays there, whatever the memory arithmetic says now: moving a serving replica
 *    costs a load and a warm-up and buys nothing.
 * 2. **Device.** A `cpu` replica may go to any node; a `gpu` replica only to a node that lists a
 *    `gpu:*` device.
 * 3. **Spread.** Two replicas of one model version (the same `spreadKey`) never share a node:
 *    a node serves a model version once (`served_name` + version), so a second replica there
 *    would add no capacity and no redundancy. This is a hard rule; a replica that finds no
 *    other node stays unplaced.
 * 4. **Memory.** The node must have the replica's memory estimate free: its memory minus the
 *    estimates of every replica placed on it (reservations, not the heartbeat's usage figure,
 *    so placement does not flap with load).
 * 5. **Least loaded.** Among the nodes left, the one with the smallest reserved fraction of its
 *    memory, then the fewest replicas, then the smallest node id (deterministic).
 *
 * A replica that fits nowhere stays unplaced with a reason that names what was missing.
 */

/** A live node as placement sees it. */
export interface PlacementNode {
  nodeId: string;
  memoryBytes: number;
  /** `cpu`, `gpu:0`, `gpu:1`, … */
  devices: readonly string[];
}

/** One replica that should run somewhere. */
export interface ReplicaDemand {
  /** Identifies the replica in the result. */
  key: string;
  /** Replicas with the same key never share a node (one model version of one tenant). */
  spreadKey: string;
  memoryBytes: number;
  device: 'cpu' | 'gpu';
  /** Where it runs now, if anywhere. */
  currentNodeId?: string | null;
}

/**
 * Memory already taken on a node by a replica placement does not decide: one of a version being
 * rolled away from, kept until its successor is READY.
 */
export interface FixedReservation {
  nodeId: string;
  memoryBytes: number;
  spreadKey: string;
}

export type PlacementDecision = { nodeId: string } | { nodeId: null; reason: string };

export interface PlacementResult {
  /** One decision per demand, by key. */
  decisions: Map<string, PlacementDecision>;
  /** Memory reserved per node after placement (for ListNodes). */
  reservedBytes: Map<string, number>;
}

interface NodeLoad {
  node: PlacementNode;
  reserved: number;
  count: number;
  spreadKeys: Set<string>;
}

const MIB = 1024 * 1024;

/**
 * The memory a replica is assumed to need when its deployment gives no estimate: twice the
 * artifact (the file's bytes while onnxruntime builds the session, plus the session's own copy
 * of the weights) and 16 MiB for the runtime's arenas and the request queue.
 */
export function estimateReplicaMemory(artifactBytes: number): number {
  return artifactBytes * 2 + 16 * MIB;
}

/** Whether a node can run replicas for a device kind. */
export function nodeHasDevice(node: Pick<PlacementNode, 'devices'>, device: 'cpu' | 'gpu'): boolean {
  return device === 'cpu' || node.devices.some((d) => d === 'gpu' || d.startsWith('gpu:'));
}

/**
 * Decides a node (or none, with a reason) for every demand. Demands are placed in the order
 * given, so callers list them by deployment and slot to make the result deterministic.
 */
export function placeReplicas(
  nodes: readonly PlacementNode[],
  demands: readonly ReplicaDemand[],
  fixed: readonly FixedReservation[] = [],
): PlacementResult {
  const loads = new Map<string, NodeLoad>();
  for (const node of nodes) loads.set(node.nodeId, { node, reserved: 0, count: 0, spreadKeys: new Set() });
  for (const reservation of fixed) {
    const load = loads.get(reservation.nodeId);
    if (load !== undefined) reserve(load, reservation);
  }
  const decisions = new Map<string, PlacementDecision>();
  const pending: ReplicaDemand[] = [];

  // 1. Keep what is already placed on a live node with the right device.
  for (const demand of demands) {
    const load = demand.currentNodeId ? loads.get(demand.currentNodeId) : undefined;
    if (load !== undefined && nodeHasDevice(load.node, demand.device) && !load.spreadKeys.has(demand.spreadKey)) {
      reserve(load, demand);
      decisions.set(demand.key, { nodeId: load.node.nodeId });
    } else {
      pending.push(demand);
    }
  }

  // 2. Place the rest on the least-loaded node that fits.
  for (const demand of pending) {
    const candidates = [...loads.values()].filter(
      (load) =>
        nodeHasDevice(load.node, demand.device) &&
        !load.spreadKeys.has(demand.spreadKey) &&
        load.node.memoryBytes - load.reserved >= demand.memoryBytes,
    );
    candidates.sort(
      (a, b) =>
        fraction(a) - fraction(b) ||
        a.count - b.count ||
        (a.node.nodeId < b.node.nodeId ? -1 : a.node.nodeId > b.node.nodeId ? 1 : 0),
    );
    const best = candidates[0];
    if (best === undefined) {
      decisions.set(demand.key, { nodeId: null, reason: whyUnplaced([...loads.values()], demand) });
    } else {
      reserve(best, demand);
      decisions.set(demand.key, { nodeId: best.node.nodeId });
    }
  }

  return {
    decisions,
    reservedBytes: new Map([...loads.values()].map((load) => [load.node.nodeId, load.reserved])),
  };
}

function reserve(load: NodeLoad, demand: Pick<ReplicaDemand, 'memoryBytes' | 'spreadKey'>): void {
  load.reserved += demand.memoryBytes;
  load.count += 1;
  load.spreadKeys.add(demand.spreadKey);
}

function fraction(load: NodeLoad): number {
  return load.node.memoryBytes > 0 ? load.reserved / load.node.memoryBytes : Number.POSITIVE_INFINITY;
}

function whyUnplaced(loads: NodeLoad[], demand: ReplicaDemand): string {
  if (loads.length === 0) return 'no live node';
  const withDevice = loads.filter((load) => nodeHasDevice(load.node, demand.device));
  if (withDevice.length === 0) {
    return `no live node has a GPU (needs a "gpu:*" device; ${loads.length} live node(s) without one)`;
  }
  const spreadable = withDevice.filter((load) => !load.spreadKeys.has(demand.spreadKey));
  if (spreadable.length === 0) {
    return `every live ${demand.device} node (${withDevice.length}) already serves a replica of this model version; replicas go on distinct nodes`;
  }
  const roomiest = spreadable.reduce((a, b) =>
    b.node.memoryBytes - b.reserved > a.node.memoryBytes - a.reserved ? b : a,
  );
  return `no live node has ${demand.memoryBytes} bytes free (most free: ${
    roomiest.node.memoryBytes - roomiest.reserved
  } bytes on node "${roomiest.node.nodeId}")`;
}
