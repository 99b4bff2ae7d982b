import { Writable } from 'node:stream';
import { Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { createLogger } from '@aiaas/common';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { createInferenceClient, makeTempDir, removeDir } from '@aiaas/testing';
import type { InferenceClient } from '@aiaas/testing';
import { installInMemoryTracing } from '@aiaas/telemetry';
import type { InMemoryTracing } from '@aiaas/telemetry';
import { loadGatewayConfig } from './config';
import { startGateway } from './server';
import type { RunningGateway } from './server';

/**
 * Every log line the gateway (and the registry behind it) writes at debug level while keys,
 * OAuth2 clients and JWTs are created and used — good, revoked and bad — is captured, and none
 * may contain a secret: an API key, a client secret, a JWT, an Authorization header value, the
 * internal token. Each request's completion line carries the request id the caller got back in
 * `x-request-id` (REST header, gRPC initial metadata), and gRPC lines the trace id of the call's span.
 */
const INTERNAL_TOKEN = 'internal-token-0123456789abcdef0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A pino destination that keeps every line written to it. */
function captureLines(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  return { stream, text: () => text };
}

describe('no secret reaches the logs during authentication (gateway + registry, real ports, debug level)', () => {
  const dirs: string[] = [];
  const gatewayLog = captureLines();
  const registryLog = captureLines();
  let registry: RunningRegistry;
  let gateway: RunningGateway;
  let base: string;
  let grpcClient: InferenceClient;
  let tracing: InMemoryTracing;
  /** Every REST call made, with the request id it was answered with. */
  const calls: { method: string; path: string; status: number; requestId: string | null }[] = [];
  /** Everything that must never be logged, with what it is (for the failure message). */
  const secrets: [string, string][] = [];

  const request = async (method: string, path: string, headers: Record<string, string>, body?: string) => {
    const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    calls.push({ method, path, status: response.status, requestId: response.headers.get('x-request-id') });
    return response;
  };
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  /** A ModelMetadata call at the front door, with the `x-request-id` it was answered with. */
  const grpcCallWithId = (secret: string, requestId: string | undefined) =>
    new Promise<{ err: ServiceError | null; requestId: string | undefined }>((resolve) => {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${secret}`);
      if (requestId !== undefined) metadata.set('x-request-id', requestId);
      let answered: string | undefined;
      const call = grpcClient.ModelMetadata(
        { name: 'mlp' },
        metadata,
        { deadline: Date.now() + 10_000 },
        (err: ServiceError | null) => resolve({ err, requestId: answered }),
      );
      call.on('metadata', (response: Metadata) => {
        const value = response.get('x-request-id')[0];
        answered = value === undefined ? undefined : String(value);
      });
    });

  beforeAll(async () => {
    tracing = installInMemoryTracing();
    const registryDir = makeTempDir('redaction-registry');
    dirs.push(registryDir);
    registry = await startRegistry(
      loadRegistryConfig({ dataDir: registryDir, grpcPort: 0, metricsPort: 0, internalToken: INTERNAL_TOKEN }),
      createLogger({ service: 'registry', level: 'debug', destination: registryLog.stream }),
    );
    const gatewayDir = makeTempDir('redaction-gateway');
    dirs.push(gatewayDir);
    gateway = await startGateway(
      loadGatewayConfig({
        registry: `127.0.0.1:${registry.grpcPort}`,
        dataDir: gatewayDir,
        restPort: 0,
        grpcPort: 0,
        metricsPort: 0,
        internalToken: INTERNAL_TOKEN,
        // Every call checks the store, so a revoked key is refused at once.
        keyCacheTtlMs: 0,
      }),
      createLogger({ service: 'gateway', level: 'debug', destination: gatewayLog.stream }),
    );
    base = `http://127.0.0.1:${gateway.restPort}`;
    grpcClient = createInferenceClient(gateway.grpcPort);
    secrets.push(['internal token', INTERNAL_TOKEN], ['bootstrap admin key', gateway.adminKey!]);
  }, 60_000);

  afterAll(async () => {
    grpcClient?.close();
    await gateway?.close();
    await registry?.close();
    await tracing?.shutdown();
    for (const dir of dirs) removeDir(dir);
  }, 30_000);

  it('writes no key, client secret, JWT or Authorization value in any line', async () => {
    const admin = gateway.adminKey!;

    // Key creation over REST, then calls with it (REST and the gRPC front door).
    const created = await request(
      'POST',
      '/v1/keys',
      { ...bearer(admin), ...json },
      JSON.stringify({ name: 'k', scopes: ['models:write', 'infer'] }),
    );
    expect(created.status).toBe(201);
    const { key, id: keyId } = (await created.json()) as { key: string; id: string };
    secrets.push(['created API key', key]);
    expect(
      (await request('POST', '/v1/models', { ...bearer(key), ...json }, JSON.stringify({ name: 'mlp' }))).status,
    ).toBe(201);
    const upload = await request(
      'POST',
      '/v1/models/mlp/versions',
      { ...bearer(key), 'content-type': 'application/octet-stream' },
      Buffer.from(buildMlp(MLP_SMALL).bytes) as unknown as string,
    );
    expect(upload.status).toBe(201);
    expect(
      (await request('POST', '/v2/models/mlp/infer', { ...bearer(key), ...json }, '{"inputs":[]}')).status,
    ).toBeGreaterThanOrEqual(400);
    const grpcCall = (secret: string) =>
      new Promise<ServiceError | null>((resolve) => {
        const metadata = new Metadata();
        metadata.set('authorization', `Bearer ${secret}`);
        grpcClient.ModelMetadata(
          { name: 'mlp' },
          metadata,
          { deadline: Date.now() + 10_000 },
          (err: ServiceError | null) => resolve(err),
        );
      });
    expect(await grpcCall(key)).not.toBeNull(); // not deployed: an error, after authentication

    // OAuth2 client credentials: Basic auth, then the secret in the form body; JWT calls.
    const client = await request(
      'POST',
      '/v1/clients',
      { ...bearer(admin), ...json },
      JSON.stringify({ name: 'c', scopes: ['models:read'] }),
    );
    expect(client.status).toBe(201);
    const { client_id: clientId, client_secret: clientSecret } = (await client.json()) as {
      client_id: string;
      client_secret: string;
    };
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    secrets.push(['client secret', clientSecret], ['Basic credentials', basic]);
    const viaBasic = await request(
      'POST',
      '/oauth/token',
      { authorization: `Basic ${basic}`, ...form },
      'grant_type=client_credentials',
    );
    expect(viaBasic.status).toBe(200);
    const jwtA = ((await viaBasic.json()) as { access_token: string }).access_token;
    const viaBody = await request(
      'POST',
      '/oauth/token',
      form,
      `grant_type=client_credentials&client_id=${encodeURIComponent(clientId)}&client_secret=${encodeURIComponent(clientSecret)}`,
    );
    expect(viaBody.status).toBe(200);
    const jwtB = ((await viaBody.json()) as { access_token: string }).access_token;
    secrets.push(['JWT (Basic)', jwtA], ['JWT (body)', jwtB]);
    // The JWT's signature alone is secret enough to matter: none of its three parts may appear.
    for (const [what, jwt] of [
      ['JWT (Basic)', jwtA],
      ['JWT (body)', jwtB],
    ] as const) {
      for (const part of jwt.split('.')) if (part.length >= 16) secrets.push([`${what} part`, part]);
    }
    expect((await request('GET', '/v1/models', bearer(jwtA))).status).toBe(200);
    expect((await request('GET', '/v1/models/mlp', bearer(jwtB))).status).toBe(200);
    expect(
      (await request('POST', '/v1/models', { ...bearer(jwtA), ...json }, JSON.stringify({ name: 'x' }))).status,
    ).toBe(403);
    expect(await grpcCall(jwtA)).not.toBeNull();

    // Wrong secrets: a bad client secret (both ways), a revoked key, a tampered and a made-up token.
    const wrongSecret = `${clientSecret.slice(0, -4)}zzzz`;
    const wrongBasic = Buffer.from(`${clientId}:${wrongSecret}`).toString('base64');
    secrets.push(['wrong client secret', wrongSecret], ['wrong Basic credentials', wrongBasic]);
    expect(
      (
        await request(
          'POST',
          '/oauth/token',
          { authorization: `Basic ${wrongBasic}`, ...form },
          'grant_type=client_credentials',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await request(
          'POST',
          '/oauth/token',
          form,
          `grant_type=client_credentials&client_id=${clientId}&client_secret=${wrongSecret}`,
        )
      ).status,
    ).toBe(401);
    expect((await request('DELETE', `/v1/keys/${keyId}`, bearer(admin))).status).toBe(200);
    expect((await request('GET', '/v1/models', bearer(key))).status).toBe(401);
    expect(await grpcCall(key)).toMatchObject({ code: 16 }); // UNAUTHENTICATED
    const tampered = `${jwtA.slice(0, -6)}AAAAAA`;
    const madeUpKey = 'aiaas_madeupid_madeupsecret0123456789';
    secrets.push(['tampered JWT', tampered], ['made-up key', madeUpKey]);
    expect((await request('GET', '/v1/models', bearer(tampered))).status).toBe(401);
    expect((await request('GET', '/v1/models', bearer(madeUpKey))).status).toBe(401);
    expect((await request('GET', '/v1/models', { authorization: 'Bearer' })).status).toBe(401);
    expect(await grpcCall(madeUpKey)).toMatchObject({ code: 16 });

    // Request ids: a well-formed one the caller sent is kept; a malformed one is replaced by a UUID.
    const adminAuth = bearer(admin);
    const kept = await request('GET', '/v1/models', { ...adminAuth, 'x-request-id': 'client-req_42.a:b' });
    expect(kept.headers.get('x-request-id')).toBe('client-req_42.a:b');
    for (const malformed of ['x'.repeat(129), 'bad id<script>', '']) {
      const replaced = await request('GET', '/v1/models', { ...adminAuth, 'x-request-id': malformed });
      expect(replaced.status).toBe(200);
      expect(replaced.headers.get('x-request-id')).toMatch(UUID);
    }
    // A secret in a query string never reaches a line: lines name the route pattern, not the URL.
    const querySecret = 'query-secret-0123456789abcdef';
    secrets.push(['query string value', querySecret]);
    expect((await request('GET', `/v1/models/mlp?api_key=${querySecret}`, adminAuth)).status).toBe(200);
    // Probes answer an id too, but write no line.
    const probe = await request('GET', '/v2/health/live', {});
    expect(probe.headers.get('x-request-id')).toMatch(UUID);
    // gRPC: the id comes back in the initial metadata, kept when well formed, else a UUID.
    const keptGrpc = await grpcCallWithId(admin, 'grpc-req-7');
    expect(keptGrpc.requestId).toBe('grpc-req-7');
    expect(keptGrpc.err).toMatchObject({ code: 5 }); // NOT_FOUND: no deployment, after authentication
    const freshGrpc = await grpcCallWithId(admin, 'no spaces allowed');
    expect(freshGrpc.requestId).toMatch(UUID);
    const noIdGrpc = await grpcCallWithId(madeUpKey, undefined);
    expect(noIdGrpc.requestId).toMatch(UUID);
    expect(noIdGrpc.err).toMatchObject({ code: 16 });

    await new Promise((resolve) => setTimeout(resolve, 200)); // pino's async destination flushes
    const lines = [...gatewayLog.text().split('\n'), ...registryLog.text().split('\n')].filter((l) => l !== '');
    // The capture works: both services wrote lines (start-up, the route table, node and model events).
    expect(gatewayLog.text()).toContain('"msg":"gateway listening"');
    expect(registryLog.text()).toContain('"msg":"registry listening"');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const leaks = lines.flatMap((line) =>
      secrets.filter(([, secret]) => line.includes(secret)).map(([what]) => `${what} in: ${line.slice(0, 300)}`),
    );
    expect(leaks).toEqual([]);
    // And no line names a credential header's value, whatever its shape.
    expect(lines.filter((line) => /"authorization":"(?!\[redacted\])/i.test(line))).toEqual([]);

    // One completion line per REST call (probes aside), under the id the caller got back.
    const gatewayLines = gatewayLog
      .text()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const completions = gatewayLines.filter((l) => l['msg'] === 'request completed');
    for (const call of calls) {
      expect(call.requestId).toEqual(expect.any(String));
      const mine = completions.filter((l) => l['req_id'] === call.requestId);
      if (call.path.startsWith('/v2/health/')) {
        expect(mine).toEqual([]);
        continue;
      }
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ level: 30, service: 'gateway', method: call.method, status: call.status });
      expect(mine[0]!['duration_ms']).toEqual(expect.any(Number));
      // The pattern, never the raw path nor its query.
      expect(String(mine[0]!['route'])).not.toContain('?');
    }
    const keptLine = completions.find((l) => l['req_id'] === 'client-req_42.a:b');
    expect(keptLine).toMatchObject({ method: 'GET', route: '/v1/models', status: 200, tenant: 'admin' });
    const queryCall = calls.find((c) => c.path.includes('?api_key='));
    expect(completions.find((l) => l['req_id'] === queryCall?.requestId)).toMatchObject({ route: '/v1/models/:model' });
    // A refused credential has no tenant to name.
    const refused = completions.filter((l) => l['status'] === 401);
    expect(refused.length).toBeGreaterThan(0);
    for (const line of refused) expect(line['tenant']).toBeUndefined();

    // gRPC: one line per call with its id, status name, tenant once known, and the call span's trace id.
    const grpcLines = gatewayLines.filter((l) => l['msg'] === 'grpc call completed');
    const keptGrpcLine = grpcLines.find((l) => l['req_id'] === 'grpc-req-7');
    expect(keptGrpcLine).toMatchObject({
      level: 30,
      method: 'inference.GRPCInferenceService/ModelMetadata',
      status: 'NOT_FOUND',
      tenant: 'admin',
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(grpcLines.find((l) => l['req_id'] === freshGrpc.requestId)).toBeDefined();
    const unauthenticated = grpcLines.find((l) => l['req_id'] === noIdGrpc.requestId);
    expect(unauthenticated).toMatchObject({ status: 'UNAUTHENTICATED' });
    expect(unauthenticated!['tenant']).toBeUndefined();
  });
});
