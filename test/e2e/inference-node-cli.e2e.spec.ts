import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import type { ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import type { ModelInferRequest, ModelInferResponse__Output } from '@aiaas/proto';
import { REPO_ROOT, callUnary, createInferenceClient, makeTempDir, removeDir, spawnCli } from '@aiaas/testing';
import type { CliProcess, InferenceClient } from '@aiaas/testing';

const READY_LINE = /inference node on 127\.0\.0\.1:(\d+) \(gRPC\), metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/;

function grpcClient(protoFile: string, service: string, port: number, includeDirs: string[] = []): any {
  const definition = loadSync(protoFile, { keepCase: true, enums: String, includeDirs });
  const ctor = service.split('.').reduce((obj: any, key) => obj[key], loadPackageDefinition(definition)) as ServiceClientConstructor;
  return new ctor(`127.0.0.1:${port}`, credentials.createInsecure());
}

describe('aiaas node (a real process)', () => {
  let dataDir: string;
  let cli: CliProcess;
  let grpcPort: number;
  let metricsPort: number;
  let client: InferenceClient;

  beforeAll(async () => {
    dataDir = makeTempDir('e2e-node');
    // The user's environment, not Jest's: the node itself must keep onnxruntime from littering /tmp.
    const env = { ...process.env };
    delete env['ORT_DISABLE_TELEMETRY'];
    cli = spawnCli(['node', '--demo', '--data-dir', dataDir, '--grpc-port', '0', '--metrics-port', '0'], env);
    const match = await cli.waitFor(READY_LINE);
    await cli.waitFor(/mlp-small v1: READY/); // the index prints sorted by name: the last line
    grpcPort = Number(match[1]);
    metricsPort = Number(match[2]);
    client = createInferenceClient(grpcPort);
  });

  afterAll(async () => {
    client?.close();
    await cli?.stop('SIGKILL');
    removeDir(dataDir);
  });

  it('serves the demo models it built, with outputs equal to the reference', async () => {
    expect(cli.output()).toMatch(/mlp-small v1: READY/);
    expect(cli.output()).toMatch(/cnn v1: READY/);
    const input = Float32Array.from({ length: 64 }, (_, i) => i / 64);
    const response = await callUnary<ModelInferRequest, ModelInferResponse__Output>(client, client.ModelInfer, {
      model_name: 'mlp-small',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
      raw_input_contents: [Buffer.from(input.buffer)],
    });
    const raw = response.raw_output_contents[0]!;
    const output = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const expected = mlpReference(buildMlp(MLP_SMALL).weights, input, 1);
    expect(Array.from(output).map((v, i) => Math.abs(v - expected[i]!) < 1e-4)).toEqual(new Array(10).fill(true));
  });

  it('answers the standard gRPC health service', async () => {
    const health = grpcClient(healthProtoPath, 'grpc.health.v1.Health', grpcPort);
    const answer = await new Promise<{ status: string }>((resolve, reject) =>
      health.Check({ service: '' }, (err: Error | null, res: { status: string }) => (err ? reject(err) : resolve(res))),
    );
    health.close();
    expect(answer.status).toBe('SERVING');
  });

  it('lists its services through server reflection', async () => {
    const reflectionProto = path.join(path.dirname(require.resolve('@grpc/reflection/package.json')), 'build/proto/grpc/reflection/v1/reflection.proto');
    const reflection = grpcClient(reflectionProto, 'grpc.reflection.v1.ServerReflection', grpcPort);
    const stream = reflection.ServerReflectionInfo();
    const answer = new Promise<any>((resolve, reject) => {
      stream.on('data', resolve);
      stream.on('error', reject);
    });
    stream.write({ list_services: '' });
    const response = await answer;
    stream.end();
    reflection.close();
    const names = response.list_services_response.service.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['inference.GRPCInferenceService', 'grpc.health.v1.Health']));
  });

  it('serves /metrics and /healthz on the metrics port', async () => {
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/aiaas_model_ready\{model="cnn",version="1"\} 1/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/nope`)).status).toBe(404);
  });

  it('finishes in-flight requests on SIGTERM, exits 0 and leaves no onnxruntime log behind', async () => {
    // Sixteen full batches of the CNN: enough queued work that SIGTERM lands while it runs.
    const images = new Float32Array(16 * 3 * 64 * 64).fill(0.25);
    const request: ModelInferRequest = {
      model_name: 'cnn',
      inputs: [{ name: 'image', datatype: 'FP32', shape: [16, 3, 64, 64] }],
      raw_input_contents: [Buffer.from(images.buffer)],
    };
    await callUnary(client, client.ModelInfer, request);
    const inFlight = Array.from({ length: 16 }, () =>
      callUnary<ModelInferRequest, ModelInferResponse__Output>(client, client.ModelInfer, request),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const code = await cli.stop('SIGTERM');
    const results = await Promise.allSettled(inFlight);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results.every((r) => r.status === 'fulfilled' && r.value.outputs[0]!.shape[0] === '16')).toBe(true);
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(os.tmpdir(), `mat-debug-${cli.child.pid}.log`))).toBe(false);
  });

  it('refuses bad flags with one clear line and a non-zero exit', async () => {
    const bad = spawnCli(['node', '--grpc-port', 'abc', '--model-repository', REPO_ROOT]);
    const code = await new Promise<number | null>((resolve) => bad.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(bad.output()).toMatch(/grpcPort: Expected number/);
  });
});
