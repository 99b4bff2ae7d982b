import fs from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import {
  MLP_LARGE,
  MLP_SMALL,
  buildFixedBatchModel,
  buildIdentityModel,
  buildMlp,
  buildMultiIoModel,
  buildStringModel,
  identityInputName,
  identityOutputName,
  mlpReference,
} from '@aiaas/onnx';
import type { ModelInferRequest, ModelInferResponse__Output } from '@aiaas/proto';
import { callUnary, createInferenceClient, makeTempDir, removeDir, writeModelRepository } from '@aiaas/testing';
import type { InferenceClient } from '@aiaas/testing';
import { createLogger } from '@aiaas/common';
import { loadNodeConfig } from './config';
import { startInferenceNode } from './server';
import type { RunningNode } from './server';
import { encodeBytesElements } from './tensor-codec';

const mlp = buildMlp(MLP_SMALL);
const mlpLarge = buildMlp(MLP_LARGE);
const silent = createLogger({ service: 'test', level: 'silent' });

function rowsOf(count: number, width: number, seed: number): Float32Array {
  return Float32Array.from({ length: count * width }, (_, i) => Math.sin(seed * 7.3 + i * 0.37));
}

function fp32Request(model: string, input: Float32Array, rows: number, extra: Partial<ModelInferRequest> = {}): ModelInferRequest {
  return {
    model_name: model,
    inputs: [{ name: 'input', datatype: 'FP32', shape: [rows, input.length / rows] }],
    raw_input_contents: [Buffer.from(input.buffer, input.byteOffset, input.byteLength)],
    ...extra,
  };
}

function outputFloats(response: ModelInferResponse__Output, index = 0): Float32Array {
  const raw = response.raw_output_contents[index]!;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThan(1e-4);
}

async function expectGrpcError(promise: Promise<unknown>, code: status, message: RegExp | string): Promise<void> {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as ServiceError | undefined;
  expect(err).toBeDefined();
  expect({ code: status[err!.code], details: err!.details }).toEqual({
    code: status[code],
    details: typeof message === 'string' ? message : expect.stringMatching(message),
  });
}

const ALL_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;

