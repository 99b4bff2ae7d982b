import { performance } from 'node:perf_hooks';
import { fork } from 'node:child_process';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { loadInferencePackage } from '@aiaas/proto';
import { callUnary, createInferenceClient } from '@aiaas/testing';

async function main(): Promise<void> {
  if (process.argv[2] === 'server') {
    const server = new Server();
    const svc = loadInferencePackage().inference.GRPCInferenceService.service;
    const handlers: Record<string, unknown> = {};
    for (const k of Object.keys(svc)) handlers[k] = (_c: unknown, cb: (e: null, r: object) => void) => cb(null, { live: true });
    server.addService(svc, handlers as never);
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (_e, port) => process.send!(port));
    return;
  }
  const child = fork(__filename, ['server']);
  const port = await new Promise<number>((r) => child.once('message', (m) => r(m as number)));
  const client = createInferenceClient(port);
  const lat: number[] = [];
  for (let i = 0; i < 1200; i++) { const t = performance.now(); await callUnary(client, client.ServerLive, {}); if (i >= 200) lat.push(performance.now() - t); }
  lat.sort((a, b) => a - b);
  console.log('bare live p50', lat[500]!.toFixed(3), 'p99', lat[990]!.toFixed(3));
  client.close(); child.kill();
}
void main();
