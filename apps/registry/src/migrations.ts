import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { DialectName } from './database';

/**
 * The registry's schema, as migrations kept in code (no migration folder to ship or find at run
 * time). Names sort in the order they apply; never edit one that has shipped, add the next.
 * Both dialects get the same tables and constraints; only the auto-numbered audit id and the
 * collation of model names are spelled per dialect.
 */
export function registryMigrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_initial': {
      up: async (db: Kysely<unknown>) => {
        // Byte order for names on PostgreSQL too, whatever the database's locale: listings page
        // through names in the same order on both dialects.
        const nameType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
        await db.schema
          .createTable('models')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', nameType, (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('models_tenant_name_unique', ['tenant', 'name'])
          .execute();

        await db.schema
          .createTable('blobs')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('versions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
          .addColumn('size_bytes', 'bigint', (c) => c.notNull())
          .addColumn('signature', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('metadata', 'text', (c) => c.notNull())
          .addColumn('parent_version', 'integer')
          .addColumn('job_id', 'text')
          .addColumn('passes', 'text', (c) => c.notNull())
          .addColumn('metrics', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addUniqueConstraint('versions_model_version_unique', ['model_id', 'version'])
          // NULLs are distinct in a unique constraint on both dialects: only set job ids collide.
          .addUniqueConstraint('versions_model_job_unique', ['model_id', 'job_id'])
          .execute();
        await db.schema.createIndex('versions_sha256_index').on('versions').column('sha256').execute();

        await db.schema
          .createTable('aliases')
          .addColumn('model_id', 'text', (c) => c.notNull())
          .addColumn('alias', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('aliases_pk', ['model_id', 'alias'])
          // Backs the store's own check: a version an alias points at cannot be deleted.
          .addForeignKeyConstraint('aliases_version_fk', ['model_id', 'version'], 'versions', ['model_id', 'version'])
          .execute();

        await db.schema
          .createTable('audit')
          .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
          )
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('principal', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('details', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_tenant_id_index').on('audit').columns(['tenant', 'id']).execute();
      },
    },
    '0002_deployments': {
      up: async (db: Kysely<unknown>) => {
        const nameType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
        // Desired state. `model_id` has no foreign key on purpose: DeleteModel (no versions left)
        // must not fail on a deployment whose alias and versions are gone; reconcile reports such
        // a deployment as unresolvable instead.
        await db.schema
          .createTable('deployments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('name', nameType, (c) => c.notNull())
          .addColumn('model_id', 'text', (c) => c.notNull())
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('alias', 'text')
          .addColumn('version', 'integer')
          .addColumn('replicas', 'integer', (c) => c.notNull())
          .addColumn('batching', 'text', (c) => c.notNull())
          .addColumn('instance_count', 'integer', (c) => c.notNull())
          .addColumn('device', 'text', (c) => c.notNull())
          .addColumn('memory_estimate_bytes', 'bigint', (c) => c.notNull())
          .addColumn('target_version', 'integer')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addUniqueConstraint('deployments_tenant_name_unique', ['tenant', 'name'])
          .execute();
        await db.schema.createIndex('deployments_model_index').on('deployments').column('model_id').execute();

        await db.schema
          .createTable('nodes')
          .addColumn('node_id', 'text', (c) => c.primaryKey())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('memory_bytes', 'bigint', (c) => c.notNull())
          .addColumn('memory_used_bytes', 'bigint', (c) => c.notNull())
          .addColumn('devices', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('last_heartbeat_at', 'text', (c) => c.notNull())
          .addColumn('registered_at', 'text', (c) => c.notNull())
          .execute();

        // One row per (deployment, version, slot): during a roll a slot has a replica of the old
        // and of the new version. node_id is null while the replica is UNPLACED.
        await db.schema
          .createTable('replicas')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
          .addColumn('slot', 'integer', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('node_id', 'text', (c) => c.references('nodes.node_id'))
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('replicas_deployment_version_slot_unique', ['deployment_id', 'version', 'slot'])
          .execute();
        await db.schema.createIndex('replicas_node_index').on('replicas').column('node_id').execute();
      },
    },
    '0003_jobs': {
      up: async (db: Kysely<unknown>) => {
        // Optimization jobs: the system of record for what was asked and what happened. BullMQ holds
        // only the queue entry (removed on completion); these rows outlive its retention.
        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('principal', 'text', (c) => c.notNull())
          .addColumn('model', 'text', (c) => c.notNull())
          .addColumn('source_version', 'integer', (c) => c.notNull())
          .addColumn('passes', 'text', (c) => c.notNull())
          .addColumn('thresholds', 'text', (c) => c.notNull())
          .addColumn('alias_on_success', 'text', (c) => c.notNull())
          .addColumn('priority', 'integer', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('result_version', 'integer', (c) => c.notNull())
          .addColumn('report', 'text', (c) => c.notNull())
          .addColumn('error', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('jobs_tenant_created_index')
          .on('jobs')
          .columns(['tenant', 'created_at', 'id'])
          .execute();
        await db.schema
          .createTable('job_events')
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
          .addColumn('sequence', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('pass', 'text', (c) => c.notNull())
          .addColumn('pass_index', 'integer', (c) => c.notNull())
          .addColumn('percent', 'integer', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('details', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('job_events_pk', ['job_id', 'sequence'])
          .execute();
      },
    },
    '0004_alias_canary': {
      up: async (db: Kysely<unknown>) => {
        // A canary on an alias: that share (0..100) of `model@alias` traffic goes to canary_version (0 = none).
        await db.schema
          .alterTable('aliases')
          .addColumn('canary_version', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .alterTable('aliases')
          .addColumn('canary_percent', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    '0005_job_options': {
      up: async (db: Kysely<unknown>) => {
        // Per-job timeout (0 = the worker's default), the uploaded validation dataset (its blob
        // under job-datasets/, '' = none) and the submitter's W3C trace context (for re-queueing).
        for (const [column, type] of [
          ['timeout_seconds', 'integer'],
          ['dataset_format', 'text'],
          ['dataset_sha256', 'text'],
          ['trace_context', 'text'],
        ] as const) {
          await db.schema
            .alterTable('jobs')
            .addColumn(column, type, (c) => c.notNull().defaultTo(type === 'integer' ? 0 : ''))
            .execute();
        }
      },
    },
  };
}
