import { credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { callerMetadata, createLogger } from '@aiaas/common';
import { loadGatewayConfig, startGateway } from '@aiaas/gateway';
import type { RunningGateway } from '@aiaas/gateway';
import { MLP_SMALL, buildMlp, mlpReference } from '@aiaas/onnx';
import { loadInferencePackage, loadRegistryPackage } from '@aiaas/proto';
import type { ModelInferResponse__Output } from '@aiaas/proto';
import {
  createRegistryClient,
  makeTempDir,
  pollUntil,
  registryCall,
  removeDir,
  startNodeProcess,
  startRegistryProcess,
  uploadVersion,
} from '@aiaas/testing';
import type { CliProcess } from '@aiaas/testing';

/**
 * Failover through the gateway with real node processes: a registry and two inference nodes as
 * `aiaas` processes, a gateway in front, a steady stream of inference over REST and gRPC, and
 * one node killed with SIGKILL mid-run. No request fails (the gateway retries on the other
 * replica within the caller's deadline) and the dead replica is ejected.
 */
const TENANT = 'acme';
const mlp = buildMlp({ ...MLP_SMALL, seed: 5 });
const input = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i / 3));
const expected = mlpReference(mlp.weights, input, 1);

const near = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((x, i) => Math.abs(x - b[i]!) < 1e-4);

describe('gateway failover: one of two node processes killed with SIGKILL under traffic', () => {
  const dirs: string[] = [];
  let registryProcess: CliProcess;
  const nodes: { cli: CliProcess; port: number }[] = [];
  let gateway: RunningGateway;
  let key: string;

  beforeAll(async () => {
    const registryDir = makeTempDir('e2e-failover-registry');
    dirs.push(registryDir);
    const started = await startRegistryProcess(registryDir, {
      env: { AIAAS_REGISTRY_HEARTBEAT_INTERVAL_MS: '300', AIAAS_REGISTRY_HEARTBEAT_TIMEOUT_MS: '1500' },
    });
    registryProcess = started.cli;
    const registryPort = started.port;
    const registryAddress = started.address;
    for (let i = 0; i < 2; i++) {
      const nodeDir = makeTempDir(`e2e-failover-node${i}`);
      dirs.push(nodeDir);
      const { cli, port } = await startNodeProcess(registryAddress, nodeDir, `node-${i}`);
      nodes.push({ cli, port });
    }

    const metadata = callerMetadata({ tenant: TENANT, principal: 'e2e' }, undefined);
    const registry = createRegistryClient(registryPort);
    await registryCall(registry, 'CreateModel', { name: 'mlp' }, metadata);
    await uploadVersion(registry, metadata, { model: 'mlp' }, [mlp.bytes]);
    registry.close();
    const deployments = new (loadRegistryPackage().aiaas.registry.v1.Deployments)(
      registryAddress,
      credentials.createInsecure(),
    );
    await new Promise((resolve, reject) =>
      deployments.CreateDeployment(
        { deployment: { name: 'mlp', model: 'mlp', version: 1, replicas: 2 } },
        metadata,
        (err: ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res)),
      ),
    );
    deployments.close();

    const gatewayDir = makeTempDir('e2e-failover-gateway');
    dirs.push(gatewayDir);
    gateway = await startGateway(
      loadGatewayConfig({ registry: registryAddress, dataDir: gatewayDir, restPort: 0, grpcPort: 0, metricsPort: 0 }),
      createLogger({ service: 'e2e-failover-gateway', level: 'silent' }),
    );
    key = (await gateway.keys.createKey({ tenant: TENANT, name: 'infer', scopes: ['infer'] })).key;
    await pollUntil('both replicas routed', () =>
      gateway.routes.resolve(TENANT, 'mlp', '').endpoints.length === 2 ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await gateway?.close();
    for (const node of nodes) await node.cli.stop('SIGKILL');
    await registryProcess?.stop('SIGKILL');
    for (const dir of dirs) removeDir(dir);
  });

  it('loses no request and ejects the dead replica', async () => {
    const inference = new (loadInferencePackage().inference.GRPCInferenceService)(
      `127.0.0.1:${gateway.grpcPort}`,
      credentials.createInsecure(),
    );
    const body = JSON.stringify({
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64], data: Array.from(input) }],
    });
    const rest = async (): Promise<void> => {
      const response = await fetch(`http://127.0.0.1:${gateway.restPort}/v2/models/mlp/infer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`REST ${response.status}: ${text}`);
      if (!near(JSON.parse(text).outputs[0].data, expected)) throw new Error('REST: wrong output');
    };
    const grpc = () =>
      new Promise<void>((resolve, reject) => {
        const metadata = new Metadata();
        metadata.set('authorization', `Bearer ${key}`);
        inference.ModelInfer(
          {
            model_name: 'mlp',
            inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 64] }],
            raw_input_contents: [Buffer.from(input.buffer)],
          },
          metadata,
          { deadline: Date.now() + 10_000 },
          (err: ServiceError | null, res?: ModelInferResponse__Output) => {
            if (err) return reject(new Error(`gRPC ${err.code}: ${err.details}`));
            const raw = res!.raw_output_contents[0]!;
            const out = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
            return near(out, expected) ? resolve() : reject(new Error('gRPC: wrong output'));
          },
        );
      });

    let stop = false;
    const failures: string[] = [];
    const servedBy = new Set<string>();
    const ejectedSeen = new Set<string>();
    let ok = 0;
    const watcher = (async () => {
      while (!stop) {
        for (const address of gateway.pool.ejected()) ejectedSeen.add(address);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const traffic = Promise.all(
      Array.from({ length: 6 }, async (_, worker) => {
        while (!stop) {
          try {
            await (worker % 2 === 0 ? rest() : grpc());
            ok++;
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      }),
    );
    try {
      await pollUntil('traffic on both replicas', () => {
        for (const endpoint of gateway.routes.resolve(TENANT, 'mlp', '').endpoints) servedBy.add(endpoint.address);
        return ok > 50 ? true : undefined;
      });
      const okBeforeKill = ok;
      const victim = nodes[1]!;
      const victimAddress = `127.0.0.1:${victim.port}`;
      expect(await victim.cli.stop('SIGKILL')).toBeNull();
      // Keep the traffic going through the kill, the ejection and the registry dropping the node.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      stop = true;
      await Promise.all([traffic, watcher]);
      expect(failures).toEqual([]);
      expect(ok - okBeforeKill).toBeGreaterThan(50);
      expect([...servedBy].sort()).toContain(victimAddress);
      expect([...ejectedSeen]).toContain(victimAddress);
      // The registry took the dead node out of the route: only the survivor is left.
      expect(gateway.routes.resolve(TENANT, 'mlp', '').endpoints.map((e) => e.address)).toEqual([
        `127.0.0.1:${nodes[0]!.port}`,
      ]);
    } finally {
      stop = true;
      await Promise.all([traffic, watcher]);
      inference.close();
    }
  }, 120_000);
});
