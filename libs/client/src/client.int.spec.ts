import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import {
  MLP_SMALL,
  ORT_DATATYPES,
  buildIdentityModel,
  buildMlp,
  identityInputName,
  identityOutputName,
  mlpReference,
} from '@aiaas/onnx';
import { makeTempDir, removeDir } from '@aiaas/testing';
import { AiaasClient, AiaasError, numberToFp16Bits, tensorStrings } from './index';
import type { Datatype, OutputTensor, TensorInput, TransferProgress } from './index';
import { TENANT_SCOPES, startTestPlatform } from './test-platform';
import type { TestPlatform } from './test-platform';

/**
 * The SDK against a real registry, inference node and gateway (in-process, real ports, SQLite):
 * API key and OAuth2 (2 s tokens, refreshed), upload/download with progress, deploy and infer by
 * name, alias and version, every datatype round-tripped exactly, deadlines, and the error mapping.
 */
const TENANT = 'acme';
const mlp = buildMlp({ ...MLP_SMALL, seed: 3 });
const features = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 2);
const expected = mlpReference(mlp.weights, features, 1);
// Every datatype onnxruntime can serve (all but BF16).
const IDENTITY_TYPES = ORT_DATATYPES;
const identity = buildIdentityModel(IDENTITY_TYPES);

function near(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  return a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) < 1e-4);
}

async function rejection(promise: Promise<unknown>): Promise<AiaasError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AiaasError);
    return err as AiaasError;
  }
  throw new Error('expected the call to fail');
}

/** Two rows of each datatype's input for the identity model, with edge values. */
function identityInputs(): TensorInput[] {
  const shape = [2, 3];
  const data: Record<Datatype, TensorInput['data']> = {
    BOOL: [true, false, true, false, false, true],
    UINT8: Uint8Array.of(0, 1, 127, 128, 254, 255),
    UINT16: Uint16Array.of(0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff),
    UINT32: Uint32Array.of(0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff),
    UINT64: BigUint64Array.of(0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n),
    INT8: Int8Array.of(-128, -1, 0, 1, 126, 127),
    INT16: Int16Array.of(-32768, -1, 0, 1, 32766, 32767),
    INT32: Int32Array.of(-(2 ** 31), -1, 0, 1, 2 ** 31 - 2, 2 ** 31 - 1),
    INT64: BigInt64Array.of(-(2n ** 63n), -(2n ** 53n) - 1n, -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n),
    // Raw bits: 1.5, -0, +Inf, the smallest subnormal, 65504, -2.
    FP16: Uint16Array.of(numberToFp16Bits(1.5), 0x8000, 0x7c00, 0x0001, numberToFp16Bits(65504), numberToFp16Bits(-2)),
    FP32: Float32Array.of(Math.PI, -0, 3.4028234663852886e38, 1.401298464324817e-45, -1e-7, Infinity),
    FP64: Float64Array.of(Math.PI, -0, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, -Infinity),
    BF16: new Uint16Array(0),
    BYTES: ['hello', '', 'héllo wörld ✓', '日本語', 'x'.repeat(5000), 'tab\tnew\nline'],
  };
  return IDENTITY_TYPES.map((datatype) => ({
    name: identityInputName(datatype),
    // BOOL and BYTES data say their type; the rest are given to also check explicit datatypes.
    ...(datatype === 'BOOL' || datatype === 'BYTES' ? {} : { datatype }),
    shape,
    data: data[datatype],
  }));
}

