import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import type { ModelInferRequest, ModelInferResponse__Output } from '@aiaas/proto';
import { contextPropagationForCommand, installInMemoryTracing } from '@aiaas/telemetry';
import type { InMemoryTracing } from '@aiaas/telemetry';
import { callUnary, createInferenceClient, makeTempDir, removeDir, writeModelRepository } from '@aiaas/testing';
import type { InferenceClient } from '@aiaas/testing';
import { createLogger } from '@aiaas/common';
import { loadNodeConfig } from './config';
import { startInferenceNode } from './server';
import type { RunningNode } from './server';

/** The span name of both ends of the call (`service/method`, the RPC conventions' name). */
const MODEL_INFER = 'inference.GRPCInferenceService/ModelInfer';

function request(model: string, seed: number): ModelInferRequest {
  const input = Float32Array.from({ length: 64 }, (_, i) => Math.sin(seed + i));
  return {
    model_name: model,
    inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
    raw_input_contents: [Buffer.from(input.buffer)],
  };
}

const nanos = ([seconds, ns]: [number, number]): number => seconds * 1e9 + ns;
const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;

describe('inference node traces (in-memory exporter)', () => {
  let tracing: InMemoryTracing;
  let root: string;
  let running: RunningNode;
  let client: InferenceClient;
  const infer = (body: ModelInferRequest) =>
    callUnary<ModelInferRequest, ModelInferResponse__Output>(client, client.ModelInfer, body);

  beforeAll(async () => {
    // As `aiaas node` runs: explicit context propagation (no AsyncLocalStorage).
    expect(contextPropagationForCommand('node')).toBe('explicit');
    tracing = installInMemoryTracing(contextPropagationForCommand('node'));
    root = makeTempDir('node-tracing');
    const mlp = buildMlp(MLP_SMALL).bytes;
    writeModelRepository(root, [
      { name: 'mlp', versions: { 1: mlp }, config: { max_batch_size: 8 } },
      // Waits (up to 2 s) until four rows are queued, so four concurrent requests run as one batch.
      {
        name: 'mlp-batched',
        versions: { 1: mlp },
        config: {
          max_batch_size: 8,
          dynamic_batching: { preferred_batch_size: [4], max_queue_delay_microseconds: 2_000_000 },
        },
      },
    ]);
    running = await startInferenceNode(
      loadNodeConfig({ modelRepository: root, grpcPort: 0, metricsPort: 0 }),
      createLogger({ service: 'test', level: 'silent' }),
    );
    client = createInferenceClient(running.grpcPort);
  });

  afterAll(async () => {
    client?.close();
    await running?.close();
    removeDir(root);
    await tracing?.shutdown();
  });

  beforeEach(() => tracing.reset());

  it('gives one ModelInfer one trace: client → server → queue and batch → onnxruntime.run', async () => {
    await infer(request('mlp', 1));
    const spans = tracing.spans();
    const client = spans.find((s) => s.name === MODEL_INFER && s.kind === SpanKind.CLIENT)!;
    const server = spans.find((s) => s.name === MODEL_INFER && s.kind === SpanKind.SERVER)!;
    const queue = spans.find((s) => s.name === 'inference.queue')!;
    const batch = spans.find((s) => s.name === 'inference.batch')!;
    const run = spans.find((s) => s.name === 'onnxruntime.run')!;
    expect([client, server, queue, batch, run].every(Boolean)).toBe(true);

    const traceId = client.spanContext().traceId;
    expect(new Set([client, server, queue, batch, run].map((s) => s.spanContext().traceId))).toEqual(
      new Set([traceId]),
    );
    expect(parentOf(server)).toBe(client.spanContext().spanId);
    expect(parentOf(queue)).toBe(server.spanContext().spanId);
    expect(parentOf(batch)).toBe(server.spanContext().spanId);
    expect(parentOf(run)).toBe(batch.spanContext().spanId);
    expect(batch.attributes['inference.batch_size']).toBe(1);
    expect(batch.links.map((l) => l.context.spanId)).toEqual([server.spanContext().spanId]);
    expect(server.attributes).toMatchObject({ 'inference.model': 'mlp', 'inference.model_version': '1' });
    // The queue wait ends where the batch starts.
    expect(nanos(queue.endTime)).toBeLessThanOrEqual(nanos(batch.startTime));
  });

  it('links a batched run to every request it served', async () => {
    await Promise.all([1, 2, 3, 4].map((seed) => infer(request('mlp-batched', seed))));
    const spans = tracing.spans();
    const servers = spans.filter((s) => s.name === MODEL_INFER && s.kind === SpanKind.SERVER);
    const batches = spans.filter((s) => s.name === 'inference.batch');
    expect(servers).toHaveLength(4);
    expect(new Set(servers.map((s) => s.spanContext().traceId)).size).toBe(4);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.attributes['inference.batch_size']).toBe(4);
    expect(batch.attributes['inference.request_count']).toBe(4);
    expect(new Set(batch.links.map((l) => l.context.spanId))).toEqual(
      new Set(servers.map((s) => s.spanContext().spanId)),
    );
    // Each request keeps its own queue span in its own trace.
    const queues = spans.filter((s) => s.name === 'inference.queue');
    expect(new Set(queues.map((q) => `${q.spanContext().traceId}/${parentOf(q)}`))).toEqual(
      new Set(servers.map((s) => `${s.spanContext().traceId}/${s.spanContext().spanId}`)),
    );
    const run = spans.find((s) => s.name === 'onnxruntime.run')!;
    expect(parentOf(run)).toBe(batch.spanContext().spanId);
  });

  it('puts every request of a stream under the stream server span', async () => {
    const stream = client.ModelStreamInfer();
    let received = 0;
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', () => received++);
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    stream.write(request('mlp', 1));
    stream.write(request('mlp', 2));
    stream.end();
    await done;
    expect(received).toBe(2);
    const spans = tracing.spans();
    const server = spans.find(
      (s) => s.name === 'inference.GRPCInferenceService/ModelStreamInfer' && s.kind === SpanKind.SERVER,
    )!;
    expect(server).toBeDefined();
    const queues = spans.filter((s) => s.name === 'inference.queue');
    expect(queues).toHaveLength(2);
    for (const queue of queues) {
      expect(queue.spanContext().traceId).toBe(server.spanContext().traceId);
      expect(parentOf(queue)).toBe(server.spanContext().spanId);
    }
    // The stream's attributes come from its requests' model.
    expect(server.attributes).toMatchObject({ 'inference.model': 'mlp' });
  });
});
