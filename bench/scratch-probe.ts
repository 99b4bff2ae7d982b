import { performance } from 'node:perf_hooks';
import { MLP_SMALL, buildMlp } from '@aiaas/onnx';
import { callUnary, createInferenceClient, makeTempDir, writeModelRepository } from '@aiaas/testing';
import { startNodeProcess } from './node-process';

async function main(): Promise<void> {
  const dir = makeTempDir('probe');
  const m = buildMlp(MLP_SMALL);
  writeModelRepository(dir, [{ name: 'mlp-small', versions: { 1: m.bytes }, config: process.env['CFG'] ?? { max_batch_size: 64, dynamic_batching: {} } }]);
  const node = await startNodeProcess(__dirname, dir);
  const client = createInferenceClient(node.grpcPort);
  try {
    const time = async (label: string, fn: () => Promise<unknown>) => {
      for (let i = 0; i < 200; i++) await fn();
      const lat: number[] = [];
      for (let i = 0; i < 1000; i++) { const t = performance.now(); await fn(); lat.push(performance.now() - t); }
      lat.sort((a, b) => a - b);
      console.log(label, 'p50', lat[500]!.toFixed(3), 'p99', lat[990]!.toFixed(3));
    };
    const input = Buffer.alloc(64 * 4);
    const req = { model_name: 'mlp-small', inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }], raw_input_contents: [input] };
    await time('live nodeadline', () => callUnary(client, client.ServerLive, {}));
    await time('live deadline', () => callUnary(client, client.ServerLive, {}, { deadline: new Date(Date.now() + 30000) }));
    await time('infer nodeadline', () => callUnary(client, client.ModelInfer, req));
    await time('infer deadline', () => callUnary(client, client.ModelInfer, req, { deadline: new Date(Date.now() + 30000) }));
  } finally {
    client.close();
    await node.stop();
  }
}
void main();