describe('AiaasClient (registry + node + gateway, real ports)', () => {
  let platform: TestPlatform;
  let client: AiaasClient;
  let admin: AiaasClient;
  let tenantKey: string;
  let dir: string;

  beforeAll(async () => {
    dir = makeTempDir('client-files');
    platform = await startTestPlatform({ tokenTtlSeconds: 2 });
    tenantKey = await platform.createKey(TENANT);
    // No grpcAddress: the client discovers it with GET /v1/info.
    client = new AiaasClient({ url: platform.url, apiKey: tenantKey });
    admin = new AiaasClient({ url: platform.url, apiKey: platform.adminKey, grpcAddress: platform.grpcAddress });

    // The models every test below uses, deployed once.
    await client.models.upload('mlp', Buffer.from(mlp.bytes), { createModel: true });
    await client.models.setAlias('mlp', 'production', 1);
    await client.deployments.create({ model: 'mlp', alias: 'production', replicas: 1 });
    await client.models.upload('identity', Buffer.from(identity.bytes), { createModel: true });
    await client.deployments.create({ model: 'identity', version: 1, replicas: 1 });
    // The same graph behind a queue that holds each request 3 s waiting for a batch.
    await client.models.upload('slow', Buffer.from(identity.bytes), { createModel: true });
    await client.deployments.create({
      model: 'slow',
      version: 1,
      replicas: 1,
      batching: { max_batch_size: 64, max_queue_delay_microseconds: 3_000_000 },
    });
    for (const name of ['mlp', 'identity', 'slow']) await client.deployments.waitReady(name, { deadlineMs: 60_000 });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    admin?.close();
    await platform?.close();
    removeDir(dir);
  }, 30_000);

  it('discovers the gRPC front door from GET /v1/info', async () => {
    const info = await client.info();
    expect(info.grpc_port).toBe(platform.gateway.grpcPort);
    await expect(client.resolveGrpcAddress()).resolves.toBe(platform.grpcAddress);
    await expect(client.inference.serverReady()).resolves.toBe(true);
    await expect(client.inference.serverLive()).resolves.toBe(true);
  });

  it('infers by name, alias and version; readiness and metadata', async () => {
    for (const ref of [
      'mlp',
      'mlp@production',
      'mlp:1',
      { name: 'mlp', version: 1 },
      { name: 'mlp', alias: 'production' },
    ]) {
      const result = await client.inference.infer(ref, { input: { shape: [1, 64], data: features } });
      expect(result.modelName).toBe('mlp');
      expect(result.modelVersion).toBe('1');
      const output = result.outputList[0]!;
      expect(output.datatype).toBe('FP32');
      expect(output.shape).toEqual([1, expected.length]);
      expect(near(output.data as Float32Array, expected)).toBe(true);
    }
    // Inputs as a list, with an id echoed back.
    const listed = await client.inference.infer('mlp', [{ name: 'input', shape: [1, 64], data: features }], {
      id: 'req-7',
    });
    expect(listed.id).toBe('req-7');
    await expect(client.inference.modelReady('mlp@production')).resolves.toBe(true);
    const metadata = await client.inference.modelMetadata('mlp');
    expect(metadata.name).toBe('mlp');
    expect(metadata.inputs).toEqual([{ name: 'input', datatype: 'FP32', shape: [-1, 64] }]);
  });

  it('reads model statistics through the gateway: typed numbers that grow with inferences', async () => {
    const before = await client.inference.modelStatistics('mlp@production');
    expect(before).toMatchObject({ name: 'mlp', version: '1' });
    const N = 5;
    for (let i = 0; i < N; i++) await client.inference.infer('mlp', { input: { shape: [1, 64], data: features } });
    const after = await client.inference.modelStatistics({ name: 'mlp', version: 1 });
    expect(after.version).toBe('1');
    // One replica and nothing else running meanwhile: exactly these N.
    expect(after.inferenceCount - before.inferenceCount).toBe(N);
    expect(after.executionCount - before.executionCount).toBe(N);
    const { queue, computeInfer, success } = after.inferenceStats;
    expect(queue.count - before.inferenceStats.queue.count).toBe(N);
    expect(success.count - before.inferenceStats.success.count).toBe(N);
    expect(typeof queue.ns).toBe('number');
    expect(computeInfer.ns).toBeGreaterThan(before.inferenceStats.computeInfer.ns);
    // Server time of a request covers its compute time.
    expect(success.ns).toBeGreaterThanOrEqual(computeInfer.ns);
    expect(after.batchStats.find((b) => b.batchSize === 1)!.computeInfer.count).toBeGreaterThanOrEqual(N);
    expect(after.lastInference).toBeGreaterThan(Date.now() - 120_000);

    expect(await rejection(client.inference.modelStatistics('nothing'))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(client.inference.modelStatistics('mlp:9'))).toMatchObject({ code: 'NOT_FOUND' });
    const stranger = new AiaasClient({
      url: platform.url,
      apiKey: await platform.createKey('other'),
      grpcAddress: platform.grpcAddress,
    });
    try {
      const refused = await rejection(stranger.inference.modelStatistics('mlp'));
      expect(refused).toMatchObject({ code: 'NOT_FOUND', grpcCode: 5 });
      expect(refused.message).toMatch(/model "mlp" not found/);
    } finally {
      stranger.close();
    }
  });

  it('round-trips every datatype exactly through an identity model', async () => {
    const inputs = identityInputs();
    const result = await client.inference.infer('identity', inputs);
    expect(Object.keys(result.outputs).sort()).toEqual(IDENTITY_TYPES.map(identityOutputName).sort());
    for (const input of inputs) {
      const datatype = IDENTITY_TYPES.find((d) => identityInputName(d) === input.name)!;
      const output: OutputTensor = result.outputs[identityOutputName(datatype)]!;
      expect(output.datatype).toBe(datatype);
      expect(output.shape).toEqual([2, 3]);
      if (output.datatype === 'BYTES') {
        expect(tensorStrings(output)).toEqual(input.data);
      } else if (output.datatype === 'BOOL') {
        expect(output.data).toEqual(input.data);
      } else {
        // Same typed array class and the same bits (Object.is: -0 and NaN patterns included).
        expect(output.data.constructor).toBe(input.data.constructor);
        expect(Buffer.from(output.data.buffer).equals(Buffer.from((input.data as Uint8Array).buffer))).toBe(true);
      }
    }
    // Byte strings (not text) as BYTES input; only the requested output comes back.
    const bytes = await client.inference.infer(
      'identity',
      {
        in_bytes: { datatype: 'BYTES', shape: [1, 3], data: [Buffer.from('ab'), new Uint8Array([0x63]), 'd'] },
        ...onlyOthers(inputs, 'in_bytes', 1),
      },
      { outputs: ['out_bytes'] },
    );
    expect(Object.keys(bytes.outputs)).toEqual(['out_bytes']);
    expect(tensorStrings(bytes.outputs['out_bytes']!)).toEqual(['ab', 'c', 'd']);
    // Plain number arrays with a datatype are converted (and range-checked, see the failures test).
    const plain = await client.inference.infer(
      'identity',
      {
        in_int32: { datatype: 'INT32', shape: [1, 3], data: [1, -2, 3] },
        ...onlyOthers(inputs, 'in_int32', 1),
      },
      { outputs: ['out_int32'] },
    );
    expect(Array.from(plain.outputs['out_int32']!.data as Int32Array)).toEqual([1, -2, 3]);
  });

  it('uploads from a file and a stream with progress, downloads the same bytes', async () => {
    // About 3 MiB: many progress steps.
    const big = buildMlp({ inputSize: 512, hiddenSizes: [1024], outputSize: 256, seed: 11 });
    const file = path.join(dir, 'big.onnx');
    writeFileSync(file, big.bytes);
    const progress: TransferProgress[] = [];
    const version = await client.models.upload('big', file, {
      createModel: true,
      tags: { stage: 'test' },
      metadata: { source: 'client.int.spec' },
      onProgress: (p) => progress.push(p),
    });
    expect(version).toMatchObject({ model: 'big', version: 1, size_bytes: big.bytes.length, tags: { stage: 'test' } });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((p) => p.totalBytes === big.bytes.length)).toBe(true);
    expect(progress.map((p) => p.bytes)).toEqual([...progress.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(progress.at(-1)!.bytes).toBe(big.bytes.length);

    // A stream of unknown length: progress without a total, sent chunked.
    const streamed: TransferProgress[] = [];
    const pieces = function* () {
      for (let at = 0; at < big.bytes.length; at += 100_000) yield Buffer.from(big.bytes.subarray(at, at + 100_000));
    };
    const second = await client.models.upload('big', Readable.from(pieces()), { onProgress: (p) => streamed.push(p) });
    expect(second.version).toBe(2);
    expect(second.sha256).toBe(version.sha256);
    expect(streamed.at(-1)).toEqual({ bytes: big.bytes.length });

    const downloaded = path.join(dir, 'down.onnx');
    const seen: TransferProgress[] = [];
    const result = await client.models.download('big', 2, downloaded, { onProgress: (p) => seen.push(p) });
    expect(result).toEqual({ bytes: big.bytes.length, sha256: version.sha256 });
    expect(readFileSync(downloaded).equals(Buffer.from(big.bytes))).toBe(true);
    expect(seen.at(-1)).toEqual({ bytes: big.bytes.length, totalBytes: big.bytes.length });
    // Into a stream.
    const chunks: Buffer[] = [];
    await client.models.download(
      'big',
      1,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    expect(Buffer.concat(chunks).equals(Buffer.from(big.bytes))).toBe(true);

    const page = await client.models.versions('big');
    expect(page.versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await client.models.getVersion('big', 1)).metadata).toEqual({ source: 'client.int.spec' });
    const alias = await client.models.setAlias('big', 'staging', 2);
    expect(alias).toMatchObject({ model: 'big', alias: 'staging', version: 2 });
    expect((await client.models.getVersion('big', 2)).aliases).toEqual(['staging']);
    await client.models.deleteAlias('big', 'staging');
    expect((await client.models.list({ name_prefix: 'bi' })).models.map((m) => m.name)).toEqual(['big']);
    const all: string[] = [];
    for await (const model of client.models.listAll({ page_size: 1 })) all.push(model.name);
    expect(all.sort()).toEqual(['big', 'identity', 'mlp', 'slow']);
    await client.models.removeVersion('big', 1);
    await client.models.removeVersion('big', 2);
    await client.models.remove('big');
    expect((await rejection(client.models.get('big'))).code).toBe('NOT_FOUND');
  }, 60_000);

  it('refuses an oversized upload with PAYLOAD_TOO_LARGE and registers nothing', async () => {
    const small = await startTestPlatform({ gateway: { maxUploadBytes: 4096 } });
    const key = await small.createKey(TENANT);
    const limited = new AiaasClient({ url: small.url, apiKey: key });
    try {
      await limited.models.create({ name: 'm' });
      const err = await rejection(limited.models.upload('m', Buffer.alloc(1 << 20, 7)));
      expect(err).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
      // A stream of a declared size over the limit: refused the same way, before the bytes.
      const stream = Readable.from(
        (function* () {
          for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, 1);
        })(),
      );
      const err2 = await rejection(limited.models.upload('m', stream, { sizeBytes: 1 << 20 }));
      expect(err2.code).toBe('PAYLOAD_TOO_LARGE');
      // (A chunked stream without a size is refused too, but leaves the gateway slow to close: reported.)
      expect((await limited.models.versions('m')).versions).toEqual([]);
    } finally {
      limited.close();
      await small.close();
    }
  }, 60_000);

  it('gives DEADLINE_EXCEEDED for a call stuck in a slow queue, and waits when given time', async () => {
    const inputs = identityInputs();
    const started = Date.now();
    const err = await rejection(client.inference.infer('slow', inputs, { deadlineMs: 300, outputs: ['out_fp32'] }));
    expect(err.code).toBe('DEADLINE_EXCEEDED');
    expect(err.grpcCode).toBe(4);
    expect(Date.now() - started).toBeLessThan(2_500);
    const result = await client.inference.infer('slow', onlyOthers(identityInputs(), '', 2), {
      deadlineMs: 20_000,
      outputs: ['out_fp32'],
    });
    expect(result.outputs['out_fp32']!.shape).toEqual([2, 3]);
  }, 60_000);

  it('maps failures to AiaasError with the platform code, REST and gRPC alike', async () => {
    const missing = await rejection(client.inference.infer('nothing', { x: { shape: [1], data: Float32Array.of(1) } }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', grpcCode: 5 });
    const missingRest = await rejection(client.models.get('nothing'));
    expect(missingRest).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(missingRest.message).toMatch(/nothing/);
    // Bad input the node rejects (wrong shape for the model).
    const badShape = await rejection(
      client.inference.infer('mlp', { input: { shape: [1, 3], data: Float32Array.of(1, 2, 3) } }),
    );
    expect(badShape.code).toBe('INVALID_ARGUMENT');
    // Admin-only routes with a tenant key.
    expect(await rejection(client.keys.list())).toMatchObject({ code: 'PERMISSION_DENIED', status: 403 });
    expect(await rejection(client.nodes.list())).toMatchObject({ code: 'PERMISSION_DENIED' });
    // A key the gateway does not know.
    const stranger = new AiaasClient({
      url: platform.url,
      apiKey: 'aiaas_0123456789abcdef01_' + 'x'.repeat(43),
      retries: 0,
    });
    try {
      expect(await rejection(stranger.models.list())).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
      expect(
        await rejection(stranger.inference.infer('mlp', { input: { shape: [1, 64], data: features } })),
      ).toMatchObject({
        code: 'UNAUTHENTICATED',
        grpcCode: 16,
      });
    } finally {
      stranger.close();
    }
    // Schema validation of the REST body.
    expect(await rejection(client.deployments.create({ model: 'mlp', replicas: -1 }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
      status: 400,
    });
  });

  it('rejects bad tensors before sending, saying what was expected', async () => {
    // Nothing listens here: these must fail without a call.
    const offline = new AiaasClient({ url: 'http://127.0.0.1:1', apiKey: 'k', grpcAddress: '127.0.0.1:1', retries: 0 });
    try {
      const cases: [Parameters<typeof offline.inference.infer>[1], RegExp][] = [
        [{ x: { shape: [2, 2], data: new Float32Array(3) } }, /shape \[2, 2\] needs 4 elements, data has 3/],
        [{ x: { shape: [2], data: [] } }, /cannot tell the datatype/],
        [
          { x: { datatype: 'FP16', shape: [1], data: Float32Array.of(1) } },
          /FP16 expects a Uint16Array of raw 16-bit patterns/,
        ],
        [
          { x: { datatype: 'UINT8', shape: [1], data: [300] } },
          /element 0 is 300; UINT8 expects an integer in \[0, 255\]/,
        ],
        [{ x: { datatype: 'BYTES', shape: [1], data: [5] } }, /BYTES expects an array of strings/],
        [{ x: { datatype: 'FP8' as Datatype, shape: [1], data: Float32Array.of(1) } }, /unknown datatype "FP8"/],
        [{ x: { shape: [-1], data: Float32Array.of(1) } }, /expected non-negative integers/],
        [[], /at least one input/],
      ];
      for (const [inputs, message] of cases) {
        const err = await rejection(offline.inference.infer('m', inputs));
        expect(err.code).toBe('INVALID_ARGUMENT');
        expect(err.message).toMatch(message);
      }
      expect(
        (await rejection(offline.inference.infer('m@', { x: { shape: [1], data: Float32Array.of(1) } }))).message,
      ).toMatch(/expected an alias/);
      expect(
        (await rejection(offline.inference.infer('m:0', { x: { shape: [1], data: Float32Array.of(1) } }))).message,
      ).toMatch(/positive integer version/);
      // Unreachable: UNAVAILABLE, with where it tried.
      expect((await rejection(offline.models.list())).message).toMatch(
        /cannot reach the gateway at http:\/\/127\.0\.0\.1:1/,
      );
    } finally {
      offline.close();
    }
    expect(() => new AiaasClient({ url: 'ftp://x', apiKey: 'k' })).toThrow(/expected http: or https:/);
    expect(() => new AiaasClient({ url: 'http://x' })).toThrow(/expected apiKey, or clientId and clientSecret/);
    expect(() => new AiaasClient({ url: 'http://x', apiKey: 'k', clientId: 'c', clientSecret: 's' })).toThrow(
      /not both/,
    );
  });

  it('manages keys and lists nodes with an admin key', async () => {
    const created = await admin.keys.create({ tenant: TENANT, name: 'ci', scopes: ['infer'] });
    expect(created.key).toMatch(/^aiaas_/);
    const inferOnly = new AiaasClient({ url: platform.url, apiKey: created.key, grpcAddress: platform.grpcAddress });
    try {
      await inferOnly.inference.infer('mlp', { input: { shape: [1, 64], data: features } });
      expect((await admin.keys.list({ tenant: TENANT })).map((k) => k.id)).toContain(created.id);
      const revoked = await admin.keys.revoke(created.id);
      expect(revoked.revoked_at).toBeDefined();
    } finally {
      inferOnly.close();
    }
    const nodes = await admin.nodes.list();
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ node_id: 'node-0', state: 'UP' });
    expect(nodes[0]!.replicas.map((r) => r.state)).toEqual(['READY', 'READY', 'READY']);
  });

  it('runs the README example (examples/infer.ts) against the platform', async () => {
    const run = (apiKey: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [require.resolve('tsx/cli'), path.join(__dirname, '../examples/infer.ts')],
          {
            cwd: path.join(__dirname, '..'),
            // No colours: nx sets FORCE_COLOR, which console.log would turn into escape codes.
            env: {
              ...process.env,
              FORCE_COLOR: '0',
              NO_COLOR: '1',
              AIAAS_URL: platform.url,
              AIAAS_API_KEY: apiKey,
              AIAAS_MODEL: 'mlp@production',
            },
            timeout: 60_000,
          },
          (err, stdout, stderr) => resolve({ code: err === null ? 0 : Number(err.code ?? 1), stdout, stderr }),
        );
      });
    const ok = await run(tenantKey);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(new RegExp(`^\\[ 1, ${expected.length} \\] Float32Array\\(${expected.length}\\)`));
    const bad = await run('aiaas_0123456789abcdef01_' + 'x'.repeat(43));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^AiaasError: /);
  }, 90_000);

  it('OAuth2 client credentials: refreshes the 2 s token before it expires, calls never fail', async () => {
    const created = await admin.keys.createClient({ tenant: TENANT, name: 'svc', scopes: TENANT_SCOPES });
    const oauth = new AiaasClient({
      url: platform.url,
      clientId: created.client_id,
      clientSecret: created.client_secret,
    });
    try {
      const tokens = new Set<string>();
      const until = Date.now() + 6_000;
      let calls = 0;
      while (Date.now() < until) {
        tokens.add(await oauth.authorization());
        const result = await oauth.inference.infer('mlp@production', { input: { shape: [1, 64], data: features } });
        expect(near(result.outputList[0]!.data as Float32Array, expected)).toBe(true);
        expect((await oauth.models.get('mlp')).name).toBe('mlp');
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      // 6 s of 2 s tokens refreshed at 80%: at least 3 different tokens, each a JWT.
      expect(tokens.size).toBeGreaterThanOrEqual(3);
      expect([...tokens].every((t) => /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/.test(t))).toBe(true);
      expect(calls).toBeGreaterThan(5);
    } finally {
      oauth.close();
    }
    const wrong = new AiaasClient({ url: platform.url, clientId: created.client_id, clientSecret: 'nope', retries: 0 });
    try {
      const err = await rejection(wrong.models.list());
      expect(err).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, remoteCode: 'invalid_client' });
    } finally {
      wrong.close();
    }
  }, 30_000);
});

/** Every identity input but `except`, cut to `rows` rows (the model takes all its inputs on each call). */
function onlyOthers(inputs: TensorInput[], except: string, rows: number): Record<string, Omit<TensorInput, 'name'>> {
  const out: Record<string, Omit<TensorInput, 'name'>> = {};
  for (const input of inputs) {
    if (input.name === except) continue;
    const data = input.data as { slice(start: number, end: number): TensorInput['data'] };
    out[input.name] = { ...input, shape: [rows, 3], data: data.slice(0, rows * 3) };
  }
  return out;
}
