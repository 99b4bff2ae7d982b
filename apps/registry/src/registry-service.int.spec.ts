import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server, status } from '@grpc/grpc-js';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { sql } from 'kysely';
import { bindServer, callerMetadata } from '@aiaas/common';
import { MLP_SMALL, buildMlp, decodeModel, encodeModel } from '@aiaas/onnx';
import { loadRegistryPackage } from '@aiaas/proto';
import {
  withExternalData as withExternalFile,
  chunksOf,
  createRegistryClient,
  downloadVersion,
  makeTempDir,
  registryCall,
  removeDir,
  uploadVersion,
  writeWithBackPressure,
} from '@aiaas/testing';
import type { RegistryClient } from '@aiaas/testing';
import { FileBlobStore } from './blob-store';
import { createDatabase } from './database';
import type { RegistryDb } from './database';
import { ModelStore } from './model-store';
import { createRegistryHandlers } from './registry-service';
import type { RegistryChangeEvent } from './registry-service';

// Real gRPC on 127.0.0.1 port 0, on SQLite and on a real PostgreSQL (a fresh schema per rig).
const PG_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Small, so that "over the limit by actual bytes" needs little data; MLP-small is ~19 KB. */
const LIMIT = 64 * 1024;
const TOKEN = 'internal-secret';

type Backend = 'sqlite' | 'postgres';

interface Rig {
  dataDir: string;
  db: RegistryDb;
  blobs: FileBlobStore;
  client: RegistryClient;
  /** A second server on the same store that requires the internal token. */
  guardedClient: RegistryClient;
  events: RegistryChangeEvent[];
  close(): Promise<void>;
}

