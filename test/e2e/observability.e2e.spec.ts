import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { Metadata } from '@grpc/grpc-js';
import type { ModelInferRequest, ModelInferResponse__Output } from '@aiaas/proto';
import {
  REPO_ROOT,
  callUnary,
  createInferenceClient,
  makeTempDir,
  deleteRedisKeys,
  pollUntil,
  removeDir,
  startGatewayProcess,
  startNodeProcess,
  startRegistryProcess,
  startWorkerProcess,
} from '@aiaas/testing';
import type { CliProcess } from '@aiaas/testing';
import { ancestry, describeSpans, newTraceparent, startOtlpJsonReceiver } from './otlp-json-receiver';
import type { OtlpJsonReceiver, ReceivedSpan } from './otlp-json-receiver';
import { parsePrometheusText, sampleNames, sumSamples } from './prometheus-text';
import type { PrometheusFamily } from './prometheus-text';

/**
 * Traces, metrics and logs across real processes: a registry, an inference node registered with
 * it, an optimizer worker (real Redis) and a gateway, each exporting spans over OTLP/HTTP JSON to one loopback receiver, each
 * serving /metrics and writing JSON logs. Also checks that every metric the alert rules and
 * dashboards in deploy/ use is one the services really export.
 */
const GATEWAY_METRICS_PORT = /"metricsPort":(\d+)[^\n]*"msg":"gateway listening"/;
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_PRODUCER = 4;
const SPAN_KIND_CONSUMER = 5;
const INFER_RPC = 'inference.GRPCInferenceService/ModelInfer';

const model = buildMlp({ ...MLP_SMALL, seed: 3 });
const inferBody = JSON.stringify({
  inputs: [
    { name: 'input', datatype: 'FP32', shape: [1, 64], data: Array.from({ length: 64 }, (_, i) => Math.sin(i)) },
  ],
});

