import { Redis } from 'ioredis';
import { spawnCli } from './cli-process';
import type { CliProcess } from './cli-process';

/** How long a service gets to print its ready line: generous, the test machine is loaded. */
const READY_TIMEOUT_MS = 60_000;

const REGISTRY_LINE = /registry on 127\.0\.0\.1:(\d+) \(gRPC\), metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/;
const NODE_LINE = /inference node on 127\.0\.0\.1:(\d+) \(gRPC\), metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/;
const WORKER_LINE = /optimizer worker on queue .*metrics on port (\d+)/;
const GATEWAY_LINE = /gateway on (http:\/\/127\.0\.0\.1:\d+) \(REST\), 127\.0\.0\.1:(\d+) \(gRPC\)/;
const ADMIN_LINE = /admin key: (aiaas_\S+)/;

/** A registry started as `aiaas registry` on free ports. */
export interface RegistryProcess {
  cli: CliProcess;
  port: number;
  /** `127.0.0.1:<port>`, for `--registry`. */
  address: string;
  metricsPort: number;
}

/** An inference node started as `aiaas node` on free ports. */
export interface NodeProcess {
  cli: CliProcess;
  port: number;
  metricsPort: number;
}

/** An optimizer worker started as `aiaas worker`. */
export interface WorkerProcess {
  cli: CliProcess;
  metricsPort: number;
}

/** A gateway started as `aiaas gateway` on a fresh data dir (so it prints its admin key). */
export interface GatewayProcess {
  cli: CliProcess;
  /** `http://127.0.0.1:<rest port>`. */
  url: string;
  grpcPort: number;
  /** `127.0.0.1:<gRPC port>`. */
  grpcAddress: string;
  adminKey: string;
}

/** Options common to every service: extra environment and how long to wait for the ready line. */
export interface ProcessOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Starts `aiaas ...args`, waits for `pattern` and returns its match; the process is killed if it never gets ready. */
async function startUntilReady(
  args: string[],
  pattern: RegExp,
  options: ProcessOptions,
): Promise<{ cli: CliProcess; match: RegExpMatchArray }> {
  const cli = spawnCli(args, options.env);
  try {
    return { cli, match: await cli.waitFor(pattern, options.timeoutMs ?? READY_TIMEOUT_MS) };
  } catch (err) {
    await cli.stop('SIGKILL');
    throw err;
  }
}

/** Starts a registry on `dataDir` with gRPC and metrics on free ports, and waits until it is ready. */
export async function startRegistryProcess(dataDir: string, options: ProcessOptions = {}): Promise<RegistryProcess> {
  const { cli, match } = await startUntilReady(
    ['registry', '--data-dir', dataDir, '--grpc-port', '0', '--metrics-port', '0'],
    REGISTRY_LINE,
    options,
  );
  const port = Number(match[1]);
  return { cli, port, address: `127.0.0.1:${port}`, metricsPort: Number(match[2]) };
}

/** Starts an inference node registered with `registryAddress`, on free ports, and waits until it is ready. */
export async function startNodeProcess(
  registryAddress: string,
  dataDir: string,
  nodeId: string,
  options: ProcessOptions = {},
): Promise<NodeProcess> {
  const { cli, match } = await startUntilReady(
    [
      'node',
      '--registry',
      registryAddress,
      '--data-dir',
      dataDir,
      '--grpc-port',
      '0',
      '--metrics-port',
      '0',
      '--node-id',
      nodeId,
    ],
    NODE_LINE,
    options,
  );
  return { cli, port: Number(match[1]), metricsPort: Number(match[2]) };
}

/** Starts an optimizer worker on `redisUrl` for `registryAddress`, metrics on a free port, and waits until it is ready. */
export async function startWorkerProcess(
  registryAddress: string,
  redisUrl: string,
  options: ProcessOptions = {},
): Promise<WorkerProcess> {
  const { cli, match } = await startUntilReady(
    ['worker', '--registry', registryAddress, '--redis', redisUrl, '--metrics-port', '0'],
    WORKER_LINE,
    options,
  );
  return { cli, metricsPort: Number(match[1]) };
}

/**
 * Starts a gateway in front of `registryAddress` on a fresh `dataDir` (REST, gRPC and metrics on
 * free ports) and waits for its ready line and the admin key it prints on a first start.
 */
export async function startGatewayProcess(
  registryAddress: string,
  dataDir: string,
  options: ProcessOptions = {},
): Promise<GatewayProcess> {
  const { cli, match } = await startUntilReady(
    [
      'gateway',
      '--registry',
      registryAddress,
      '--data-dir',
      dataDir,
      '--rest-port',
      '0',
      '--grpc-port',
      '0',
      '--metrics-port',
      '0',
    ],
    GATEWAY_LINE,
    options,
  );
  try {
    const adminKey = (await cli.waitFor(ADMIN_LINE, options.timeoutMs ?? READY_TIMEOUT_MS))[1]!;
    const grpcPort = Number(match[2]);
    return { cli, url: match[1]!, grpcPort, grpcAddress: `127.0.0.1:${grpcPort}`, adminKey };
  } catch (err) {
    await cli.stop('SIGKILL');
    throw err;
  }
}

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined, and returns
 * that; errors it throws count as "not yet" (the last one is in the timeout message).
 */
export async function pollUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/** Deletes every Redis key under `prefix` (a spec's BullMQ queues), so runs leave nothing behind. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
