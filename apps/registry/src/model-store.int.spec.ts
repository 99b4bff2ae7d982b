import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate as nextTick } from 'node:timers/promises';
import { sql } from 'kysely';
import { buildMlp } from '@aiaas/onnx';
import { makeTempDir, removeDir, withExternalData as withExternalFile } from '@aiaas/testing';
import { FileBlobStore } from './blob-store';
import { createDatabase } from './database';
import type { RegistryDb } from './database';
import { ModelStore } from './model-store';
import type { Caller } from './model-store';

// The same suite runs on SQLite and on a real PostgreSQL (CI starts one on 127.0.0.1:5432). A
// missing server fails the PostgreSQL half loudly: skipping would let it rot unnoticed.
const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

type Backend = 'sqlite' | 'postgres';

/** A small MLP whose bytes differ per seed. */
function model(seed: number): Uint8Array {
  return buildMlp({ inputSize: 4, hiddenSizes: [4], outputSize: 2, seed }).bytes;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Streams bytes in small chunks with a yield between them, so concurrent uploads interleave. */
async function* chunked(bytes: Uint8Array, size = 256): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) {
    await nextTick();
    yield bytes.subarray(at, Math.min(at + size, bytes.byteLength));
  }
}

/** A stream that sends part of the bytes and then fails, as an aborted upload does. */
async function* abortedAfter(bytes: Uint8Array, sent: number): AsyncGenerator<Uint8Array> {
  yield bytes.subarray(0, sent);
  await nextTick();
  throw new Error('client cancelled the upload');
}

function withExternalData(location: string): Uint8Array {
  return withExternalFile(model(7), location);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection, but the call succeeded');
}