/** The JSON log lines a process wrote (other output, such as the ready line, is skipped). */
function logLines(cli: CliProcess): Record<string, unknown>[] {
  const output = cli.output();
  // Only whole lines: the process may be in the middle of writing the last one.
  return output
    .slice(0, output.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('observability across real processes: one trace, Prometheus metrics, correlated logs', () => {
  const dirs: string[] = [];
  const services: CliProcess[] = [];
  let receiver: OtlpJsonReceiver;
  let registry: CliProcess;
  let node: CliProcess;
  let gateway: CliProcess;
  let url: string;
  let adminKey: string;
  let gatewayGrpcPort: number;
  const queuePrefix = `obs-e2e-${randomUUID().slice(0, 8)}`;
  const metricsUrls: Record<'gateway' | 'registry' | 'node' | 'worker', string> = {
    gateway: '',
    registry: '',
    node: '',
    worker: '',
  };

  const api = (method: string, route: string, body?: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'application/json' : 'application/octet-stream' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });

  const scrape = async (service: keyof typeof metricsUrls): Promise<Map<string, PrometheusFamily>> => {
    const response = await fetch(metricsUrls[service]);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  };

  beforeAll(async () => {
    receiver = await startOtlpJsonReceiver();
    const telemetryEnv = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      LOG_LEVEL: 'debug',
    };
    const registryDir = makeTempDir('e2e-obs-registry');
    dirs.push(registryDir);
    const jobEnv = { REDIS_URL, AIAAS_JOB_QUEUE_PREFIX: queuePrefix };
    const registryProcess = await startRegistryProcess(registryDir, {
      env: {
        ...telemetryEnv,
        ...jobEnv,
        AIAAS_REGISTRY_HEARTBEAT_INTERVAL_MS: '300',
        // Generous: a node marked down on a loaded machine would move the replica and change the placement counts.
        AIAAS_REGISTRY_HEARTBEAT_TIMEOUT_MS: '15000',
      },
    });
    registry = registryProcess.cli;
    services.push(registry);
    const registryAddress = registryProcess.address;
    metricsUrls.registry = `http://127.0.0.1:${registryProcess.metricsPort}/metrics`;

    const nodeDir = makeTempDir('e2e-obs-node');
    dirs.push(nodeDir);
    const nodeProcess = await startNodeProcess(registryAddress, nodeDir, 'obs-node', { env: telemetryEnv });
    node = nodeProcess.cli;
    services.push(node);
    metricsUrls.node = `http://127.0.0.1:${nodeProcess.metricsPort}/metrics`;

    const worker = await startWorkerProcess(registryAddress, REDIS_URL, { env: { ...telemetryEnv, ...jobEnv } });
    services.push(worker.cli);
    metricsUrls.worker = `http://127.0.0.1:${worker.metricsPort}/metrics`;

    const gatewayDir = makeTempDir('e2e-obs-gateway');
    dirs.push(gatewayDir);
    const gatewayProcess = await startGatewayProcess(registryAddress, gatewayDir, { env: telemetryEnv });
    gateway = gatewayProcess.cli;
    services.push(gateway);
    url = gatewayProcess.url;
    gatewayGrpcPort = gatewayProcess.grpcPort;
    adminKey = gatewayProcess.adminKey;
    metricsUrls.gateway = `http://127.0.0.1:${(await gateway.waitFor(GATEWAY_METRICS_PORT, 60_000))[1]}/metrics`;

    // A model served through the gateway: create, upload, alias, deploy, then wait for a 200.
    expect((await api('POST', '/v1/models', JSON.stringify({ name: 'mlp' }))).status).toBe(201);
    expect((await api('POST', '/v1/models/mlp/versions', Buffer.from(model.bytes))).status).toBe(201);
    expect((await api('PUT', '/v1/models/mlp/aliases/production', JSON.stringify({ version: 1 }))).status).toBe(200);
    const deployed = await api(
      'POST',
      '/v1/deployments',
      JSON.stringify({ model: 'mlp', alias: 'production', replicas: 1 }),
    );
    expect(deployed.status).toBe(201);
    await pollUntil('the model served through the gateway', async () =>
      (await api('POST', '/v2/models/mlp/infer', inferBody)).status === 200 ? true : undefined,
    );
  }, 180_000);

  afterAll(async () => {
    for (const service of services.reverse()) await service.stop('SIGKILL');
    await receiver?.close();
    await deleteRedisKeys(REDIS_URL, queuePrefix);
    for (const dir of dirs) removeDir(dir);
  });

  it('follows one REST inference as one trace: gateway server → gateway client → node server → queue, batch, onnxruntime run', async () => {
    const caller = newTraceparent();
    const response = await api('POST', '/v2/models/mlp/infer', inferBody, { traceparent: caller.header });
    expect(response.status).toBe(200);

    const expected: Record<string, (s: ReceivedSpan) => boolean> = {
      'gateway server span': (s) => s.service === 'aiaas-gateway' && s.kind === SPAN_KIND_SERVER,
      'gateway ModelInfer client span': (s) =>
        s.service === 'aiaas-gateway' && s.kind === SPAN_KIND_CLIENT && s.name === INFER_RPC,
      'node ModelInfer server span': (s) => s.service === 'aiaas-inference-node' && s.kind === SPAN_KIND_SERVER,
      'inference.queue span': (s) => s.name === 'inference.queue',
      'inference.batch span': (s) => s.name === 'inference.batch',
      'onnxruntime.run span': (s) => s.name === 'onnxruntime.run',
      'gateway.auth span': (s) => s.service === 'aiaas-gateway' && s.name === 'gateway.auth',
      'gateway.route span': (s) => s.service === 'aiaas-gateway' && s.name === 'gateway.route',
    };
    // Each process exports on its own schedule: wait until every expected span is in.
    const spans = await receiver.waitForTrace(caller.traceId, (s) =>
      Object.values(expected).every((predicate) => s.some(predicate)),
    );
    const trace = describeSpans(spans);
    const find = (what: keyof typeof expected): ReceivedSpan => {
      const found = spans.filter(expected[what]!);
      if (found.length !== 1)
        throw new Error(`expected one ${what} in trace ${caller.traceId}, found ${found.length}:\n${trace}`);
      return found[0]!;
    };
    const gatewayServer = find('gateway server span');
    const gatewayClient = find('gateway ModelInfer client span');
    const nodeServer = find('node ModelInfer server span');
    const queue = find('inference.queue span');
    const batch = find('inference.batch span');
    const run = find('onnxruntime.run span');
    const auth = find('gateway.auth span');
    const route = find('gateway.route span');

    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['aiaas-gateway', 'aiaas-inference-node']));
    // The caller's context is continued, not replaced.
    expect(gatewayServer.parentSpanId).toBe(caller.spanId);
    // Authentication, route choice and the client call happen inside the server span (Fastify's
    // request span).
    for (const span of [auth, route, gatewayClient]) {
      expect(ancestry(span, spans).map((s) => s.spanId)).toContain(gatewayServer.spanId);
    }
    expect(auth.attributes).toContainEqual({ key: 'aiaas.scope', value: { stringValue: 'infer' } });
    expect(route.attributes).toContainEqual({ key: 'aiaas.model', value: { stringValue: 'mlp' } });
    expect(route.attributes).toContainEqual(expect.objectContaining({ key: 'aiaas.replica.address' }));
    // Across the process boundary: W3C traceparent in the gRPC metadata.
    expect(nodeServer.name).toBe(INFER_RPC);
    expect(nodeServer.parentSpanId).toBe(gatewayClient.spanId);
    expect(queue.parentSpanId).toBe(nodeServer.spanId);
    expect(batch.parentSpanId).toBe(nodeServer.spanId);
    expect(run.parentSpanId).toBe(batch.spanId);
    expect(batch.attributes).toContainEqual({ key: 'inference.batch_size', value: { intValue: 1 } });
    // Semantic conventions: HTTP on the gateway's server span, RPC on both sides of the gRPC hop.
    expect(gatewayServer.name).toBe('POST /v2/models/:model/infer');
    expect(gatewayServer.attributes).toEqual(
      expect.arrayContaining([
        { key: 'http.request.method', value: { stringValue: 'POST' } },
        { key: 'http.route', value: { stringValue: '/v2/models/:model/infer' } },
        { key: 'http.response.status_code', value: { intValue: 200 } },
        { key: 'url.scheme', value: { stringValue: 'http' } },
        { key: 'url.path', value: { stringValue: '/v2/models/mlp/infer' } },
        { key: 'server.address', value: { stringValue: '127.0.0.1' } },
        { key: 'network.protocol.version', value: { stringValue: '1.1' } },
      ]),
    );
    for (const span of [gatewayClient, nodeServer]) {
      expect(span.attributes).toEqual(
        expect.arrayContaining([
          { key: 'rpc.system', value: { stringValue: 'grpc' } },
          { key: 'rpc.service', value: { stringValue: 'inference.GRPCInferenceService' } },
          { key: 'rpc.method', value: { stringValue: 'ModelInfer' } },
          { key: 'rpc.grpc.status_code', value: { intValue: 0 } },
        ]),
      );
    }
    expect(batch.links ?? []).toContainEqual(
      expect.objectContaining({ traceId: caller.traceId, spanId: nodeServer.spanId }),
    );
    // Every span hangs off the caller's span: no orphan, no second root.
    for (const span of spans) expect(ancestry(span, spans).at(-1)?.parentSpanId).toBe(caller.spanId);
  });

  it('keeps a REST request whose body arrives in two reads in its trace', async () => {
    const caller = newTraceparent();
    // Half the body, a pause, the rest: the handler runs from the socket's later read, not from the
    // request's first event, and must still find the request's trace context (Fastify's body parser
    // resumes in an AsyncResource made when parsing began; no http instrumentation binds the request).
    const body = Buffer.from(inferBody);
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        `${url}/v2/models/mlp/infer`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${adminKey}`,
            'content-type': 'application/json',
            'content-length': String(body.length),
            traceparent: caller.header,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.write(body.subarray(0, body.length / 2));
      setTimeout(() => request.end(body.subarray(body.length / 2)), 200);
    });
    expect(status).toBe(200);
    const isServer = (s: ReceivedSpan) => s.service === 'aiaas-gateway' && s.kind === SPAN_KIND_SERVER;
    const spans = await receiver.waitForTrace(caller.traceId, (s) =>
      [
        isServer,
        (x: ReceivedSpan) => x.name === 'gateway.route',
        (x: ReceivedSpan) => x.name === 'onnxruntime.run',
      ].every((predicate) => s.some(predicate)),
    );
    const gatewayServer = spans.find(isServer)!;
    for (const name of ['gateway.auth', 'gateway.route', INFER_RPC]) {
      const span = spans.find((s) => s.name === name && s.service === 'aiaas-gateway');
      expect(span && ancestry(span, spans).map((s) => s.spanId)).toContain(gatewayServer.spanId);
    }
  });

  it('follows a gRPC inference through the gateway’s front door the same way', async () => {
    const caller = newTraceparent();
    const client = createInferenceClient(gatewayGrpcPort);
    try {
      const metadata = new Metadata();
      metadata.set('authorization', `Bearer ${adminKey}`);
      metadata.set('traceparent', caller.header);
      const input = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));
      const response = await callUnary<ModelInferRequest, ModelInferResponse__Output>(
        client,
        (request, options, callback) => client.ModelInfer(request, metadata, options, callback),
        {
          model_name: 'mlp',
          inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
          raw_input_contents: [Buffer.from(input.buffer)],
        },
        { deadline: Date.now() + 30_000 },
      );
      expect(response.model_name).toBe('mlp');
    } finally {
      client.close();
    }
    const isGatewayServer = (s: ReceivedSpan) => s.service === 'aiaas-gateway' && s.kind === SPAN_KIND_SERVER;
    const isNodeServer = (s: ReceivedSpan) => s.service === 'aiaas-inference-node' && s.kind === SPAN_KIND_SERVER;
    const spans = await receiver.waitForTrace(
      caller.traceId,
      (s) =>
        s.some(isGatewayServer) &&
        s.some(isNodeServer) &&
        ['gateway.auth', 'gateway.route', 'onnxruntime.run'].every((name) => s.some((x) => x.name === name)),
    );
    const gatewayServer = spans.find(isGatewayServer)!;
    const nodeServer = spans.find(isNodeServer)!;
    expect(gatewayServer).toMatchObject({ name: INFER_RPC, parentSpanId: caller.spanId });
    const nodeChain = ancestry(nodeServer, spans);
    // node server → gateway client span → ... → the gateway's gRPC server span → the caller.
    expect(nodeChain[1]).toMatchObject({ service: 'aiaas-gateway', kind: SPAN_KIND_CLIENT, name: INFER_RPC });
    expect(nodeChain.map((s) => s.spanId)).toContain(gatewayServer.spanId);
    for (const name of ['gateway.auth', 'gateway.route']) {
      const span = spans.find((s) => s.name === name)!;
      expect(ancestry(span, spans).map((s) => s.spanId)).toContain(gatewayServer.spanId);
    }
  });

  it('records a failed call’s status on its spans: the HTTP code at the gateway, the gRPC code on both sides, an error on the client', async () => {
    const caller = newTraceparent();
    const badInput = JSON.stringify({
      inputs: [{ name: 'nope', datatype: 'FP32', shape: [1, 64], data: new Array(64).fill(0) }],
    });
    const response = await api('POST', '/v2/models/mlp/infer', badInput, { traceparent: caller.header });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/unexpected input "nope"/);
    const isServer = (s: ReceivedSpan) => s.service === 'aiaas-gateway' && s.kind === SPAN_KIND_SERVER;
    const isNode = (s: ReceivedSpan) => s.service === 'aiaas-inference-node' && s.kind === SPAN_KIND_SERVER;
    const spans = await receiver.waitForTrace(caller.traceId, (s) => s.some(isServer) && s.some(isNode));
    const gatewayServer = spans.find(isServer)!;
    const nodeServer = spans.find(isNode)!;
    const gatewayClient = spans.find((s) => s.spanId === nodeServer.parentSpanId);
    expect(gatewayServer.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 400 } });
    const INVALID_ARGUMENT = 3;
    const SPAN_STATUS_UNSET = 0;
    const SPAN_STATUS_ERROR = 2;
    for (const span of [gatewayClient!, nodeServer]) {
      expect(span.attributes).toContainEqual({ key: 'rpc.grpc.status_code', value: { intValue: INVALID_ARGUMENT } });
    }
    // The RPC conventions: any non-OK code is an error for the client; for the server only codes that
    // mean it failed (UNKNOWN, INTERNAL, UNAVAILABLE...), not a caller's bad input.
    expect(gatewayClient!.status).toMatchObject({ code: SPAN_STATUS_ERROR });
    expect(nodeServer.status?.code ?? SPAN_STATUS_UNSET).toBe(SPAN_STATUS_UNSET);
  });

  it('carries the request’s trace id on log lines written inside it, in another process too', async () => {
    const caller = newTraceparent();
    // An alias move: the gateway calls the registry, which logs the change (debug) inside the call.
    const moved = await api('PUT', '/v1/models/mlp/aliases/staging', JSON.stringify({ version: 1 }), {
      traceparent: caller.header,
    });
    expect(moved.status).toBe(200);
    const line = await pollUntil('the registry’s log line for the alias change', async () =>
      logLines(registry).find((l) => l['msg'] === 'registry changed; reconciling' && l['trace_id'] === caller.traceId),
    );
    expect(line).toMatchObject({
      service: 'registry',
      trace_id: caller.traceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    // That span is the registry's server span for the call, itself a child of the gateway's client span.
    // Each process exports on its own schedule: wait for the registry's span and its parent.
    const spans = await receiver.waitForTrace(caller.traceId, (s) => {
      const span = s.find((x) => x.spanId === line['span_id']);
      return span !== undefined && s.some((x) => x.spanId === span.parentSpanId);
    });
    const registrySpan = spans.find((s) => s.spanId === line['span_id']);
    expect(registrySpan).toMatchObject({ service: 'aiaas-registry', kind: SPAN_KIND_SERVER });
    const parent = spans.find((s) => s.spanId === registrySpan!.parentSpanId);
    expect(parent).toMatchObject({ service: 'aiaas-gateway', kind: SPAN_KIND_CLIENT });
    // Lines outside any request (start-up) carry no trace id.
    const startup = logLines(registry).find((l) => l['msg'] === 'registry listening' || l['msg'] === 'node registered');
    expect(startup).toBeDefined();
    expect(startup).not.toHaveProperty('trace_id');
  });

  it('serves valid Prometheus text on every service, and the counters move by exactly the traffic sent', async () => {
    const N = 5;
    const before = { gateway: await scrape('gateway'), node: await scrape('node') };
    for (let i = 0; i < N; i++) expect((await api('POST', '/v2/models/mlp/infer', inferBody)).status).toBe(200);
    // A request that fails: an unknown model, 404 on the same route.
    expect((await api('POST', '/v2/models/nope/infer', inferBody)).status).toBe(404);

    const inferRoute = /^POST \/v2\/models\/.+\/infer$/;
    const gatewayCount = (families: Map<string, PrometheusFamily>, status: string) =>
      sumSamples(families, 'aiaas_gateway_requests_total', { protocol: 'rest', route: inferRoute, status });
    // The gateway counts a request once its response is sent: wait for the last one to land.
    const gatewayAfter = await pollUntil('the gateway counters', async () => {
      const families = await scrape('gateway');
      return gatewayCount(families, '404') > gatewayCount(before.gateway, '404') ? families : undefined;
    });
    expect(gatewayCount(gatewayAfter, '200') - gatewayCount(before.gateway, '200')).toBe(N);
    expect(gatewayCount(gatewayAfter, '404') - gatewayCount(before.gateway, '404')).toBe(1);
    const gatewayDuration = (families: Map<string, PrometheusFamily>) =>
      sumSamples(families, 'aiaas_gateway_request_duration_seconds_count', { protocol: 'rest', route: inferRoute });
    expect(gatewayDuration(gatewayAfter) - gatewayDuration(before.gateway)).toBe(N + 1);

    const nodeAfter = await scrape('node');
    const nodeCount = (families: Map<string, PrometheusFamily>, outcome: string) =>
      sumSamples(families, 'aiaas_inference_requests_total', { model: /\.mlp$/, version: '1', outcome });
    expect(nodeCount(nodeAfter, 'success') - nodeCount(before.node, 'success')).toBe(N);
    expect(nodeCount(nodeAfter, 'failure') - nodeCount(before.node, 'failure')).toBe(0);
    const durationCount = (families: Map<string, PrometheusFamily>) =>
      sumSamples(families, 'aiaas_inference_request_duration_seconds_count', { model: /\.mlp$/ });
    expect(durationCount(nodeAfter) - durationCount(before.node)).toBe(N);
    // Loaded models and their memory: one version, one instance holding the artifact.
    expect(sumSamples(nodeAfter, 'aiaas_models_loaded')).toBe(1);
    expect(sumSamples(nodeAfter, 'aiaas_model_ready', { model: /\.mlp$/, version: '1' })).toBe(1);
    expect(sumSamples(nodeAfter, 'aiaas_model_memory_bytes', { model: /\.mlp$/, version: '1' })).toBe(
      model.bytes.length,
    );
    expect(sumSamples(nodeAfter, 'aiaas_inference_queue_depth', { model: /\.mlp$/ })).toBe(0);
    expect(sumSamples(nodeAfter, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    const registryMetrics = await scrape('registry');
    expect(sumSamples(registryMetrics, 'aiaas_registry_uploads_total', { outcome: 'ok' })).toBe(1);
    expect(sumSamples(registryMetrics, 'aiaas_registry_upload_bytes_total')).toBe(model.bytes.length);
    expect(sumSamples(registryMetrics, 'aiaas_registry_placements_total', { result: 'placed' })).toBe(1);
    expect(sumSamples(registryMetrics, 'aiaas_registry_placements_total', { result: 'unplaced' })).toBe(0);
    expect(sumSamples(registryMetrics, 'aiaas_registry_replicas', { state: 'READY' })).toBe(1);
    expect(sumSamples(registryMetrics, 'aiaas_registry_replicas')).toBe(1);
  });

  it('follows one job submitted over REST as one trace: gateway → registry → worker (a span per pass) → registry', async () => {
    const caller = newTraceparent();
    const submitted = await api(
      'POST',
      '/v1/jobs',
      JSON.stringify({ model: 'mlp', version: 1, passes: [{ name: 'fp16' }] }),
      { traceparent: caller.header },
    );
    expect(submitted.status).toBe(201);
    const { id } = (await submitted.json()) as { id: string };
    const job = await pollUntil(
      'the job to end',
      async () => {
        const current = (await (await api('GET', `/v1/jobs/${id}`)).json()) as { state: string };
        return ['completed', 'failed', 'cancelled'].includes(current.state) ? current : undefined;
      },
      120_000,
    );
    expect(job).toMatchObject({ state: 'completed', result_version: 2 });

    const underJob = (spans: ReceivedSpan[], jobSpan: ReceivedSpan | undefined) =>
      jobSpan !== undefined &&
      spans.some(
        (s) =>
          s.service === 'aiaas-registry' &&
          s.kind === SPAN_KIND_SERVER &&
          ancestry(s, spans).some((a) => a.spanId === jobSpan.spanId),
      );
    const expected: Record<string, (s: ReceivedSpan) => boolean> = {
      'gateway server span': (s) => s.service === 'aiaas-gateway' && s.kind === SPAN_KIND_SERVER,
      'registry SubmitJob server span': (s) =>
        s.service === 'aiaas-registry' && s.kind === SPAN_KIND_SERVER && s.name.endsWith('/SubmitJob'),
      'BullMQ producer span': (s) => s.service === 'aiaas-registry' && s.kind === SPAN_KIND_PRODUCER,
      'BullMQ consumer span': (s) => s.service === 'aiaas-optimizer' && s.kind === SPAN_KIND_CONSUMER,
      'optimizer.job span': (s) => s.name === 'optimizer.job',
      'optimizer.pass span': (s) => s.name === 'optimizer.pass',
    };
    const spans = await receiver.waitForTrace(
      caller.traceId,
      (s) =>
        Object.values(expected).every((predicate) => s.some(predicate)) &&
        underJob(s, s.find(expected['optimizer.job span']!)) &&
        s.some((x) => x.spanId === s.find(expected['registry SubmitJob server span']!)?.parentSpanId),
    );
    const trace = describeSpans(spans);
    const find = (what: keyof typeof expected): ReceivedSpan => {
      const found = spans.filter(expected[what]!);
      if (found.length !== 1)
        throw new Error(`expected one ${what} in trace ${caller.traceId}, found ${found.length}:\n${trace}`);
      return found[0]!;
    };
    const gatewayServer = find('gateway server span');
    const submitServer = find('registry SubmitJob server span');
    const submitClient = spans.find((s) => s.spanId === submitServer.parentSpanId);
    const jobSpan = find('optimizer.job span');
    const passSpan = find('optimizer.pass span');

    expect(gatewayServer.parentSpanId).toBe(caller.spanId);
    // gateway → registry: the gRPC client span in the gateway, under its server span.
    expect(submitClient).toMatchObject({ service: 'aiaas-gateway', kind: SPAN_KIND_CLIENT });
    expect(ancestry(submitClient!, spans).map((s) => s.spanId)).toContain(gatewayServer.spanId);
    // registry → worker: BullMQ's own telemetry, producer span (Queue.add) → consumer span (process).
    const producer = find('BullMQ producer span');
    const consumer = find('BullMQ consumer span');
    expect(producer.parentSpanId).toBe(submitServer.spanId);
    expect(consumer.parentSpanId).toBe(producer.spanId);
    expect(jobSpan).toMatchObject({ service: 'aiaas-optimizer', parentSpanId: consumer.spanId });
    expect(passSpan).toMatchObject({ service: 'aiaas-optimizer', parentSpanId: jobSpan.spanId });
    expect(passSpan.attributes).toContainEqual({ key: 'aiaas.pass.name', value: { stringValue: 'fp16' } });
    // worker → registry: the calls that read the source and register the result.
    expect(underJob(spans, jobSpan)).toBe(true);
    for (const span of spans) expect(ancestry(span, spans).at(-1)?.parentSpanId).toBe(caller.spanId);

    const worker = await scrape('worker');
    expect(sumSamples(worker, 'aiaas_optimizer_jobs_total', { state: 'completed' })).toBe(1);
    expect(sumSamples(worker, 'aiaas_optimizer_jobs_total')).toBe(1);
    expect(sumSamples(worker, 'aiaas_optimizer_pass_duration_seconds_count', { pass: 'fp16' })).toBe(1);
    expect(sumSamples(worker, 'aiaas_optimizer_jobs_active')).toBe(0);
  }, 180_000);

  it('uses in deploy/ (alert rules, dashboards) only metrics the services export', async () => {
    const exported = new Set<string>();
    for (const service of ['gateway', 'registry', 'node', 'worker'] as const) {
      const families = await scrape(service);
      for (const name of sampleNames(families)) exported.add(name);
      // A family with no sample yet (a labelled counter before its first event) still exists.
      for (const name of families.keys()) exported.add(name);
    }
    const deploy = path.join(REPO_ROOT, 'deploy');
    const prometheus = parseYaml(fs.readFileSync(path.join(deploy, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const jobs = new Set(prometheus.scrape_configs.map((c) => c.job_name));
    expect(jobs).toEqual(new Set(['aiaas-gateway', 'aiaas-registry', 'aiaas-worker', 'aiaas-node']));
    expect(prometheus.rule_files).toEqual(['alerts.yml']);

    const alerts = parseYaml(fs.readFileSync(path.join(deploy, 'prometheus', 'alerts.yml'), 'utf8')) as {
      groups: { name: string; rules: { alert: string; expr: string; labels: { severity: string } }[] }[];
    };
    const rules = alerts.groups.flatMap((g) => g.rules);
    const expressions: [string, string][] = rules.map((r) => [`alert ${r.alert}`, r.expr]);
    for (const file of ['platform.json', 'model.json']) {
      const dashboard = JSON.parse(fs.readFileSync(path.join(deploy, 'grafana', 'dashboards', file), 'utf8')) as {
        panels: { title: string; targets: { expr: string }[] }[];
        templating: { list: { name: string; definition?: string }[] };
      };
      for (const panel of dashboard.panels)
        for (const target of panel.targets) expressions.push([`${file} "${panel.title}"`, target.expr]);
      for (const variable of dashboard.templating.list) {
        if (variable.definition) expressions.push([`${file} variable ${variable.name}`, variable.definition]);
      }
    }
    // The alerts: node down, error ratio, p99 latency, queue depth, job failures.
    const all = expressions.map(([, expr]) => expr).join('\n');
    expect(all).toMatch(/up\{job="aiaas-node"\} == 0/);
    expect(all).toMatch(/histogram_quantile\(0\.99, .*aiaas_gateway_request_duration_seconds_bucket/);
    expect(all).toMatch(/aiaas_inference_queue_depth/);

    const missing: string[] = [];
    let checked = 0;
    for (const [where, expr] of expressions) {
      for (const match of expr.matchAll(/\b(?:aiaas|process|nodejs)_[a-zA-Z0-9_]+/g)) {
        checked++;
        if (!exported.has(match[0])) missing.push(`${where}: ${match[0]}`);
      }
      for (const match of expr.matchAll(/job=~?"([^"]+)"/g)) {
        const pattern = new RegExp(`^(?:${match[1]})$`);
        if (![...jobs].some((job) => pattern.test(job)))
          missing.push(`${where}: job ${match[1]} matches no scrape job`);
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