async function startRig(backend: Backend): Promise<Rig> {
  const dataDir = makeTempDir('registry-grpc');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  let db: RegistryDb;
  try {
    db = await createDatabase(backend === 'postgres' ? PG_URL : undefined, dataDir, { schema });
  } catch (err) {
    throw new Error(
      `the PostgreSQL half of the registry suite needs a server at ${PG_URL} (set DATABASE_URL; CI starts one): ${String(err)}`,
    );
  }
  const blobs = new FileBlobStore(dataDir);
  const store = new ModelStore(db, blobs);
  const events: RegistryChangeEvent[] = [];
  const service = loadRegistryPackage().aiaas.registry.v1.ModelRegistry.service;
  const server = new Server();
  // A small chunk size, so that even the test model downloads in several messages.
  server.addService(
    service,
    createRegistryHandlers(store, { maxArtifactBytes: LIMIT, chunkBytes: 4096, onChange: (e) => events.push(e) }),
  );
  const guarded = new Server();
  guarded.addService(service, createRegistryHandlers(store, { maxArtifactBytes: LIMIT, internalToken: TOKEN }));
  const client = createRegistryClient(await bindServer(server, '127.0.0.1', 0));
  const guardedClient = createRegistryClient(await bindServer(guarded, '127.0.0.1', 0));
  return {
    dataDir,
    db,
    blobs,
    client,
    guardedClient,
    events,
    async close() {
      client.close();
      guardedClient.close();
      server.forceShutdown();
      guarded.forceShutdown();
      if (backend === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
      await db.destroy();
      removeDir(dataDir);
    },
  };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const mlp = (seed = 1): Uint8Array => buildMlp({ ...MLP_SMALL, seed }).bytes;

/** A fresh tenant per test keeps tests apart on the shared database. */
function newTenant(principal = 'key-1'): { tenant: string; md: Metadata } {
  const tenant = `t-${randomUUID()}`;
  return { tenant, md: callerMetadata({ tenant, principal }, undefined) };
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Every file (not folder) under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function withExternalData(location: string): Uint8Array {
  return withExternalFile(mlp(7), location);
}

/** The model without its graph: valid protobuf, not a usable model. */
function withoutGraph(): Uint8Array {
  const proto = decodeModel(mlp(8));
  delete proto.graph;
  return encodeModel(proto);
}

describe.each<Backend>(['sqlite', 'postgres'])('ModelRegistry over gRPC on %s', (backend) => {
  let rig: Rig;
  let c: RegistryClient;

  beforeAll(async () => {
    rig = await startRig(backend);
    c = rig.client;
  });
  afterAll(async () => {
    await rig?.close();
  });

  const createModel = (md: Metadata, name: string, tags: Record<string, string> = {}) =>
    registryCall(c, 'CreateModel', { name, description: `the ${name} model`, tags, metadata: { owner: 'ml' } }, md);
  const upload = (md: Metadata, model: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) =>
    uploadVersion(c, md, { model, ...extra }, chunksOf(bytes, 3000));

  describe('models', () => {
    it('creates, gets, updates (honouring update_mask) and deletes a model', async () => {
      const { md } = newTenant();
      const created = await createModel(md, 'resnet', { team: 'vision' });
      expect(created.model).toMatchObject({
        name: 'resnet',
        description: 'the resnet model',
        tags: { team: 'vision' },
      });
      expect(Date.parse(created.model!.created_at)).not.toBeNaN();

      const got = await registryCall(c, 'GetModel', { name: 'resnet' }, md);
      expect(got.model).toEqual(created.model);

      // Only the description: the tags stay, although the request carries none.
      const described = await registryCall(
        c,
        'UpdateModel',
        { name: 'resnet', update_mask: ['description'], description: 'new words' },
        md,
      );
      expect(described.model).toMatchObject({
        description: 'new words',
        tags: { team: 'vision' },
        metadata: { owner: 'ml' },
      });
      // Named in the mask with an empty value: cleared.
      const cleared = await registryCall(c, 'UpdateModel', { name: 'resnet', update_mask: ['tags'] }, md);
      expect(cleared.model).toMatchObject({ description: 'new words', tags: {} });
      const badMask = await failure(registryCall(c, 'UpdateModel', { name: 'resnet', update_mask: ['name'] }, md));
      expect(badMask).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('update_mask: unknown field "name"'),
      });

      const duplicate = await failure(createModel(md, 'resnet'));
      expect(duplicate).toMatchObject({ code: status.ALREADY_EXISTS, details: 'model "resnet" already exists' });

      await registryCall(c, 'DeleteModel', { name: 'resnet' }, md);
      const gone = await failure(registryCall(c, 'GetModel', { name: 'resnet' }, md));
      expect(gone).toMatchObject({ code: status.NOT_FOUND, details: 'model "resnet" not found' });
    });

    it('pages through models and filters by tag and name prefix', async () => {
      const { md } = newTenant();
      for (const name of ['a-1', 'a-2', 'a-3', 'b-1', 'b-2']) {
        await createModel(md, name, { kind: name.startsWith('a') ? 'alpha' : 'beta' });
      }
      const names: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const page = await registryCall(c, 'ListModels', { page_size: 2, page_token: token }, md);
        names.push(...page.models.map((m) => m.name));
        token = page.next_page_token;
        pages++;
      } while (token !== '');
      expect(names).toEqual(['a-1', 'a-2', 'a-3', 'b-1', 'b-2']);
      expect(pages).toBe(3);

      const beta = await registryCall(c, 'ListModels', { tag: 'kind=beta' }, md);
      expect(beta.models.map((m) => m.name)).toEqual(['b-1', 'b-2']);
      const prefixed = await registryCall(c, 'ListModels', { name_prefix: 'a-' }, md);
      expect(prefixed.models.map((m) => m.name)).toEqual(['a-1', 'a-2', 'a-3']);
      const badToken = await failure(registryCall(c, 'ListModels', { page_token: 'nonsense' }, md));
      expect(badToken.code).toBe(status.INVALID_ARGUMENT);
    });
  });

  describe('tenants', () => {
    it("answers another tenant's model exactly like a missing one, on every call", async () => {
      const owner = newTenant();
      const other = newTenant();
      await createModel(owner.md, 'secret');
      await upload(owner.md, 'secret', mlp());
      await registryCall(c, 'SetAlias', { model: 'secret', alias: 'production', version: 1 }, owner.md);

      const missing = 'model "secret" not found';
      const calls: [string, () => Promise<unknown>][] = [
        ['GetModel', () => registryCall(c, 'GetModel', { name: 'secret' }, other.md)],
        [
          'UpdateModel',
          () => registryCall(c, 'UpdateModel', { name: 'secret', update_mask: ['description'] }, other.md),
        ],
        ['DeleteModel', () => registryCall(c, 'DeleteModel', { name: 'secret' }, other.md)],
        ['UploadVersion', () => upload(other.md, 'secret', mlp())],
        ['GetVersion', () => registryCall(c, 'GetVersion', { model: 'secret', version: 1 }, other.md)],
        ['ListVersions', () => registryCall(c, 'ListVersions', { model: 'secret' }, other.md)],
        ['DownloadVersion', () => downloadVersion(c, other.md, { model: 'secret', version: 1 })],
        ['DeleteVersion', () => registryCall(c, 'DeleteVersion', { model: 'secret', version: 1 }, other.md)],
        ['SetAlias', () => registryCall(c, 'SetAlias', { model: 'secret', alias: 'x', version: 1 }, other.md)],
        ['DeleteAlias', () => registryCall(c, 'DeleteAlias', { model: 'secret', alias: 'production' }, other.md)],
        ['ResolveAlias', () => registryCall(c, 'ResolveAlias', { reference: 'secret@production' }, other.md)],
      ];
      for (const [name, call] of calls) {
        const err = await failure(call());
        expect({ name, code: err.code, details: err.details }).toEqual({
          name,
          code: status.NOT_FOUND,
          details: missing,
        });
      }
      // ... exactly as the owner's own missing model reads.
      const ownMissing = await failure(registryCall(c, 'GetModel', { name: 'nothing' }, owner.md));
      expect(ownMissing.details).toBe('model "nothing" not found');
      const listed = await registryCall(c, 'ListModels', {}, other.md);
      expect(listed.models).toEqual([]);
      // The owner still has everything.
      const versions = await registryCall(c, 'ListVersions', { model: 'secret' }, owner.md);
      expect(versions.versions.map((v) => v.version)).toEqual(['1']);
    });

    it('refuses a call without a tenant, and one without the internal token when a token is configured', async () => {
      const noTenant = await failure(registryCall(c, 'ListModels', {}, callerMetadata(undefined, undefined)));
      expect(noTenant).toMatchObject({
        code: status.UNAUTHENTICATED,
        details: expect.stringContaining('x-aiaas-tenant'),
      });

      const g = rig.guardedClient;
      const { tenant } = newTenant();
      const withoutToken = await failure(
        registryCall(g, 'ListModels', {}, callerMetadata({ tenant, principal: 'p' }, undefined)),
      );
      expect(withoutToken).toMatchObject({
        code: status.UNAUTHENTICATED,
        details: expect.stringContaining('x-aiaas-internal-token'),
      });
      const wrongToken = await failure(
        registryCall(g, 'ListModels', {}, callerMetadata({ tenant, principal: 'p' }, 'nope')),
      );
      expect(wrongToken.code).toBe(status.UNAUTHENTICATED);
      const uploadWithout = await failure(
        uploadVersion(g, callerMetadata({ tenant, principal: 'p' }, undefined), { model: 'm' }, [mlp()]),
      );
      expect(uploadWithout.code).toBe(status.UNAUTHENTICATED);
      const withToken = await registryCall(g, 'ListModels', {}, callerMetadata({ tenant, principal: 'p' }, TOKEN));
      expect(withToken.models).toEqual([]);
    });
  });

  describe('versions', () => {
    it('uploads a model in chunks and returns its signature and sha256; downloads it whole and by range', async () => {
      const { md } = newTenant();
      await createModel(md, 'mlp');
      const bytes = mlp();
      const { version } = await upload(md, 'mlp', bytes, {
        tags: { stage: 'raw' },
        expected_size_bytes: bytes.byteLength,
      });
      expect(version).toMatchObject({
        model: 'mlp',
        version: '1',
        sha256: sha256(bytes),
        size_bytes: String(bytes.byteLength),
        tags: { stage: 'raw' },
        created_by: 'key-1',
      });
      const signature = version!.signature!;
      expect(signature.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: ['batch', '64'] }]);
      expect(signature.outputs).toEqual([{ name: 'output', datatype: 'FP32', shape: ['batch', '10'] }]);
      expect(Number(signature.ir_version)).toBeGreaterThan(0);
      expect(signature.opsets.length).toBeGreaterThan(0);
      expect(Number(signature.parameter_count)).toBe(64 * 64 + 64 + 64 * 10 + 10);

      const whole = await downloadVersion(c, md, { model: 'mlp', version: 1 });
      expect(sha256(whole.bytes)).toBe(sha256(bytes));
      expect(whole.messages).toBe(Math.ceil(bytes.byteLength / 4096));
      expect(whole.first).toMatchObject({ sha256: sha256(bytes), size_bytes: String(bytes.byteLength) });

      const range = await downloadVersion(c, md, { model: 'mlp', version: 1, offset: 5000, length: 6000 });
      expect(range.bytes.equals(Buffer.from(bytes.subarray(5000, 11000)))).toBe(true);
      expect(range.first).toMatchObject({ sha256: sha256(bytes), size_bytes: String(bytes.byteLength) });
      const tail = await downloadVersion(c, md, { model: 'mlp', version: 1, offset: bytes.byteLength - 10 });
      expect(tail.bytes.equals(Buffer.from(bytes.subarray(bytes.byteLength - 10)))).toBe(true);
      const empty = await downloadVersion(c, md, { model: 'mlp', version: 1, offset: bytes.byteLength });
      expect(empty).toMatchObject({ messages: 1, first: { sha256: sha256(bytes) } });
      expect(empty.bytes.byteLength).toBe(0);

      const past = await failure(
        downloadVersion(c, md, { model: 'mlp', version: 1, offset: 10, length: bytes.byteLength }),
      );
      expect(past).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('is outside version 1 of model "mlp"'),
      });
      const negative = await failure(downloadVersion(c, md, { model: 'mlp', version: 1, offset: -1 }));
      expect(negative).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('offset >= 0'),
      });
      const noVersion = await failure(downloadVersion(c, md, { model: 'mlp', version: 9 }));
      expect(noVersion).toMatchObject({ code: status.NOT_FOUND, details: 'version 9 of model "mlp" not found' });
    });

    it('gives two concurrent uploads to one model distinct version numbers', async () => {
      const { md } = newTenant();
      await createModel(md, 'race');
      const results = await Promise.all([upload(md, 'race', mlp(11)), upload(md, 'race', mlp(12))]);
      expect(results.map((r) => r.version!.version).sort()).toEqual(['1', '2']);
      const listed = await registryCall(c, 'ListVersions', { model: 'race' }, md);
      expect(listed.versions.map((v) => v.version)).toEqual(['1', '2']);
    });

    it('keeps lineage (parent, job, passes, metrics) and lists descendants', async () => {
      const { md } = newTenant();
      await createModel(md, 'lin');
      await upload(md, 'lin', mlp(21));
      const passes = [{ name: 'quantize', settings_json: '{"mode":"dynamic","bits":8}' }];
      const { version: child } = await upload(md, 'lin', mlp(22), {
        parent_version: 1,
        job_id: 'job-42',
        passes,
        metrics_json: '{"sizeDelta":-0.74,"accuracy":{"top1Delta":-0.002}}',
      });
      await upload(md, 'lin', mlp(23), { parent_version: 2 });
      await upload(md, 'lin', mlp(24));
      expect(child!.lineage).toEqual({
        parent_version: '1',
        job_id: 'job-42',
        passes,
        metrics_json: '{"sizeDelta":-0.74,"accuracy":{"top1Delta":-0.002}}',
      });
      const got = await registryCall(c, 'GetVersion', { model: 'lin', version: 2 }, md);
      expect(got.version!.lineage).toEqual(child!.lineage);
      const descendants = await registryCall(c, 'ListVersions', { model: 'lin', descendants_of: 1 }, md);
      expect(descendants.versions.map((v) => v.version)).toEqual(['2', '3']);
      // The same job again answers with its version instead of a new one.
      const again = await upload(md, 'lin', mlp(25), { parent_version: 1, job_id: 'job-42' });
      expect(again.version!.version).toBe('2');
      const badMetrics = await failure(upload(md, 'lin', mlp(26), { metrics_json: '[1]' }));
      expect(badMetrics).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: 'metrics_json: expected a JSON object, got an array',
      });
      const badParent = await failure(upload(md, 'lin', mlp(27), { parent_version: 99 }));
      expect(badParent).toMatchObject({
        code: status.NOT_FOUND,
        details: 'parent version 99 of model "lin" not found',
      });
    });

    it('sets, resolves and deletes aliases, and refuses to delete an aliased version, naming the alias', async () => {
      const { md, tenant } = newTenant();
      await createModel(md, 'svc');
      await upload(md, 'svc', mlp(31));
      await upload(md, 'svc', mlp(32));
      const set = await registryCall(c, 'SetAlias', { model: 'svc', alias: 'production', version: 2 }, md);
      expect(set.alias).toMatchObject({ model: 'svc', alias: 'production', version: '2', updated_by: 'key-1' });
      const resolved = await registryCall(c, 'ResolveAlias', { reference: 'svc@production' }, md);
      expect(resolved.version).toMatchObject({ version: '2', aliases: ['production'] });
      const byNumber = await registryCall(c, 'ResolveAlias', { reference: 'svc@1' }, md);
      expect(byNumber.version!.version).toBe('1');
      const badRef = await failure(registryCall(c, 'ResolveAlias', { reference: 'svc' }, md));
      expect(badRef).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('expected "model@alias" or "model@version"'),
      });

      const refused = await failure(registryCall(c, 'DeleteVersion', { model: 'svc', version: 2 }, md));
      expect(refused).toMatchObject({
        code: status.FAILED_PRECONDITION,
        details: expect.stringContaining('alias "production"'),
      });

      await registryCall(c, 'DeleteAlias', { model: 'svc', alias: 'production' }, md);
      const unresolved = await failure(registryCall(c, 'ResolveAlias', { reference: 'svc@production' }, md));
      expect(unresolved).toMatchObject({
        code: status.NOT_FOUND,
        details: 'alias "production" of model "svc" not found',
      });
      await registryCall(c, 'DeleteVersion', { model: 'svc', version: 2 }, md);
      const left = await registryCall(c, 'ListVersions', { model: 'svc' }, md);
      expect(left.versions.map((v) => v.version)).toEqual(['1']);
      const hasVersions = await failure(registryCall(c, 'DeleteModel', { name: 'svc' }, md));
      expect(hasVersions.code).toBe(status.FAILED_PRECONDITION);

      const mine = rig.events.filter((e) => e.tenant === tenant).map((e) => e.kind);
      expect(mine).toEqual(['version-created', 'version-created', 'alias-set', 'alias-deleted', 'version-deleted']);
    });

    it('records who did what in the audit trail, readable through ListAudit', async () => {
      const { md } = newTenant('key-audit');
      await createModel(md, 'aud');
      await upload(md, 'aud', mlp(41));
      await registryCall(c, 'SetAlias', { model: 'aud', alias: 'staging', version: 1 }, md);
      const page = await registryCall(c, 'ListAudit', { page_size: 2 }, md);
      expect(page.entries.map((e) => [e.action, e.target, e.principal])).toEqual([
        ['alias.set', 'aud@staging', 'key-audit'],
        ['version.create', 'aud/1', 'key-audit'],
      ]);
      expect(JSON.parse(page.entries[0]!.details_json)).toMatchObject({ version: 1 });
      const rest = await registryCall(c, 'ListAudit', { page_token: page.next_page_token }, md);
      expect(rest.entries.map((e) => e.action)).toEqual(['model.create']);
      expect(rest.next_page_token).toBe('');
    });
  });

  describe('bad uploads leave nothing behind', () => {
    // A rig of its own: its data dir must hold no file at all after each bad upload.
    let clean: Rig;
    beforeAll(async () => {
      clean = await startRig(backend);
    });
    afterAll(async () => {
      await clean?.close();
    });

    const expectNothingLeft = async (md: Metadata, model: string): Promise<void> => {
      const k = clean.client;
      const listed = await registryCall(k, 'ListVersions', { model }, md);
      expect(listed.versions).toEqual([]);
      expect(filesUnder(path.join(clean.dataDir, 'blobs'))).toEqual([]);
    };

    const cases: [string, () => Uint8Array, number, RegExp, Record<string, unknown>?][] = [
      [
        'not ONNX',
        () => Buffer.from('this is not a model at all'),
        status.INVALID_ARGUMENT,
        /artifact rejected: not an ONNX model/,
      ],
      [
        'truncated',
        () => mlp(51).subarray(0, 5000),
        status.INVALID_ARGUMENT,
        /artifact rejected: not an ONNX model, or truncated/,
      ],
      ['valid protobuf without a graph', withoutGraph, status.INVALID_ARGUMENT, /artifact rejected: .*no graph/],
      [
        'external data "../x"',
        () => withExternalData('../x'),
        status.INVALID_ARGUMENT,
        /external data location "\.\.\/x" contains '\.\.'/,
      ],
      [
        'external data "/etc/passwd"',
        () => withExternalData('/etc/passwd'),
        status.INVALID_ARGUMENT,
        /external data location "\/etc\/passwd"/,
      ],
      [
        'over the limit by actual bytes',
        () => randomBytes(LIMIT + 10_000),
        status.RESOURCE_EXHAUSTED,
        new RegExp(`larger than the limit of ${LIMIT} bytes`),
      ],
      [
        'over the limit by expected_size_bytes',
        () => mlp(52),
        status.RESOURCE_EXHAUSTED,
        new RegExp(
          `artifact of ${LIMIT + 1} bytes \\(expected_size_bytes\\) is larger than the limit of ${LIMIT} bytes`,
        ),
        { expected_size_bytes: LIMIT + 1 },
      ],
    ];

    it.each(cases)('%s → the right status with a clear message', async (_name, bytes, code, message, extra = {}) => {
      const { md } = newTenant();
      const k = clean.client;
      await registryCall(k, 'CreateModel', { name: 'bad' }, md);
      const err = await failure(uploadVersion(k, md, { model: 'bad', ...extra }, chunksOf(bytes(), 4000)));
      expect(err.code).toBe(code);
      expect(err.details).toMatch(message);
      await expectNothingLeft(md, 'bad');
    });

    it('refuses a stream whose first message is not the header, and an empty stream', async () => {
      const { md } = newTenant();
      const k = clean.client;
      await registryCall(k, 'CreateModel', { name: 'headless' }, md);
      for (const messages of [[{ chunk: Buffer.from(mlp(53)) }], []]) {
        const err = await failure(
          new Promise((resolve, reject) => {
            const call = k.UploadVersion(md, (e, r) => (e ? reject(e) : resolve(r)));
            for (const m of messages) call.write(m);
            call.end();
          }),
        );
        expect(err).toMatchObject({
          code: status.INVALID_ARGUMENT,
          details: expect.stringContaining('first message must carry the header'),
        });
      }
      const twoHeaders = await failure(
        new Promise((resolve, reject) => {
          const call = k.UploadVersion(md, (e, r) => (e ? reject(e) : resolve(r)));
          call.write({ header: { model: 'headless' } });
          call.write({ header: { model: 'headless' } });
          call.end();
        }),
      );
      expect(twoHeaders).toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('only the first message may carry the header'),
      });
      await expectNothingLeft(md, 'headless');
    });

    it('registers nothing and removes the temp file when the client cancels mid-upload', async () => {
      const { md } = newTenant();
      const k = clean.client;
      await registryCall(k, 'CreateModel', { name: 'aborted' }, md);
      let call!: ReturnType<RegistryClient['UploadVersion']>;
      const outcome = new Promise<ServiceError | null>((resolve) => {
        call = k.UploadVersion(md, (e) => resolve(e));
      });
      await writeWithBackPressure(call, { header: { model: 'aborted' } });
      const bytes = mlp(54);
      await writeWithBackPressure(call, { chunk: Buffer.from(bytes.subarray(0, 8000)) });
      const tmpDir = clean.blobs.tmpDir;
      for (let i = 0; i < 200 && filesUnder(tmpDir).length === 0; i++) await sleep(10);
      expect(filesUnder(tmpDir)).toHaveLength(1); // the upload was in progress
      call.cancel();
      expect((await outcome)?.code).toBe(status.CANCELLED);
      for (let i = 0; i < 200 && filesUnder(tmpDir).length > 0; i++) await sleep(10);
      await expectNothingLeft(md, 'aborted');
    });
  });
});