describe.each<Backend>(['sqlite', 'postgres'])('ModelStore on %s', (backend) => {
  let dataDir: string;
  let db: RegistryDb;
  let blobs: FileBlobStore;
  let store: ModelStore;
  const schema = `test_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    dataDir = makeTempDir('registry');
    if (backend === 'sqlite') {
      db = await createDatabase(undefined, dataDir);
    } else {
      try {
        db = await createDatabase(PG_URL, dataDir, { schema, poolSize: 12 });
      } catch (err) {
        throw new Error(
          `the PostgreSQL half of the registry suite needs a server at ${PG_URL} (set DATABASE_URL; CI starts one): ${
            err instanceof Error ? err.message : String(err)
          }`,
        );
      }
    }
    blobs = new FileBlobStore(dataDir);
    store = new ModelStore(db, blobs);
  });

  afterAll(async () => {
    if (db !== undefined) {
      if (backend === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
    }
    removeDir(dataDir);
  });

  /** A fresh tenant per test keeps tests apart on the shared database. */
  const newCaller = (principal = 'key-1'): Caller => ({
    tenant: `t-${randomUUID()}`,
    principal,
  });

  const tmpFiles = (): string[] => (fs.existsSync(blobs.tmpDir) ? fs.readdirSync(blobs.tmpDir) : []);
  const blobRow = async (hash: string) =>
    db.selectFrom('blobs').selectAll().where('sha256', '=', hash).executeTakeFirst();

  it('creates the SQLite file under the data dir, or tables in its own PostgreSQL schema', async () => {
    if (backend === 'sqlite') {
      expect(fs.existsSync(path.join(dataDir, 'registry.db'))).toBe(true);
      const mode = await sql<{
        journal_mode: string;
      }>`pragma journal_mode`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const fk = await sql<{
        foreign_keys: number;
      }>`pragma foreign_keys`.execute(db);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    } else {
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(
        db,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['aliases', 'audit', 'blobs', 'models', 'versions']),
      );
    }
  });

  describe('models', () => {
    it('creates, reads, updates and deletes a model', async () => {
      const caller = newCaller();
      const created = await store.createModel(caller, {
        name: 'resnet-50',
        description: 'image classifier',
        tags: { team: 'vision' },
        metadata: { owner: 'ana' },
      });
      expect(created).toMatchObject({
        name: 'resnet-50',
        description: 'image classifier',
        tags: { team: 'vision' },
      });
      expect(await store.getModel(caller, 'resnet-50')).toEqual(created);

      const updated = await store.updateModel(caller, 'resnet-50', {
        description: 'v2',
        tags: { team: 'ml' },
      });
      expect(updated).toMatchObject({
        description: 'v2',
        tags: { team: 'ml' },
        metadata: { owner: 'ana' },
      });
      expect((await store.getModel(caller, 'resnet-50')).tags).toEqual({
        team: 'ml',
      });

      await store.deleteModel(caller, 'resnet-50');
      const err = await rejection(store.getModel(caller, 'resnet-50'));
      expect(err).toMatchObject({
        name: 'NotFoundError',
        message: 'model "resnet-50" not found',
      });
    });

    it('refuses a duplicate name in one tenant and allows it in another', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'dup' });
      const err = await rejection(store.createModel(caller, { name: 'dup' }));
      expect(err).toMatchObject({
        name: 'AlreadyExistsError',
        message: 'model "dup" already exists',
      });
      await expect(store.createModel(newCaller(), { name: 'dup' })).resolves.toMatchObject({ name: 'dup' });
    });

    it.each(['', 'has space', 'a@b', '../etc', '-leading', 'x'.repeat(129)])(
      'rejects the model name %j',
      async (name) => {
        const err = await rejection(store.createModel(newCaller(), { name }));
        expect(err.name).toBe('InvalidArgumentError');
        expect(err.message).toContain('expected 1-128 letters, digits');
      },
    );

    it('rejects bad tags and metadata', async () => {
      const caller = newCaller();
      await expect(store.createModel(caller, { name: 'm', tags: { 'a=b': 'x' } })).rejects.toThrow(/tags: key "a=b"/);
      await expect(
        store.createModel(caller, {
          name: 'm',
          tags: { k: 3 as unknown as string },
        }),
      ).rejects.toThrow(/value of "k": expected a string/);
      await expect(store.listModels(caller)).resolves.toEqual({
        models: [],
        nextPageToken: '',
      });
    });

    it('pages through models in name order with an opaque token', async () => {
      const caller = newCaller();
      const names = ['m-06', 'm-02', 'm-04', 'm-01', 'm-07', 'm-03', 'm-05'];
      for (const name of names) await store.createModel(caller, { name });
      const seen: string[][] = [];
      let token = '';
      do {
        const page = await store.listModels(caller, {
          pageSize: 3,
          pageToken: token,
        });
        seen.push(page.models.map((m) => m.name));
        token = page.nextPageToken;
      } while (token !== '');
      expect(seen).toEqual([['m-01', 'm-02', 'm-03'], ['m-04', 'm-05', 'm-06'], ['m-07']]);
      await expect(store.listModels(caller, { pageToken: 'garbage' })).rejects.toThrow(/page token/);
    });

    it('filters models by tag and name prefix', async () => {
      const caller = newCaller();
      await store.createModel(caller, {
        name: 'vision-a',
        tags: { team: 'vision', stage: 'prod' },
      });
      await store.createModel(caller, {
        name: 'vision-b',
        tags: { team: 'vision' },
      });
      await store.createModel(caller, {
        name: 'speech-a',
        tags: { team: 'speech', 'k8s.io/arch': 'x86' },
      });
      const names = async (request: { tag?: string; namePrefix?: string }) =>
        (await store.listModels(caller, request)).models.map((m) => m.name);
      expect(await names({ tag: 'team=vision' })).toEqual(['vision-a', 'vision-b']);
      expect(await names({ tag: 'stage=prod' })).toEqual(['vision-a']);
      expect(await names({ tag: 'k8s.io/arch=x86' })).toEqual(['speech-a']);
      expect(await names({ tag: 'team=nobody' })).toEqual([]);
      expect(await names({ namePrefix: 'vision-' })).toEqual(['vision-a', 'vision-b']);
      expect(await names({ namePrefix: 'speech', tag: 'team=speech' })).toEqual(['speech-a']);
      expect(await names({ namePrefix: 'v_%' })).toEqual([]);
      await expect(names({ tag: 'no-equals' })).rejects.toThrow(/expected key=value/);
    });

    it('refuses to delete a model that has versions, and deletes it once they are gone', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'keep' });
      await store.createVersion(caller, {
        model: 'keep',
        artifact: chunked(model(101)),
      });
      const err = await rejection(store.deleteModel(caller, 'keep'));
      expect(err).toMatchObject({ name: 'FailedPreconditionError' });
      expect(err.message).toContain('still has 1 version(s)');
      await store.deleteVersion(caller, 'keep', 1);
      await store.deleteModel(caller, 'keep');
      await expect(store.getModel(caller, 'keep')).rejects.toThrow('model "keep" not found');
    });
  });

  describe('tenants', () => {
    it("answers NOT_FOUND for everything of another tenant's model, worded as for a missing model", async () => {
      const owner = newCaller();
      const other = newCaller();
      await store.createModel(owner, { name: 'secret', tags: { team: 'x' } });
      await store.createVersion(owner, {
        model: 'secret',
        artifact: chunked(model(201)),
      });
      await store.setAlias(owner, 'secret', 'production', 1);

      const missing = await rejection(store.getModel(other, 'nothing-here'));
      const expected = missing.message.replace('nothing-here', 'secret');
      expect(expected).toBe('model "secret" not found');
      const attempts: Promise<unknown>[] = [
        store.getModel(other, 'secret'),
        store.updateModel(other, 'secret', { description: 'mine now' }),
        store.deleteModel(other, 'secret'),
        store.createVersion(other, {
          model: 'secret',
          artifact: chunked(model(202)),
        }),
        store.getVersion(other, 'secret', 1),
        store.listVersions(other, { model: 'secret' }),
        store.openVersionArtifact(other, 'secret', 1),
        store.deleteVersion(other, 'secret', 1),
        store.setAlias(other, 'secret', 'staging', 1),
        store.deleteAlias(other, 'secret', 'production'),
        store.listAliases(other, 'secret'),
        store.resolveAlias(other, 'secret@production'),
      ];
      for (const attempt of attempts) {
        const err = await rejection(attempt);
        expect({
          name: err.name,
          code: err.code,
          message: err.message,
        }).toEqual({
          name: missing.name,
          code: 'NOT_FOUND',
          message: expected,
        });
      }
      expect((await store.listModels(other)).models).toEqual([]);
      expect((await store.listAudit(other)).entries).toEqual([]);
      // The owner's model is untouched.
      expect(await store.getModel(owner, 'secret')).toMatchObject({
        description: '',
      });
      expect((await store.resolveAlias(owner, 'secret@production')).version).toBe(1);
      expect(tmpFiles()).toEqual([]);
    });
  });

  describe('versions', () => {
    it('numbers versions 1, 2, 3 per model and records the signature', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'a' });
      await store.createModel(caller, { name: 'b' });
      const bytes = model(301);
      const v1 = await store.createVersion(caller, {
        model: 'a',
        artifact: chunked(bytes),
        tags: { q: 'fp32' },
        metadata: { note: 'first' },
      });
      const v2 = await store.createVersion(caller, {
        model: 'a',
        artifact: chunked(model(302)),
      });
      const b1 = await store.createVersion(caller, {
        model: 'b',
        artifact: Readable.from([Buffer.from(model(303))]),
      });
      expect([v1.version, v2.version, b1.version]).toEqual([1, 2, 1]);
      expect(v1).toMatchObject({
        model: 'a',
        sha256: sha256(bytes),
        sizeBytes: bytes.byteLength,
        tags: { q: 'fp32' },
        createdBy: 'key-1',
      });
      expect(v1.signature.inputs).toEqual([
        {
          name: 'input',
          onnxType: 'FLOAT',
          datatype: 'FP32',
          shape: ['batch', 4],
          rankKnown: true,
        },
      ]);
      expect(v1.signature.outputs[0]).toMatchObject({
        name: 'output',
        datatype: 'FP32',
        shape: ['batch', 2],
      });
      expect(v1.signature.parameterCount).toBe(4 * 4 + 4 + 4 * 2 + 2);
      expect(v1.signature.irVersion).toBeGreaterThan(0);
      expect(v1.signature.opsets[0]?.domain).toBe('ai.onnx');
      expect(await store.getVersion(caller, 'a', 1)).toEqual(v1);
      const listed = await store.listVersions(caller, { model: 'a' });
      expect(listed.versions.map((v) => v.version)).toEqual([1, 2]);
      await expect(store.getVersion(caller, 'a', 3)).rejects.toThrow('version 3 of model "a" not found');
    });

    it('gives 8 concurrent uploads to one model the distinct numbers 1..8', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'busy' });
      const uploads = Array.from({ length: 8 }, (_, i) =>
        store.createVersion(caller, {
          model: 'busy',
          artifact: chunked(model(400 + i), 128),
        }),
      );
      const versions = await Promise.all(uploads);
      expect(versions.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // Each number went to the bytes of the upload that got it.
      for (const [i, version] of versions.entries()) {
        const stored = await store.getVersion(caller, 'busy', version.version);
        expect(stored.sha256).toBe(sha256(model(400 + i)));
      }
      expect(tmpFiles()).toEqual([]);
    });

    it('stores the same bytes once, and deletes the blob with the last version that uses it', async () => {
      const caller = newCaller();
      const otherTenant = newCaller();
      await store.createModel(caller, { name: 'one' });
      await store.createModel(caller, { name: 'two' });
      await store.createModel(otherTenant, { name: 'three' });
      const bytes = model(501);
      const hash = sha256(bytes);
      const a = await store.createVersion(caller, {
        model: 'one',
        artifact: chunked(bytes),
      });
      const b = await store.createVersion(caller, {
        model: 'two',
        artifact: chunked(bytes),
      });
      const c = await store.createVersion(otherTenant, {
        model: 'three',
        artifact: chunked(bytes),
      });
      expect([a.sha256, b.sha256, c.sha256]).toEqual([hash, hash, hash]);
      const shard = path.join(blobs.blobDir, hash.slice(0, 2));
      expect(fs.readdirSync(shard).filter((name) => name === hash)).toHaveLength(1);
      expect(fs.readFileSync(blobs.pathOf(hash))).toEqual(Buffer.from(bytes));

      await store.deleteVersion(caller, 'one', 1);
      await store.deleteVersion(caller, 'two', 1);
      expect(await blobs.has(hash)).toBe(true); // the other tenant's version still uses it
      expect(await blobRow(hash)).toBeDefined();
      await store.deleteVersion(otherTenant, 'three', 1);
      expect(await blobs.has(hash)).toBe(false);
      expect(await blobRow(hash)).toBeUndefined();
    });

    it('streams an artifact back, whole or a byte range', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'dl' });
      const bytes = model(601);
      await store.createVersion(caller, {
        model: 'dl',
        artifact: chunked(bytes),
      });
      const whole = await store.openVersionArtifact(caller, 'dl', 1);
      expect(whole.version.sha256).toBe(sha256(bytes));
      expect(await readAll(whole.stream)).toEqual(Buffer.from(bytes));
      const part = await store.openVersionArtifact(caller, 'dl', 1, {
        start: 10,
        end: 50,
      });
      expect(await readAll(part.stream)).toEqual(Buffer.from(bytes.subarray(10, 50)));
      const empty = await store.openVersionArtifact(caller, 'dl', 1, {
        start: 5,
        end: 5,
      });
      expect((await readAll(empty.stream)).byteLength).toBe(0);
      await expect(
        store.openVersionArtifact(caller, 'dl', 1, {
          start: 0,
          end: bytes.byteLength + 1,
        }),
      ).rejects.toMatchObject({ name: 'InvalidArgumentError' });
    });

    const badArtifacts: [string, () => Uint8Array, RegExp][] = [
      [
        'garbage',
        () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]),
        /artifact rejected: not an ONNX model/,
      ],
      ['a truncated model', () => model(701).subarray(0, 100), /artifact rejected: not an ONNX model, or truncated/],
      ['a protobuf with no graph', () => Buffer.from([0x08, 0x07]), /no graph/],
      ['external data "../x"', () => withExternalData('../x'), /external data location "\.\.\/x" contains '\.\.'/],
      [
        'external data "/etc/passwd"',
        () => withExternalData('/etc/passwd'),
        /external data location "\/etc\/passwd" is an absolute path/,
      ],
      ['external data "a/../../b"', () => withExternalData('a/../../b'), /contains '\.\.'/],
    ];

    it.each(badArtifacts)(
      'rejects %s with INVALID_ARGUMENT and leaves nothing behind',
      async (_label, make, message) => {
        const caller = newCaller();
        await store.createModel(caller, { name: 'bad' });
        const bytes = make();
        const err = await rejection(
          store.createVersion(caller, {
            model: 'bad',
            artifact: chunked(bytes),
          }),
        );
        expect(err).toMatchObject({
          name: 'InvalidArgumentError',
          code: 'INVALID_ARGUMENT',
        });
        expect(err.message).toMatch(message);
        expect((await store.listVersions(caller, { model: 'bad' })).versions).toEqual([]);
        expect(await blobs.has(sha256(bytes))).toBe(false);
        expect(await blobRow(sha256(bytes))).toBeUndefined();
        expect(tmpFiles()).toEqual([]);
        const actions = (await store.listAudit(caller)).entries.map((e) => e.action);
        expect(actions).toEqual(['model.create']);
      },
    );

    it('accepts external data at a plain relative location and records it', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'ext' });
      const version = await store.createVersion(caller, {
        model: 'ext',
        artifact: chunked(withExternalData('weights.bin')),
      });
      expect(version.signature.externalDataLocations).toEqual(['weights.bin']);
    });

    it('rejects an artifact over the size limit with RESOURCE_EXHAUSTED naming the limit', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'big' });
      const bytes = model(801);
      const err = await rejection(
        store.createVersion(caller, {
          model: 'big',
          artifact: chunked(bytes),
          maxBytes: 300,
        }),
      );
      expect(err).toMatchObject({
        name: 'ResourceExhaustedError',
        code: 'RESOURCE_EXHAUSTED',
      });
      expect(err.message).toContain('limit of 300 bytes');
      expect((await store.listVersions(caller, { model: 'big' })).versions).toEqual([]);
      expect(await blobs.has(sha256(bytes))).toBe(false);
      expect(tmpFiles()).toEqual([]);
      // The same bytes under the limit are fine.
      await expect(
        store.createVersion(caller, {
          model: 'big',
          artifact: chunked(bytes),
          maxBytes: bytes.byteLength,
        }),
      ).resolves.toMatchObject({ version: 1 });
    });

    it('leaves nothing behind when the client aborts mid-upload', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'aborted' });
      const bytes = model(851);
      await expect(
        store.createVersion(caller, {
          model: 'aborted',
          artifact: abortedAfter(bytes, 100),
        }),
      ).rejects.toThrow('client cancelled the upload');
      expect((await store.listVersions(caller, { model: 'aborted' })).versions).toEqual([]);
      expect(tmpFiles()).toEqual([]);
      expect(await blobs.has(sha256(bytes))).toBe(false);
    });

    it('returns the existing version when a job registers its result again', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'jobs' });
      await store.createVersion(caller, {
        model: 'jobs',
        artifact: chunked(model(901)),
      });
      const first = await store.createVersion(caller, {
        model: 'jobs',
        artifact: chunked(model(902)),
        jobId: 'job-42',
        parent: 1,
      });
      const retryBytes = model(903);
      const again = await store.createVersion(caller, {
        model: 'jobs',
        artifact: chunked(retryBytes),
        jobId: 'job-42',
        parent: 1,
      });
      expect(again).toEqual(first);
      expect(await blobs.has(sha256(retryBytes))).toBe(false);
      // Concurrent registrations of one new job also end up as one version.
      const [x, y] = await Promise.all([
        store.createVersion(caller, {
          model: 'jobs',
          artifact: chunked(model(904)),
          jobId: 'job-43',
        }),
        store.createVersion(caller, {
          model: 'jobs',
          artifact: chunked(model(905)),
          jobId: 'job-43',
        }),
      ]);
      expect(x.version).toBe(y.version);
      expect((await store.listVersions(caller, { model: 'jobs' })).versions.map((v) => v.lineage.jobId)).toEqual([
        null,
        'job-42',
        'job-43',
      ]);
      expect(tmpFiles()).toEqual([]);
      const created = (await store.listAudit(caller)).entries.filter((e) => e.action === 'version.create');
      expect(created).toHaveLength(3);
    });

    it('records lineage and lists descendants', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'tree' });
      const up = (seed: number, parent?: number, jobId?: string) =>
        store.createVersion(caller, {
          model: 'tree',
          artifact: chunked(model(seed)),
          ...(parent === undefined ? {} : { parent }),
          ...(jobId === undefined ? {} : { jobId }),
          passes:
            jobId === undefined
              ? []
              : [
                  {
                    name: 'quantize',
                    settings: { mode: 'dynamic', bits: 8 },
                  },
                ],
          metrics: jobId === undefined ? {} : { sizeDelta: -0.74, latencyMs: { before: 3.1, after: 1.2 } },
        });
      await up(1001); // 1
      await up(1002, 1, 'job-a'); // 2 <- 1
      await up(1003, 2, 'job-b'); // 3 <- 2
      await up(1004, 1, 'job-c'); // 4 <- 1
      await up(1005); // 5
      const v2 = await store.getVersion(caller, 'tree', 2);
      expect(v2.lineage).toEqual({
        parentVersion: 1,
        jobId: 'job-a',
        passes: [{ name: 'quantize', settings: { mode: 'dynamic', bits: 8 } }],
        metrics: { sizeDelta: -0.74, latencyMs: { before: 3.1, after: 1.2 } },
      });
      const of = async (root: number) =>
        (
          await store.listVersions(caller, {
            model: 'tree',
            descendantsOf: root,
          })
        ).versions.map((v) => v.version);
      expect(await of(1)).toEqual([2, 3, 4]);
      expect(await of(2)).toEqual([3]);
      expect(await of(5)).toEqual([]);
      await expect(of(9)).rejects.toThrow('version 9 of model "tree" not found');
      await expect(
        store.createVersion(caller, {
          model: 'tree',
          artifact: chunked(model(1006)),
          parent: 99,
        }),
      ).rejects.toThrow('parent version 99 of model "tree" not found');
      expect(tmpFiles()).toEqual([]);
      const page1 = await store.listVersions(caller, {
        model: 'tree',
        pageSize: 2,
      });
      const page2 = await store.listVersions(caller, {
        model: 'tree',
        pageSize: 2,
        pageToken: page1.nextPageToken,
      });
      expect([...page1.versions, ...page2.versions].map((v) => v.version)).toEqual([1, 2, 3, 4]);
    });
  });

  describe('aliases', () => {
    it('sets, moves, resolves and deletes an alias; refuses deleting its version meanwhile', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'svc' });
      await store.createVersion(caller, {
        model: 'svc',
        artifact: chunked(model(1101)),
      });
      await store.createVersion(caller, {
        model: 'svc',
        artifact: chunked(model(1102)),
      });

      await store.setAlias(caller, 'svc', 'production', 1);
      expect((await store.resolveAlias(caller, 'svc@production')).version).toBe(1);
      await store.setAlias(caller, 'svc', 'production', 2);
      await store.setAlias(caller, 'svc', 'canary', 2);
      const resolved = await store.resolveAlias(caller, 'svc@production');
      expect(resolved).toMatchObject({
        version: 2,
        aliases: ['canary', 'production'],
      });
      expect((await store.resolveAlias(caller, 'svc@1')).version).toBe(1);
      expect((await store.listAliases(caller, 'svc')).map((a) => [a.alias, a.version])).toEqual([
        ['canary', 2],
        ['production', 2],
      ]);

      const refused = await rejection(store.deleteVersion(caller, 'svc', 2));
      expect(refused).toMatchObject({
        name: 'FailedPreconditionError',
        code: 'FAILED_PRECONDITION',
      });
      expect(refused.message).toContain('alias "canary", "production"');
      expect((await store.getVersion(caller, 'svc', 2)).version).toBe(2);

      await store.deleteAlias(caller, 'svc', 'canary');
      await store.setAlias(caller, 'svc', 'production', 1);
      await store.deleteVersion(caller, 'svc', 2);
      await expect(store.getVersion(caller, 'svc', 2)).rejects.toThrow('version 2 of model "svc" not found');
      await expect(store.resolveAlias(caller, 'svc@canary')).rejects.toThrow('alias "canary" of model "svc" not found');
      await expect(store.deleteAlias(caller, 'svc', 'canary')).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('refuses aliases to missing versions and bad alias names or references', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'svc' });
      await store.createVersion(caller, {
        model: 'svc',
        artifact: chunked(model(1201)),
      });
      await expect(store.setAlias(caller, 'svc', 'production', 7)).rejects.toThrow(
        'version 7 of model "svc" not found',
      );
      await expect(store.setAlias(caller, 'svc', '1st', 1)).rejects.toMatchObject({ name: 'InvalidArgumentError' });
      await expect(store.setAlias(caller, 'svc', 'a@b', 1)).rejects.toMatchObject({ name: 'InvalidArgumentError' });
      await expect(store.resolveAlias(caller, 'svc')).rejects.toThrow('expected "model@alias"');
      await expect(store.resolveAlias(caller, 'svc@')).rejects.toMatchObject({
        name: 'InvalidArgumentError',
      });
      expect(await store.listAliases(caller, 'svc')).toEqual([]);
    });
  });

  describe('audit', () => {
    it('records who did what to which target, newest first, one tenant at a time', async () => {
      const caller = newCaller('alice-key');
      const bob = { ...caller, principal: 'bob-client' };
      await store.createModel(caller, { name: 'aud' });
      await store.updateModel(bob, 'aud', { description: 'x' });
      await store.createVersion(bob, {
        model: 'aud',
        artifact: chunked(model(1301)),
      });
      await store.setAlias(caller, 'aud', 'production', 1);
      await store.deleteAlias(caller, 'aud', 'production');
      await store.deleteVersion(caller, 'aud', 1);
      await store.deleteModel(bob, 'aud');
      // Failed calls change nothing and are not audited.
      await expect(store.deleteModel(bob, 'aud')).rejects.toThrow();

      const { entries } = await store.listAudit(caller, { pageSize: 100 });
      expect(entries.map((e) => [e.principal, e.action, e.target])).toEqual([
        ['bob-client', 'model.delete', 'aud'],
        ['alice-key', 'version.delete', 'aud/1'],
        ['alice-key', 'alias.delete', 'aud@production'],
        ['alice-key', 'alias.set', 'aud@production'],
        ['bob-client', 'version.create', 'aud/1'],
        ['bob-client', 'model.update', 'aud'],
        ['alice-key', 'model.create', 'aud'],
      ]);
      expect(entries[3]?.details).toEqual({
        version: 1,
        previousVersion: null,
      });
      expect(entries[4]?.details).toMatchObject({
        sha256: sha256(model(1301)),
        parentVersion: null,
      });
      for (const entry of entries) expect(entry.at.getTime()).toBeGreaterThan(Date.now() - 60_000);

      const first = await store.listAudit(caller, { pageSize: 4 });
      const second = await store.listAudit(caller, {
        pageSize: 4,
        pageToken: first.nextPageToken,
      });
      expect(second.nextPageToken).toBe('');
      expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(entries.map((e) => e.id));
    });
  });

  describe('crash recovery', () => {
    it('sweeps temp files and blobs no version references, keeping referenced ones', async () => {
      const caller = newCaller();
      await store.createModel(caller, { name: 'crash' });
      const kept = model(1401);
      await store.createVersion(caller, {
        model: 'crash',
        artifact: chunked(kept),
      });
      // A registry killed mid-upload: a half-written temp file, and a blob renamed into place
      // whose row never committed.
      fs.mkdirSync(blobs.tmpDir, { recursive: true });
      fs.writeFileSync(path.join(blobs.tmpDir, 'interrupted.part'), Buffer.from(model(1402).subarray(0, 50)));
      const orphan = model(1403);
      await blobs.commit(await blobs.put(chunked(orphan), { maxBytes: 1 << 20 }));
      expect(await blobs.has(sha256(orphan))).toBe(true);

      const result = await store.sweepOrphans();
      expect(result.tempFilesRemoved).toBe(1);
      expect(result.blobsRemoved).toContain(sha256(orphan));
      expect(result.blobsRemoved).not.toContain(sha256(kept));
      expect(tmpFiles()).toEqual([]);
      expect(await blobs.has(sha256(orphan))).toBe(false);
      const { stream } = await store.openVersionArtifact(caller, 'crash', 1);
      expect(await readAll(stream)).toEqual(Buffer.from(kept));
    });
  });
});
