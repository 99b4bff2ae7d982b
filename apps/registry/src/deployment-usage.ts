import type { Kysely, Transaction } from 'kysely';
import type { RegistryTables } from './database';
import type { DeploymentTables } from './deployment-store';
// Kept apart from deployment-store.ts (which imports model-store.ts) so that model-store.ts can
// use it without an import cycle.

/**
 * The deployments (names, sorted) that pin a version or still have a replica of it (a roll in
 * progress): `ModelStore.deleteVersion` refuses to delete it while there are any.
 */
export async function deploymentsUsingVersion(
  db: Kysely<RegistryTables> | Transaction<RegistryTables>,
  modelId: string,
  version: number,
): Promise<string[]> {
  const typed = db.withTables<DeploymentTables>();
  const rows = await typed
    .selectFrom('deployments')
    .select('name')
    .where('model_id', '=', modelId)
    .where((eb) =>
      eb.or([
        eb('version', '=', version),
        eb.exists(
          eb
            .selectFrom('replicas')
            .select('replicas.id')
            .whereRef('replicas.deployment_id', '=', 'deployments.id')
            .where('replicas.version', '=', version),
        ),
      ]),
    )
    .orderBy('name')
    .execute();
  return rows.map((row) => row.name);
}