describe('inference node over gRPC', () => {
  let root: string;
  let running: RunningNode;
  let client: InferenceClient;
  const infer = (request: ModelInferRequest, deadline?: number) =>
    callUnary<ModelInferRequest, ModelInferResponse__Output>(client, client.ModelInfer, request, deadline ? { deadline } : {});
  const statistics = (name: string): Promise<any> => callUnary(client, client.ModelStatistics, { name });

  beforeAll(async () => {
    root = makeTempDir('node-int');
    writeModelRepository(root, [
      { name: 'mlp', versions: { 1: buildMlp({ ...MLP_SMALL, seed: 1 }).bytes, 2: mlp.bytes } },
      { name: 'mlp-unbatched', versions: { 1: mlp.bytes }, config: { max_batch_size: 8 } },
      {
        name: 'mlp-large',
        versions: { 1: mlpLarge.bytes },
        config: { max_batch_size: 64, dynamic_batching: { default_queue_policy: { max_queue_size: 4 } } },
      },
      { name: 'mlp-large-deep-queue', versions: { 1: mlpLarge.bytes }, config: { max_batch_size: 64, dynamic_batching: {} } },
      { name: 'multi', versions: { 1: buildMultiIoModel().bytes } },
      { name: 'strings', versions: { 1: buildStringModel().bytes } },
      { name: 'identity', versions: { 1: buildIdentityModel([...ALL_DATATYPES]).bytes } },
      { name: 'fixed', versions: { 1: buildFixedBatchModel().bytes } },
      { name: 'broken', versions: { 1: Buffer.from('this is not an onnx model') } },
      { name: 'bad-config', versions: { 1: mlp.bytes }, config: '{"max_batch_sizes": 4}' },
      { name: 'gpu', versions: { 1: mlp.bytes }, config: { max_batch_size: 4, instance_group: [{ kind: 'KIND_GPU', count: 1 }] } },
    ]);
    running = await startInferenceNode(
      loadNodeConfig({ modelRepository: root, grpcPort: 0, metricsPort: 0, maxMessageBytes: 4 * 1024 * 1024 }),
      silent,
    );
    client = createInferenceClient(running.grpcPort);
  });

  afterAll(async () => {
    client?.close();
    await running?.close();
    removeDir(root);
  });

  it('answers health and metadata calls', async () => {
    expect(await callUnary(client, client.ServerLive, {})).toEqual({ live: true });
    expect(await callUnary(client, client.ServerReady, {})).toEqual({ ready: true });
    expect(await callUnary(client, client.ModelReady, { name: 'mlp' })).toEqual({ ready: true });
    expect(await callUnary(client, client.ModelReady, { name: 'mlp', version: '7' })).toEqual({ ready: false });
    expect(await callUnary(client, client.ModelReady, { name: 'broken' })).toEqual({ ready: false });
    const server = await callUnary(client, client.ServerMetadata, {});
    expect(server).toMatchObject({ name: 'aiaas-inference-node', extensions: expect.arrayContaining(['model_repository', 'statistics']) });
    const metadata = await callUnary(client, client.ModelMetadata, { name: 'mlp' });
    expect(metadata).toEqual({
      name: 'mlp',
      versions: ['2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: ['-1', '64'] }],
      outputs: [{ name: 'output', datatype: 'FP32', shape: ['-1', '10'] }],
    });
  });

  it('serves the latest version by default and any served version by number', async () => {
    const input = rowsOf(1, 64, 1);
    const latest = await infer(fp32Request('mlp', input, 1));
    expect(latest.model_version).toBe('2');
    expectClose(outputFloats(latest), mlpReference(mlp.weights, input, 1));
    expect(latest.outputs).toEqual([{ name: 'output', datatype: 'FP32', shape: ['1', '10'], parameters: {}, contents: null }]);
    const explicit = await infer(fp32Request('mlp', input, 1, { model_version: '2', id: 'req-7' }));
    expect(explicit.id).toBe('req-7');
    // Version 1 is on disk but the default policy (latest 1) does not serve it.
    await expectGrpcError(infer(fp32Request('mlp', input, 1, { model_version: '1' })), status.NOT_FOUND, /version 1 not found \(served versions: 2\)/);
  });

  it('returns the effective configuration in Triton form', async () => {
    const { config } = await callUnary<object, any>(client, client.ModelConfig, { name: 'mlp-large' });
    expect(config).toMatchObject({
      name: 'mlp-large',
      platform: 'onnxruntime_onnx',
      max_batch_size: 64,
      dynamic_batching: { max_queue_delay_microseconds: '0', default_queue_policy: { max_queue_size: 4 } },
      version_policy: { latest: { num_versions: 1 } },
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: ['1024'] }],
      instance_group: [{ kind: 'KIND_CPU', count: 1 }],
      scheduling_choice: 'dynamic_batching',
    });
    const unbatched = await callUnary<object, any>(client, client.ModelConfig, { name: 'mlp-unbatched' });
    expect(unbatched.config['scheduling_choice']).toBeUndefined();
    expect(unbatched.config['max_batch_size']).toBe(8);
  });

  it('merges concurrent requests into batches and gives every caller exactly its own rows', async () => {
    const before = await statistics('mlp');
    const inputs = Array.from({ length: 48 }, (_, i) => rowsOf(1 + (i % 3), 64, i));
    const responses = await Promise.all(inputs.map((input) => infer(fp32Request('mlp', input, input.length / 64))));
    responses.forEach((response, i) => {
      const rows = inputs[i]!.length / 64;
      expect(response.outputs[0]!.shape).toEqual([String(rows), '10']);
      expectClose(outputFloats(response), mlpReference(mlp.weights, inputs[i]!, rows));
    });
    const after = await statistics('mlp');
    const stats = after.model_stats[0];
    const rows = inputs.reduce((sum, input) => sum + input.length / 64, 0);
    expect(Number(stats.inference_count) - Number(before.model_stats[0].inference_count)).toBe(rows);
    const executions = Number(stats.execution_count) - Number(before.model_stats[0].execution_count);
    expect(executions).toBeLessThan(inputs.length);
    expect(stats.batch_stats.some((b: { batch_size: string }) => Number(b.batch_size) > 3)).toBe(true);
    expect(Number(stats.inference_stats.success.count)).toBeGreaterThanOrEqual(inputs.length);
  });

  it('never merges requests for a model without dynamic batching', async () => {
    const before = await statistics('mlp-unbatched');
    const inputs = Array.from({ length: 12 }, (_, i) => rowsOf(1, 64, i));
    const responses = await Promise.all(inputs.map((input) => infer(fp32Request('mlp-unbatched', input, 1))));
    responses.forEach((response, i) => expectClose(outputFloats(response), mlpReference(mlp.weights, inputs[i]!, 1)));
    const after = await statistics('mlp-unbatched');
    expect(Number(after.model_stats[0].execution_count) - Number(before.model_stats[0].execution_count)).toBe(12);
  });

  it('serves a model whose batch dimension is fixed, one request at a time', async () => {
    const input = rowsOf(1, 8, 3);
    const response = await infer(fp32Request('fixed', input, 1));
    expect(response.outputs[0]!.shape).toEqual(['1', '4']);
    await expectGrpcError(infer(fp32Request('fixed', rowsOf(2, 8, 3), 2)), status.INVALID_ARGUMENT, 'input "input": expected shape [1,8], got [2,8]');
  });

  it('round-trips every datatype, raw and typed', async () => {
    const values: Record<(typeof ALL_DATATYPES)[number], { raw: Buffer; contents?: object }> = {
      BOOL: { raw: Buffer.from([1, 0, 1]), contents: { bool_contents: [true, false, true] } },
      UINT8: { raw: Buffer.from([0, 7, 255]), contents: { uint_contents: [0, 7, 255] } },
      UINT16: { raw: Buffer.from(new Uint16Array([0, 7, 65535]).buffer), contents: { uint_contents: [0, 7, 65535] } },
      UINT32: { raw: Buffer.from(new Uint32Array([0, 7, 4294967295]).buffer), contents: { uint_contents: [0, 7, 4294967295] } },
      UINT64: {
        raw: Buffer.from(new BigUint64Array([0n, 7n, 18446744073709551615n]).buffer),
        contents: { uint64_contents: ['0', '7', '18446744073709551615'] },
      },
      INT8: { raw: Buffer.from(new Int8Array([-128, 0, 127]).buffer), contents: { int_contents: [-128, 0, 127] } },
      INT16: { raw: Buffer.from(new Int16Array([-32768, 0, 32767]).buffer), contents: { int_contents: [-32768, 0, 32767] } },
      INT32: { raw: Buffer.from(new Int32Array([-5, 0, 2147483647]).buffer), contents: { int_contents: [-5, 0, 2147483647] } },
      INT64: {
        raw: Buffer.from(new BigInt64Array([-9007199254740993n, 0n, 9223372036854775807n]).buffer),
        contents: { int64_contents: ['-9007199254740993', '0', '9223372036854775807'] },
      },
      FP16: { raw: Buffer.from(new Uint16Array([0x3c00, 0xc000, 0x7bff]).buffer) },
      FP32: { raw: Buffer.from(new Float32Array([1.5, -2, 3.25]).buffer), contents: { fp32_contents: [1.5, -2, 3.25] } },
      FP64: { raw: Buffer.from(new Float64Array([0.1, -1e300, 3]).buffer), contents: { fp64_contents: [0.1, -1e300, 3] } },
      BYTES: { raw: encodeBytesElements(['a', 'héllo', '']), contents: { bytes_contents: [Buffer.from('a'), Buffer.from('héllo'), Buffer.alloc(0)] } },
    };
    const names = ALL_DATATYPES.map((dt) => identityInputName(dt));
    const rawResponse = await infer({
      model_name: 'identity',
      inputs: ALL_DATATYPES.map((dt, i) => ({ name: names[i]!, datatype: dt, shape: [1, 3] })),
      raw_input_contents: ALL_DATATYPES.map((dt) => values[dt].raw),
    });
    ALL_DATATYPES.forEach((dt) => {
      const index = rawResponse.outputs.findIndex((o) => o.name === identityOutputName(dt));
      expect({ dt, datatype: rawResponse.outputs[index]!.datatype, shape: rawResponse.outputs[index]!.shape }).toEqual({ dt, datatype: dt, shape: ['1', '3'] });
      expect({ dt, bytes: rawResponse.raw_output_contents[index]!.toString('hex') }).toEqual({ dt, bytes: values[dt].raw.toString('hex') });
    });
    // FP16 has no typed field: send it raw, everything else typed, in one request... which the
    // protocol forbids (raw for one tensor means raw for all), so send FP16 in a second request.
    const typed = ALL_DATATYPES.filter((dt) => dt !== 'FP16');
    const typedModelInputs = ALL_DATATYPES.map((dt, i) => ({
      name: names[i]!,
      datatype: dt,
      shape: [1, 3],
      contents: values[dt].contents ?? {},
    }));
    await expectGrpcError(
      infer({ model_name: 'identity', inputs: typedModelInputs }),
      status.INVALID_ARGUMENT,
      /FP16 has no typed contents field in the protocol; send it in raw_input_contents/,
    );
    const typedOnly = await infer({
      model_name: 'identity',
      inputs: typedModelInputs.map((input) => (input.datatype === 'FP16' ? { ...input, contents: { fp32_contents: [] } } : input)),
      outputs: typed.map((dt) => ({ name: identityOutputName(dt) })),
    }).catch((err: ServiceError) => err);
    // Empty typed contents for FP16 means "no data": that is still an error naming the tensor.
    expect((typedOnly as ServiceError).details).toMatch(/input "in_fp16"/);
  });

  it('filters outputs to those requested and serves several inputs of different datatypes', async () => {
    const response = await infer({
      model_name: 'multi',
      inputs: [
        { name: 'a', datatype: 'FP32', shape: [2, 4], contents: { fp32_contents: [1, 2, 3, 4, 5, 6, 7, 8] } },
        { name: 'b', datatype: 'INT64', shape: [2, 4], contents: { int64_contents: ['1', '1', '1', '1', '2', '2', '2', '2'] } },
        { name: 'flag', datatype: 'BOOL', shape: [2, 1], contents: { bool_contents: [true, false] } },
      ],
      outputs: [{ name: 'not_flag' }, { name: 'sum' }],
    });
    expect(response.outputs.map((o) => o.name)).toEqual(['not_flag', 'sum']);
    expect([...response.raw_output_contents[0]!]).toEqual([0, 1]);
    expect(Array.from(outputFloats(response, 1))).toEqual([2, 3, 4, 5, 7, 8, 9, 10]);
    await expectGrpcError(
      infer({
        model_name: 'multi',
        inputs: [
          { name: 'a', datatype: 'FP32', shape: [1, 4], contents: { fp32_contents: [1, 2, 3, 4] } },
          { name: 'b', datatype: 'INT64', shape: [1, 4], contents: { int64_contents: ['1', '1', '1', '1'] } },
          { name: 'flag', datatype: 'BOOL', shape: [1, 1], contents: { bool_contents: [true] } },
        ],
        outputs: [{ name: 'nope' }],
      }),
      status.INVALID_ARGUMENT,
      'unknown output "nope": the model\'s outputs are "sum", "b_doubled", "not_flag"',
    );
  });

  it('serves string tensors in the BYTES raw form', async () => {
    const response = await infer({
      model_name: 'strings',
      inputs: [{ name: 'text', datatype: 'BYTES', shape: [2, 1] }],
      raw_input_contents: [encodeBytesElements(['hello', 'World'])],
    });
    const upper = response.raw_output_contents[response.outputs.findIndex((o) => o.name === 'upper')]!;
    expect(upper.equals(encodeBytesElements(['HELLO', 'WORLD']))).toBe(true);
    await expectGrpcError(
      infer({ model_name: 'strings', inputs: [{ name: 'text', datatype: 'BYTES', shape: [1, 1] }], raw_input_contents: [Buffer.from([9, 0, 0, 0, 65])] }),
      status.INVALID_ARGUMENT,
      'input "text": BYTES element 0 declares 9 bytes but only 1 remain',
    );
  });

  it('answers every bad input with INVALID_ARGUMENT or NOT_FOUND naming what was wrong', async () => {
    const one = rowsOf(1, 64, 1);
    await expectGrpcError(infer(fp32Request('nope', one, 1)), status.NOT_FOUND, 'model "nope" not found');
    await expectGrpcError(infer(fp32Request('mlp', one, 1, { model_version: 'x' })), status.INVALID_ARGUMENT, /version must be a positive integer/);
    await expectGrpcError(
      infer({ model_name: 'mlp', inputs: [{ name: 'wrong', datatype: 'FP32', shape: [1, 64] }], raw_input_contents: [Buffer.alloc(256)] }),
      status.INVALID_ARGUMENT,
      'unexpected input "wrong": the model\'s inputs are "input"',
    );
    await expectGrpcError(infer({ model_name: 'mlp', inputs: [] }), status.INVALID_ARGUMENT, 'missing input "input": expected FP32 [batch,64]');
    await expectGrpcError(
      infer({ model_name: 'mlp', inputs: [{ name: 'input', datatype: 'FP64', shape: [1, 64] }], raw_input_contents: [Buffer.alloc(512)] }),
      status.INVALID_ARGUMENT,
      'input "input": expected datatype FP32, got "FP64"',
    );
    await expectGrpcError(
      infer({ model_name: 'mlp', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 63] }], raw_input_contents: [Buffer.alloc(252)] }),
      status.INVALID_ARGUMENT,
      'input "input": expected shape [batch,64], got [1,63]',
    );
    await expectGrpcError(
      infer({ model_name: 'mlp', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }], raw_input_contents: [Buffer.alloc(200)] }),
      status.INVALID_ARGUMENT,
      'input "input": expected FP32 [1,64] = 256 bytes (256 bytes per item), got 200 bytes',
    );
    await expectGrpcError(
      infer({
        model_name: 'mlp',
        inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], contents: { fp32_contents: Array.from(one) } }],
        raw_input_contents: [Buffer.from(one.buffer)],
      }),
      status.INVALID_ARGUMENT,
      'input "input": has both raw_input_contents and typed contents; send one',
    );
    await expectGrpcError(infer(fp32Request('mlp', rowsOf(33, 64, 1), 33)), status.INVALID_ARGUMENT, /batch size 33 is outside 1\.\.32/);
    // Over the 4 MiB message limit the node was started with: grpc-js refuses it before decoding.
    await expectGrpcError(infer(fp32Request('mlp', new Float32Array(64 * 20_000), 20_000)), status.RESOURCE_EXHAUSTED, /larger than max/);
    // And the node still serves.
    expect((await infer(fp32Request('mlp', one, 1))).model_version).toBe('2');
  });

  it('reports models that fail to load in the repository index and keeps serving the rest', async () => {
    const index = await callUnary<object, { models: { name: string; state: string; reason: string; version: string }[] }>(client, client.RepositoryIndex, {});
    const byName = new Map(index.models.map((m) => [m.name, m]));
    expect(byName.get('broken')).toMatchObject({ state: 'UNAVAILABLE', reason: expect.stringMatching(/onnxruntime could not load .*broken/) });
    expect(byName.get('bad-config')).toMatchObject({ state: 'UNAVAILABLE', reason: expect.stringMatching(/bad-config\/config.json: .*max_batch_sizes/) });
    expect(byName.get('mlp')).toMatchObject({ state: 'READY', version: '2' });
    const ready = await callUnary<object, { models: { name: string }[] }>(client, client.RepositoryIndex, { ready: true });
    expect(ready.models.map((m) => m.name)).not.toContain('broken');
    await expectGrpcError(infer(fp32Request('broken', rowsOf(1, 64, 1), 1)), status.UNAVAILABLE, /model "broken" is not ready: onnxruntime could not load/);
    await expectGrpcError(
      callUnary(client, client.RepositoryModelLoad, { model_name: '../etc' }),
      status.INVALID_ARGUMENT,
      /model name "..\/etc" is not valid/,
    );
    await expectGrpcError(callUnary(client, client.RepositoryModelLoad, { model_name: 'absent' }), status.NOT_FOUND, /not in the model repository/);
  });

  it('falls back to CPU when the CUDA provider is not available, and says so', async () => {
    const index = await callUnary<object, { models: { name: string; state: string; reason: string }[] }>(client, client.RepositoryIndex, {});
    expect(index.models.find((m) => m.name === 'gpu')).toMatchObject({
      state: 'READY',
      reason: expect.stringMatching(/CUDA execution provider unavailable .*; running on CPU/),
    });
    const { config } = await callUnary<object, any>(client, client.ModelConfig, { name: 'gpu' });
    expect(config.instance_group[0].kind).toBe('KIND_CPU');
    const input = rowsOf(1, 64, 4);
    expectClose(outputFloats(await infer(fp32Request('gpu', input, 1))), mlpReference(mlp.weights, input, 1));
  });

  it('answers RESOURCE_EXHAUSTED when a model queue is full, and serves the rest', async () => {
    const input = rowsOf(1, 1024, 2);
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => infer(fp32Request('mlp-large', input, 1))));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    expect(rejected.length).toBeGreaterThan(0);
    expect(fulfilled.length).toBeGreaterThan(0);
    for (const r of rejected) {
      expect((r.reason as ServiceError).code).toBe(status.RESOURCE_EXHAUSTED);
      expect((r.reason as ServiceError).details).toBe('queue is full (4 requests waiting); retry later');
    }
  });

  it('drops a request whose deadline passes in the queue and never runs it', async () => {
    const model = 'mlp-large-deep-queue';
    const before = await statistics(model);
    // Twelve full batches ahead of it: a 1-row request cannot join a 64-row batch, so it waits
    // behind all of them, far longer than its 3 ms deadline. It is sent only once several of them
    // are queued: a small request sent at once would overtake their 256 KiB bodies on the connection.
    const big = Array.from({ length: 12 }, (_, i) => infer(fp32Request(model, rowsOf(64, 1024, 5 + i), 64)));
    const [version] = running.node.versions(model);
    for (let waited = 0; version!.queueDepth < 6; waited += 2) {
      if (waited > 10_000) throw new Error(`only ${version!.queueDepth} large requests queued after 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const late = infer(fp32Request(model, rowsOf(1, 1024, 6), 1), Date.now() + 3);
    await expectGrpcError(late, status.DEADLINE_EXCEEDED, /Deadline exceeded|deadline passed/);
    await Promise.all(big);
    const after = await statistics(model);
    expect(Number(after.model_stats[0].inference_count) - Number(before.model_stats[0].inference_count)).toBe(12 * 64);
  });

  it('streams inferences both ways, errors in-stream, and ends when the client does', async () => {
    const stream = client.ModelStreamInfer();
    const received: { error_message: string; infer_response: ModelInferResponse__Output | null }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (message: (typeof received)[number]) => received.push(message));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    const inputs = [rowsOf(1, 64, 1), rowsOf(2, 64, 2)];
    stream.write(fp32Request('mlp', inputs[0]!, 1, { id: 'a' }));
    stream.write(fp32Request('nope', inputs[0]!, 1, { id: 'b' }));
    stream.write(fp32Request('mlp', inputs[1]!, 2, { id: 'c' }));
    stream.end();
    await done;
    expect(received).toHaveLength(3);
    const byId = new Map(received.map((m) => [m.infer_response!.id, m]));
    expect(byId.get('b')!.error_message).toBe('model "nope" not found');
    expectClose(outputFloats(byId.get('c')!.infer_response!), mlpReference(mlp.weights, inputs[1]!, 2));
    expect(byId.get('a')!.error_message).toBe('');
  });

  it('reloads a model under traffic with no failed request, and unloads it after in-flight work', async () => {
    let stop = false;
    let failures = 0;
    let successes = 0;
    const input = rowsOf(1, 64, 9);
    const traffic = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop) {
          await infer(fp32Request('mlp', input, 1)).then(
            () => successes++,
            () => failures++,
          );
        }
      }),
    );
    // A reload (as after a new version appears) swaps in warmed sessions before retiring the old.
    fs.mkdirSync(path.join(root, 'mlp', '3'));
    fs.writeFileSync(path.join(root, 'mlp', '3', 'model.onnx'), mlp.bytes);
    await callUnary(client, client.RepositoryModelLoad, { model_name: 'mlp' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop = true;
    await traffic;
    expect(failures).toBe(0);
    expect(successes).toBeGreaterThan(10);
    expect((await infer(fp32Request('mlp', input, 1))).model_version).toBe('3');

    const inFlight = Array.from({ length: 8 }, () => infer(fp32Request('mlp', input, 1)));
    await callUnary(client, client.RepositoryModelUnload, { model_name: 'mlp' });
    const settled = await Promise.allSettled(inFlight);
    // Requests that reached the queue before the unload finished; later ones were refused cleanly.
    for (const r of settled) if (r.status === 'rejected') expect((r.reason as ServiceError).code).toBe(status.UNAVAILABLE);
    expect(settled.some((r) => r.status === 'fulfilled')).toBe(true);
    await expectGrpcError(infer(fp32Request('mlp', input, 1)), status.UNAVAILABLE, 'model "mlp" is not ready: unloaded');
    const index = await callUnary<object, { models: { name: string; state: string }[] }>(client, client.RepositoryIndex, {});
    expect(index.models.find((m) => m.name === 'mlp')).toMatchObject({ state: 'UNAVAILABLE' });
    await callUnary(client, client.RepositoryModelLoad, { model_name: 'mlp' });
    expect((await infer(fp32Request('mlp', input, 1))).model_version).toBe('3');
  });

  it('keeps warm sessions of unchanged versions across a reload', async () => {
    const before = await statistics('multi');
    await callUnary(client, client.RepositoryModelLoad, { model_name: 'multi' });
    const after = await statistics('multi');
    // Same ModelVersion object: its cumulative statistics were not reset by a fresh load.
    expect(after.model_stats[0].inference_count).toBe(before.model_stats[0].inference_count);
    expect(Number(after.model_stats[0].inference_count)).toBeGreaterThan(0);
  });

  it('keeps serving the old version when a reload fails', async () => {
    const override = JSON.stringify({ max_batch_size: 4, dynamic_batching: { preferred_batch_size: [8] } });
    await expectGrpcError(
      callUnary(client, client.RepositoryModelLoad, { model_name: 'mlp', parameters: { config: { string_param: override } } }),
      status.INVALID_ARGUMENT,
      /preferred_batch_size 8 is larger than max_batch_size 4/,
    );
    expect((await infer(fp32Request('mlp', rowsOf(1, 64, 1), 1))).model_version).toBe('3');
  });

  it('serves Prometheus metrics and a health check on the metrics port', async () => {
    const text = await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`).then((r) => r.text());
    expect(text).toMatch(/aiaas_inference_requests_total\{model="mlp",version="2",outcome="success"\} \d+/);
    expect(text).toMatch(/aiaas_inference_batch_size_bucket\{le="1",model="mlp",version="2"\}/);
    expect(text).toMatch(/aiaas_inference_queue_duration_seconds_count\{model="mlp-large",version="1"\} \d+/);
    expect(text).toMatch(/aiaas_model_ready\{model="multi",version="1"\} 1/);
    expect(text).toMatch(/aiaas_model_load_duration_seconds\{model="cnn|mlp-large",version="1"\} [\d.e-]+/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    const health = await fetch(`http://127.0.0.1:${running.metricsPort}/healthz`);
    expect(health.status).toBe(200);
  });
});
