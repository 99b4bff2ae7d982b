/**
 * `npm run bench:registry` (second part): how long the control plane takes, as real processes on
 * loopback — one registry, two inference nodes — with MLP-large (1024 → 3×1024 → 10, 12.6 MB).
 *   1. CreateDeployment (2 replicas, cold nodes: download, load, warm-up) → first successful inference.
 *   2. Alias move v1 → v2 → every replica serving v2 and v1 gone from the routes.
 * Writes bench/results/registry-deployments.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { credentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { callerMetadata } from '@aiaas/common';
import { MLP_LARGE, buildMlp } from '@aiaas/onnx';
import { loadRegistryPackage } from '@aiaas/proto';
import type { ModelInferRequest, Route__Output } from '@aiaas/proto';
import { callUnary, chunksOf, createInferenceClient, createRegistryClient, makeTempDir, registryCall, removeDir, uploadVersion } from '@aiaas/testing';
import { startServiceProcess } from './node-process';
import type { ServiceProcess } from './node-process';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

async function until<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function unary(client: any, method: string, request: object, metadata: unknown): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](request, metadata, (err: ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res))),
  );
}

async function oneRun(run: number): Promise<{ coldMs: number; rollMs: number }> {
  const dirs = [makeTempDir('bench-deploy-registry'), makeTempDir('bench-deploy-node-a'), makeTempDir('bench-deploy-node-b')];
  const processes: ServiceProcess[] = [];
  try {
    const registry = await startServiceProcess(__dirname, ['registry', '--data-dir', dirs[0]!, '--grpc-port', '0', '--metrics-port', '0'], /registry on 127\.0\.0\.1:(\d+)/);
    processes.push(registry);
    const address = `127.0.0.1:${registry.ready[1]}`;
    const nodePorts: number[] = [];
    for (const [i, dir] of dirs.slice(1).entries()) {
      const node = await startServiceProcess(
        __dirname,
        ['node', '--registry', address, '--data-dir', dir, '--grpc-port', '0', '--metrics-port', '0', '--node-id', `bench-${i}`],
        /inference node on 127\.0\.0\.1:(\d+)/,
      );
      processes.push(node);
      nodePorts.push(Number(node.ready[1]));
    }
    const metadata = callerMetadata({ tenant: 'bench', principal: 'bench' }, undefined);
    const pkg = loadRegistryPackage().aiaas.registry.v1;
    const models = createRegistryClient(Number(registry.ready[1]));
    const deployments = new pkg.Deployments(address, credentials.createInsecure());
    let routes: Route__Output[] = [];
    const watch = new pkg.Routes(address, credentials.createInsecure()).WatchRoutes({}, callerMetadata(undefined, undefined));
    watch.on('data', (m: { routes: Route__Output[] }) => (routes = m.routes));
    watch.on('error', () => undefined);

    await registryCall(models, 'CreateModel', { name: 'mlp-large' }, metadata);
    for (const seed of [1, 2]) {
      await uploadVersion(models, metadata, { model: 'mlp-large' }, chunksOf(buildMlp({ ...MLP_LARGE, seed }).bytes, 1 << 20));
    }
    await registryCall(models, 'SetAlias', { model: 'mlp-large', alias: 'production', version: 1 }, metadata);
    const clients = nodePorts.map((port) => ({ port, client: createInferenceClient(port) }));
    const input = new Float32Array(1024).fill(0.01);

    const created = performance.now();
    await unary(deployments, 'CreateDeployment', { deployment: { name: 'mlp-large', model: 'mlp-large', alias: 'production', replicas: 2 } }, metadata);
    const route = await until(() => routes.find((r) => r.aliases.includes('production') && r.endpoints.length > 0));
    const target = clients.find((c) => route.endpoints[0]!.address.endsWith(`:${c.port}`))!;
    const request: ModelInferRequest = {
      model_name: route.served_name,
      model_version: String(route.version),
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 1024] }],
      raw_input_contents: [Buffer.from(input.buffer)],
    };
    await callUnary(target.client, target.client.ModelInfer, request);
    const coldMs = performance.now() - created;
    await until(() => routes.find((r) => Number(r.version) === 1 && r.endpoints.length === 2));

    const moved = performance.now();
    await registryCall(models, 'SetAlias', { model: 'mlp-large', alias: 'production', version: 2 }, metadata);
    await until(() =>
      routes.some((r) => Number(r.version) === 2 && r.endpoints.length === 2) && !routes.some((r) => Number(r.version) === 1) ? true : undefined,
    );
    const rollMs = performance.now() - moved;
    console.log(`run ${run}: CreateDeployment → first inference ${coldMs.toFixed(0)} ms; alias move → all replicas on v2 ${rollMs.toFixed(0)} ms`);
    watch.cancel();
    for (const c of clients) c.client.close();
    models.close();
    deployments.close();
    return { coldMs, rollMs };
  } finally {
    for (const p of processes.reverse()) await p.stop();
    for (const dir of dirs) removeDir(dir);
  }
}

async function main(): Promise<void> {
  const results = [];
  for (let run = 1; run <= RUNS; run++) results.push(await oneRun(run));
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const cold = results.map((r) => r.coldMs);
  const roll = results.map((r) => r.rollMs);
  const table = [
    '| measure (MLP-large, 2 replicas, 2 nodes) | median ms | all runs ms |',
    '| --- | --- | --- |',
    `| CreateDeployment → first successful inference (cold: download, load, warm-up) | ${median(cold).toFixed(0)} | ${cold.map((v) => v.toFixed(0)).join(', ')} |`,
    `| alias move → every replica on the new version, old one gone from routes | ${median(roll).toFixed(0)} | ${roll.map((v) => v.toFixed(0)).join(', ')} |`,
  ].join('\n');
  const report = [
    '# Registry: deployment timings',
    '',
    `- Date: ${new Date().toISOString()}; Node.js ${process.version}; ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.availableParallelism()} cores`,
    `- One registry (SQLite) and two inference nodes as child processes on loopback, default heartbeat (1 s) and reconcile settings; ${RUNS} runs, each on fresh data dirs.`,
    '',
    table,
    '',
  ].join('\n');
  console.log(`\n${table}`);
  const out = path.join(process.cwd(), 'bench', 'results', 'registry-deployments.md');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, report);
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
