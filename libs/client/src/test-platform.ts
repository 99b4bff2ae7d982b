// Test support only (not exported from the package): a real registry, inference node(s) and
// gateway started in-process on free ports, as the SDK's integration tests need them.
import { createLogger } from '@aiaas/common';
import { loadGatewayConfig, startGateway } from '@aiaas/gateway';
import type { RunningGateway } from '@aiaas/gateway';
import { loadNodeConfig, startInferenceNode } from '@aiaas/inference-node';
import type { RunningNode } from '@aiaas/inference-node';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';
import type { RunningRegistry } from '@aiaas/registry';
import { makeTempDir, removeDir } from '@aiaas/testing';

/** Polls until a value comes (see pollUntil in @aiaas/testing). */
export { pollUntil as until } from '@aiaas/testing';

/** Every scope but admin: what a tenant's own automation holds. */
export const TENANT_SCOPES = ['infer', 'models:read', 'models:write', 'deploy', 'jobs:read', 'jobs:write'];

export interface TestPlatform {
  registry: RunningRegistry;
  nodes: RunningNode[];
  gateway: RunningGateway;
  /** REST base URL of the gateway. */
  url: string;
  grpcAddress: string;
  registryAddress: string;
  adminKey: string;
  /** A key of `tenant` with {@link TENANT_SCOPES} (or those given). */
  createKey(tenant: string, scopes?: readonly string[]): Promise<string>;
  /** Closes node `index` and starts it again on the same port, id and data folder. */
  restartNode(index: number, downMs?: number): Promise<void>;
  /** Closes the gateway and starts it again on the same ports and data folder (keys survive). */
  restartGateway(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  nodes?: number;
  /** Gateway access token lifetime. */
  tokenTtlSeconds?: number;
  /** Gateway settings beyond the ports and folders. */
  gateway?: Record<string, unknown>;
  /** Registry settings beyond the ports and folders (Redis and queue names for jobs). */
  registry?: Record<string, unknown>;
}

const logger = createLogger({ service: 'client-test', level: 'silent' });

/** Starts registry → nodes → gateway; `close()` stops them in reverse and removes their folders. */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const dirs: string[] = [];
  const nodes: RunningNode[] = [];
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch(() => undefined);
    for (const dir of dirs) removeDir(dir);
  };
  try {
    const registryDir = makeTempDir('client-registry');
    dirs.push(registryDir);
    const registry = await startRegistry(
      loadRegistryConfig(
        {
          dataDir: registryDir,
          grpcPort: 0,
          metricsPort: 0,
          heartbeatIntervalMs: 200,
          heartbeatTimeoutMs: 1500,
          ...options.registry,
        },
        {},
      ),
      logger,
    );
    closers.push(() => registry.close());
    const registryAddress = `127.0.0.1:${registry.grpcPort}`;

    const nodeSettings: Record<string, unknown>[] = [];
    for (let i = 0; i < (options.nodes ?? 1); i++) {
      const dataDir = makeTempDir(`client-node${i}`);
      dirs.push(dataDir);
      const settings: Record<string, unknown> = {
        registry: registryAddress,
        dataDir,
        grpcPort: 0,
        metricsPort: 0,
        nodeId: `node-${i}`,
        memoryBytes: 1 << 30,
      };
      const node = await startInferenceNode(loadNodeConfig(settings), logger);
      // Restarts keep the port: the registry and gateway know the node by its address.
      nodeSettings.push({ ...settings, grpcPort: node.grpcPort });
      nodes.push(node);
    }
    closers.push(async () => {
      for (const node of nodes) await node.close().catch(() => undefined);
    });

    const gatewayDir = makeTempDir('client-gateway');
    dirs.push(gatewayDir);
    const gatewaySettings: Record<string, unknown> = {
      registry: registryAddress,
      dataDir: gatewayDir,
      restPort: 0,
      grpcPort: 0,
      metricsPort: 0,
      ...(options.tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds: options.tokenTtlSeconds }),
      ...options.gateway,
    };
    let gateway = await startGateway(loadGatewayConfig(gatewaySettings), logger);
    closers.push(() => gateway.close());
    const adminKey = gateway.adminKey;
    if (adminKey === undefined) throw new Error('the gateway made no admin key on its first start');
    Object.assign(gatewaySettings, { restPort: gateway.restPort, grpcPort: gateway.grpcPort });

    return {
      registry,
      nodes,
      get gateway() {
        return gateway;
      },
      url: `http://127.0.0.1:${gateway.restPort}`,
      grpcAddress: `127.0.0.1:${gateway.grpcPort}`,
      registryAddress,
      adminKey,
      async createKey(tenant, scopes = TENANT_SCOPES) {
        return (await gateway.keys.createKey({ tenant, name: `test ${tenant}`, scopes: [...scopes] })).key;
      },
      async restartNode(index, downMs = 0) {
        const node = nodes[index];
        const settings = nodeSettings[index];
        if (node === undefined || settings === undefined) throw new Error(`no node ${index}`);
        await node.close();
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        nodes[index] = await startInferenceNode(loadNodeConfig(settings), logger);
      },
      async restartGateway(downMs = 0) {
        await gateway.close();
        if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
        gateway = await startGateway(loadGatewayConfig(gatewaySettings), logger);
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
