import type { Transaction } from 'kysely';
import type { Caller } from '@aiaas/common';
import type { RegistryTables } from './database';

/** One audit row: who (the caller's principal) did what to which target, when — in the change's own transaction. */
export async function writeAudit<Tables extends RegistryTables>(
  transaction: Transaction<Tables>,
  caller: Caller,
  entry: { action: string; target: string; details: Record<string, unknown>; at: string },
): Promise<void> {
  // Any schema that includes the registry's tables has the audit table.
  const trx = transaction as unknown as Transaction<RegistryTables>;
  await trx
    .insertInto('audit')
    .values({
      tenant: caller.tenant,
      principal: caller.principal,
      action: entry.action,
      target: entry.target,
      details: JSON.stringify(entry.details),
      at: entry.at,
    })
    .execute();
}
