import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** How an upload ended, as the `outcome` label of `aiaas_registry_uploads_total`. */
export type UploadOutcome = 'ok' | 'invalid' | 'too_large' | 'refused' | 'cancelled' | 'error';

/**
 * What a reconcile pass did with a replica, as the `result` label of
 * `aiaas_registry_placements_total`: placed on a node (new or moved there), or left unplaced
 * because no UP node had room.
 */
export type PlacementResult = 'placed' | 'unplaced';

/** Replica states, as the `state` label of `aiaas_registry_replicas` (every one is always exported). */
export const REPLICA_STATES = ['PENDING', 'LOADING', 'READY', 'FAILED', 'UNPLACED', 'DRAINING'] as const;

/**
 * The registry's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * that several registries in one process — tests — never collide.
 */
export class RegistryMetrics {
  readonly registry = new Registry();
  readonly uploads = new Counter({
    name: 'aiaas_registry_uploads_total',
    help: 'UploadVersion calls by outcome (ok, invalid, too_large, refused, cancelled, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly uploadBytes = new Counter({
    name: 'aiaas_registry_upload_bytes_total',
    help: 'Artifact bytes received by UploadVersion, whether or not the upload succeeded',
    registers: [this.registry],
  });
  readonly downloads = new Counter({
    name: 'aiaas_registry_downloads_total',
    help: 'DownloadVersion calls that sent their whole range',
    registers: [this.registry],
  });

  readonly placements = new Counter({
    name: 'aiaas_registry_placements_total',
    help: 'Replica placements decided by the reconciler, new or moved: placed on a node, or unplaced (no node had room)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly replicas = new Gauge({
    name: 'aiaas_registry_replicas',
    help: 'Replicas of all deployments by state, after the last reconcile pass',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  /** Counts what one reconcile pass placed: `nodeIds` of its new and moved replicas (null = unplaced). */
  observePlacements(nodeIds: readonly (string | null)[]): void {
    for (const nodeId of nodeIds) this.placements.inc({ result: nodeId === null ? 'unplaced' : 'placed' });
  }

  /** Sets the replicas gauge from every replica's state (a state with none reads 0, not absent). */
  observeReplicas(states: readonly string[]): void {
    const counts = new Map<string, number>(REPLICA_STATES.map((state) => [state, 0]));
    for (const state of states) counts.set(state, (counts.get(state) ?? 0) + 1);
    for (const [state, count] of counts) this.replicas.set({ state }, count);
  }

  /** @param withProcessMetrics also collect prom-client's default process metrics (CPU, memory, event loop) */
  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
