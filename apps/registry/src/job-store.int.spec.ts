import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { createDatabase } from './database';
import type { RegistryDb } from './database';
import { JobStore } from './job-store';

const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACME = { tenant: 'acme', principal: 'alice' };
const request = {
  model: 'mlp',
  sourceVersion: 1,
  passes: [{ name: 'quantize-int8', settings: { perChannel: true } }],
  thresholds: { minCosine: 0.99 },
  aliasOnSuccess: '',
  priority: 0,
};

describe.each(['sqlite', 'postgres'] as const)('JobStore on %s', (backend) => {
  let dataDir: string;
  let db: RegistryDb;
  let store: JobStore;
  const schema = `test_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    dataDir = makeTempDir('job-store');
    db =
      backend === 'sqlite'
        ? await createDatabase(undefined, dataDir)
        : await createDatabase(PG_URL, dataDir, { schema }).catch((err: unknown) => {
            throw new Error(`the PostgreSQL half needs a server at ${PG_URL} (set DATABASE_URL): ${String(err)}`);
          });
    store = new JobStore(db);
  });

  afterAll(async () => {
    if (backend === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    await db?.destroy();
    removeDir(dataDir);
  });

  it('creates a queued job with its first event and numbers appended events in order', async () => {
    const job = await store.create(ACME, request);
    expect(job).toMatchObject({
      state: 'queued',
      tenant: 'acme',
      passes: request.passes,
      thresholds: { minCosine: 0.99 },
    });
    expect(job.events.map((e) => [e.sequence, e.kind])).toEqual([[1, 'queued']]);
    await Promise.all([
      store.append(job.id, { kind: 'started' }, { state: 'running', attempts: 1 }),
      store.append(job.id, { kind: 'progress', percent: 50 }),
    ]);
    const { job: done, written } = await store.append(
      job.id,
      { kind: 'completed', version: 2 },
      { state: 'completed', resultVersion: 2, report: '{"ok":true}' },
    );
    expect(written).toBe(true);
    expect(done).toMatchObject({ state: 'completed', resultVersion: 2, report: '{"ok":true}' });
    expect(done.events.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    // A guard that says no writes nothing.
    const refused = await store.append(job.id, { kind: 'failed' }, { state: 'failed' }, (j) => j.state === 'running');
    expect(refused.written).toBe(false);
    expect(refused.job.state).toBe('completed');
    expect(await store.events(job.id, 2)).toHaveLength(2);
  });

  it('hides other tenants’ jobs and pages listings newest first', async () => {
    const other = await store.create({ tenant: 'other', principal: 'bob' }, request);
    await expect(store.get('acme', other.id)).rejects.toThrow(`job "${other.id}" not found`);
    for (let i = 0; i < 3; i++) await store.create(ACME, { ...request, model: 'paged' });
    const first = await store.list('acme', { model: 'paged', pageSize: 2 });
    const second = await store.list('acme', { model: 'paged', pageSize: 2, pageToken: first.nextPageToken });
    expect(first.jobs).toHaveLength(2);
    expect(second.jobs).toHaveLength(1);
    expect(second.nextPageToken).toBe('');
    const ids = [...first.jobs, ...second.jobs].map((j) => j.id);
    expect(new Set(ids).size).toBe(3);
    expect((await store.list('acme', { state: 'completed' })).jobs.every((j) => j.state === 'completed')).toBe(true);
  });

  it('keeps the timeout, dataset and trace context, and lists every unfinished job of any tenant', async () => {
    const traceContext = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const job = await store.create(ACME, {
      ...request,
      model: 'options',
      timeoutSeconds: 90,
      dataset: { format: 'npz', sha256: 'ab'.repeat(32) },
      traceContext,
    });
    expect(job).toMatchObject({
      timeoutSeconds: 90,
      datasetFormat: 'npz',
      datasetSha256: 'ab'.repeat(32),
      traceContext,
    });
    const plain = await store.create({ tenant: 'other', principal: 'bob' }, { ...request, model: 'options' });
    expect(plain).toMatchObject({ timeoutSeconds: 0, datasetFormat: '', datasetSha256: '', traceContext: {} });
    const running = await store.create(ACME, { ...request, model: 'options' });
    await store.append(running.id, { kind: 'started' }, { state: 'running' });
    const finished = await store.create(ACME, { ...request, model: 'options' });
    await store.append(finished.id, { kind: 'failed' }, { state: 'failed' });

    const unfinished = (await store.listUnfinished()).filter((j) => j.model === 'options');
    // Oldest first; jobs created in the same millisecond tie, so compare as sets.
    expect(unfinished.map((j) => j.id).sort()).toEqual([job.id, plain.id, running.id].sort());
    expect(unfinished.find((j) => j.id === job.id)).toMatchObject({ timeoutSeconds: 90, traceContext });
  });
});
