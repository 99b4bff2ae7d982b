import { RegistryMetrics } from './registry-metrics';

async function sample(
  metrics: RegistryMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))?.value;
}

describe('RegistryMetrics', () => {
  it('counts placements by whether a node took the replica', async () => {
    const metrics = new RegistryMetrics(false);
    metrics.observePlacements(['node-a', null, 'node-b']);
    metrics.observePlacements([]);
    expect(await sample(metrics, 'aiaas_registry_placements_total', { result: 'placed' })).toBe(2);
    expect(await sample(metrics, 'aiaas_registry_placements_total', { result: 'unplaced' })).toBe(1);
  });

  it('sets replicas by state from the whole table, every known state present, gone ones back to 0', async () => {
    const metrics = new RegistryMetrics(false);
    metrics.observeReplicas(['READY', 'READY', 'PENDING']);
    expect(await sample(metrics, 'aiaas_registry_replicas', { state: 'READY' })).toBe(2);
    expect(await sample(metrics, 'aiaas_registry_replicas', { state: 'PENDING' })).toBe(1);
    expect(await sample(metrics, 'aiaas_registry_replicas', { state: 'UNPLACED' })).toBe(0);
    metrics.observeReplicas(['READY']);
    expect(await sample(metrics, 'aiaas_registry_replicas', { state: 'READY' })).toBe(1);
    expect(await sample(metrics, 'aiaas_registry_replicas', { state: 'PENDING' })).toBe(0);
  });
});
