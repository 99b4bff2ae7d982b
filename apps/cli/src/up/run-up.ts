import fs from 'node:fs';
import path from 'node:path';
import {
  DATA_DIR_ENV,
  acquireLock,
  internalToken,
  killLeftovers,
  newAdminKey,
  nodeId,
  prepareLayout,
  removePidFile,
  upLayout,
  writePidFile,
} from './data-dir';
import type { UpLayout } from './data-dir';
import { assertPortsFree, findFreePort } from './ports';
import type { UpPorts } from './ports';
import { REDIS_INSTALL_HINT, findRedisServer, privateRedisSpec } from './redis';
import { ServiceStartError, Supervisor } from './supervisor';
import type { ServiceSpec, SupervisorEvent, SupervisorOptions } from './supervisor';

/** Everything `aiaas up` needs to know, resolved from flags and the environment by the command. */
export interface UpOptions {
  /** Folder of every service's files (made absolute here). */
  dataDir: string;
  ports: UpPorts;
  /** How to run this same CLI as a child: `execPath cliEntry <service> ...`. */
  execPath: string;
  cliEntry: string;
  /** The environment the services inherit (REDIS_URL, DATABASE_URL, LOG_LEVEL, ... pass through). */
  env: NodeJS.ProcessEnv;
  /** Where user-facing lines go. */
  print: (line: string) => void;
  /** The Redis binary to run; undefined = look on env.PATH; null = act as if there is none. */
  redisBinary?: string | null;
  /** Restart and shutdown tuning (tests make it quick). */
  supervisor?: Omit<SupervisorOptions, 'onEvent'>;
  /** How long each service may take to print its ready line. @default 120000 */
  readyTimeoutMs?: number;
  /** Aborting it (a signal during start-up) stops what has started; startUp then rejects. */
  signal?: AbortSignal;
}

/** A running `aiaas up`. */
export interface RunningUp {
  layout: UpLayout;
  restUrl: string;
  grpcAddress: string;
  registryAddress: string;
  /** The admin key when this start created it (first start), else undefined. */
  adminKey: string | undefined;
  /** Whether AIAAS_BOOTSTRAP_ADMIN_KEY was given (the user holds that key: it is not printed). */
  adminKeyFromEnv: boolean;
  /** Whether an optimizer worker runs (a Redis is available). */
  worker: boolean;
  supervisor: Supervisor;
  /** Stops every service, gateway first and Redis last; resolves when all have exited. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Ready lines each service prints on stdout (apps/cli/src/commands/*.ts). */
export const READY_LINES = {
  registry: /registry on \S+:(\d+) \(gRPC\)/,
  node: /inference node on \S+:(\d+) \(gRPC\)/,
  worker: /optimizer worker on queue (\S+)/,
  gateway: /gateway on (http:\/\/\S+:\d+) \(REST\), (\S+:\d+) \(gRPC\)/,
} as const;

/**
 * Starts the platform as separate processes under one supervisor: a private Redis (when there is
 * no REDIS_URL and redis-server is on the PATH), the registry, one registry-managed inference node,
 * an optimizer worker (when there is a Redis) and the gateway, each waited for in turn. A first
 * start that fails stops what started and throws; Redis and the worker are optional, so their
 * failure is reported and the rest comes up without them.
 */
export async function startUp(options: UpOptions): Promise<RunningUp> {
  const { print, ports } = options;
  const layout = upLayout(options.dataDir);
  prepareLayout(layout);
  const releaseLock = acquireLock(layout);
  try {
    const leftovers = await killLeftovers(layout);
    if (leftovers.length > 0)
      print(`stopped ${leftovers.join(', ')} left running by an earlier aiaas up that was killed`);

    const token = internalToken(layout);
    const id = nodeId(layout);
    const env = options.env;
    // Short when under the working directory (./.aiaas by default), absolute elsewhere.
    const relative = (file: string): string => {
      const rel = path.relative(process.cwd(), file);
      return rel === '' ? '.' : rel.startsWith('..') ? file : rel;
    };

    // Redis: the user's, else a private one, else none (serving needs none; only jobs do).
    let redisUrl = env['REDIS_URL'] !== undefined && env['REDIS_URL'] !== '' ? env['REDIS_URL'] : undefined;
    let privateRedis: { binary: string; port: number } | undefined;
    if (redisUrl === undefined) {
      const binary =
        options.redisBinary === undefined ? findRedisServer(env['PATH']) : (options.redisBinary ?? undefined);
      if (binary !== undefined) privateRedis = { binary, port: ports.redis ?? (await findFreePort(HOST)) };
    }
    await assertPortsFree({ ...ports, redis: privateRedis?.port }, HOST);

    // The admin key: on a fresh auth store the gateway stores the key given in
    // AIAAS_BOOTSTRAP_ADMIN_KEY instead of generating one, so `up` knows it without reading the
    // gateway's output. Whether it took is checked once the gateway runs (an existing store keeps its keys).
    const gatewayDbExists = fs.existsSync(path.join(layout.gateway, 'gateway.db'));
    const userKey = env['AIAAS_BOOTSTRAP_ADMIN_KEY'] !== '' ? env['AIAAS_BOOTSTRAP_ADMIN_KEY'] : undefined;
    const candidateKey = userKey ?? (!gatewayDbExists || env['DATABASE_URL'] ? newAdminKey() : undefined);

    const logFile = (service: string): string => path.join(layout.logs, `${service}.log`);
    const notes = new Map<string, string>([['node', `, node id ${id}`]]);
    const supervisor = new Supervisor({
      ...options.supervisor,
      onEvent: (event) => reportEvent(event, print, layout, (service) => relative(logFile(service)), notes),
    });
    const abort = (): void => void supervisor.stop();
    options.signal?.addEventListener('abort', abort, { once: true });
    if (options.signal?.aborted) abort();
    const baseEnv: NodeJS.ProcessEnv = {
      ...env,
      AIAAS_INTERNAL_TOKEN: token.value,
      [DATA_DIR_ENV]: layout.root,
    };
    delete baseEnv['AIAAS_BOOTSTRAP_ADMIN_KEY'];
    const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
    const cli = (service: string, args: string[], ready: RegExp, extraEnv: NodeJS.ProcessEnv = {}): ServiceSpec => ({
      name: service,
      command: options.execPath,
      args: [options.cliEntry, ...args],
      env: { ...baseEnv, ...extraEnv },
      logFile: logFile(service),
      ready,
      readyTimeoutMs,
      // The gateway prints a key it generates; up passes its own, but never let one reach a log.
      redact: /admin key: /,
    });

    const started: string[] = [];
    const fail = async (err: unknown): Promise<never> => {
      await supervisor.stop();
      if (err instanceof ServiceStartError && err.tail.length > 0) {
        for (const line of err.tail) print(`  ${err.service}| ${truncate(line)}`);
      }
      throw err;
    };

    print(`aiaas up: data in ${relative(layout.root)}, logs in ${relative(layout.logs)}`);
    if (privateRedis) {
      notes.set('redis', `on ${HOST}:${privateRedis.port} (private, files in ${relative(layout.redis)})`);
      try {
        await supervisor.start({
          ...privateRedisSpec({ ...privateRedis, dir: layout.redis, logFile: logFile('redis') }),
          // Marks it as this data dir's, for killLeftovers after a killed `up`.
          env: { ...env, [DATA_DIR_ENV]: layout.root },
        });
        redisUrl = `redis://${HOST}:${privateRedis.port}`;
        started.push('redis');
      } catch (err) {
        if (options.signal?.aborted) return await fail(err);
        print(`redis did not start (${(err as Error).message}); optimizer jobs are off`);
      }
    }

    const registryAddress = `${HOST}:${ports.registryGrpc}`;
    const withRedis: NodeJS.ProcessEnv = redisUrl === undefined ? {} : { REDIS_URL: redisUrl };
    try {
      await supervisor.start(
        cli(
          'registry',
          [
            'registry',
            '--data-dir',
            layout.registry,
            '--grpc-port',
            String(ports.registryGrpc),
            '--metrics-port',
            String(ports.registryMetrics),
          ],
          READY_LINES.registry,
          withRedis,
        ),
      );
      await supervisor.start(
        cli(
          'node',
          [
            'node',
            '--registry',
            registryAddress,
            '--data-dir',
            layout.nodeDataDir,
            '--node-id',
            id,
            '--grpc-port',
            String(ports.nodeGrpc),
            '--metrics-port',
            String(ports.nodeMetrics),
          ],
          READY_LINES.node,
        ),
      );
    } catch (err) {
      return await fail(err);
    }

    let worker = false;
    if (redisUrl === undefined) {
      print(REDIS_INSTALL_HINT);
    } else {
      try {
        await supervisor.start(
          cli('worker', ['worker', '--registry', registryAddress, '--redis', redisUrl], READY_LINES.worker, {
            ...withRedis,
            AIAAS_OPTIMIZER_METRICS_PORT: String(ports.workerMetrics),
            // Loopback like every other service here (the worker's own default is 0.0.0.0).
            AIAAS_OPTIMIZER_HOST: HOST,
          }),
        );
        worker = true;
      } catch (err) {
        if (options.signal?.aborted) return await fail(err);
        print(`worker did not start (${(err as Error).message}); optimizer jobs are off, serving is not affected`);
        if (err instanceof ServiceStartError) for (const line of err.tail) print(`  worker| ${truncate(line)}`);
      }
    }

    let gatewayMatch: RegExpMatchArray;
    try {
      gatewayMatch = await supervisor.start(
        cli(
          'gateway',
          [
            'gateway',
            '--registry',
            registryAddress,
            '--data-dir',
            layout.gateway,
            '--rest-port',
            String(ports.gatewayRest),
            '--grpc-port',
            String(ports.gatewayGrpc),
            '--metrics-port',
            String(ports.gatewayMetrics),
          ],
          READY_LINES.gateway,
          candidateKey === undefined ? {} : { AIAAS_BOOTSTRAP_ADMIN_KEY: candidateKey },
        ),
      );
    } catch (err) {
      return await fail(err);
    }
    const restUrl = gatewayMatch[1]!;
    const grpcAddress = gatewayMatch[2]!;
    const adminKey =
      candidateKey !== undefined && userKey === undefined && (await keyWorks(restUrl, candidateKey))
        ? candidateKey
        : undefined;

    options.signal?.removeEventListener('abort', abort);
    if (options.signal?.aborted) await fail(new Error('interrupted while starting'));

    let stopping: Promise<void> | undefined;
    return {
      layout,
      restUrl,
      grpcAddress,
      registryAddress,
      adminKey,
      adminKeyFromEnv: userKey !== undefined,
      worker,
      supervisor,
      stop() {
        stopping ??= (async () => {
          print(`stopping ${[...supervisor.names].reverse().join(', ')}`);
          await supervisor.stop();
          releaseLock();
        })();
        return stopping;
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/**
 * Whether the gateway takes `key` (GET /v1/keys needs the admin scope the bootstrap key has).
 * A plain probe, not the SDK: it is part of starting the platform, like a health check.
 */
async function keyWorks(restUrl: string, key: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch(`${restUrl}/v1/keys`, {
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return false;
}

function truncate(line: string, max = 300): string {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

const seconds = (ms: number): string => `${ms >= 10_000 ? Math.round(ms / 1000) : Math.round(ms / 100) / 10} s`;

function exitOf(event: { code: number | null; signal: NodeJS.Signals | null }): string {
  return event.signal ? `signal ${event.signal}` : `exit code ${event.code}`;
}

/** One line per event (and a crash's last output lines), and the pid files kept current. */
function reportEvent(
  event: SupervisorEvent,
  print: (line: string) => void,
  layout: UpLayout,
  logFile: (service: string) => string,
  notes: ReadonlyMap<string, string>,
): void {
  const name = event.service.padEnd(8);
  switch (event.kind) {
    case 'spawned':
      // Written at once, so that even a start cut short by kill -9 leaves no unknown child behind.
      writePidFile(layout, event.service, event.pid);
      return;
    case 'ready': {
      const where = notes.get(event.service)?.startsWith('on ')
        ? notes.get(event.service)!
        : `${describeReady(event.service, event.match)}${notes.get(event.service) ?? ''}`;
      print(
        event.restarts === 0
          ? `${name} ready ${where} [pid ${event.pid}]`
          : `${name} restarted ${where} [pid ${event.pid}]`,
      );
      return;
    }
    case 'crashed':
      removePidFile(layout, event.service);
      print(
        `${name} crashed (${exitOf(event)}); restarting it in ${seconds(event.restartInMs)} (crash ${event.crashes} this minute); log: ${logFile(event.service)}`,
      );
      for (const line of event.tail) print(`  ${event.service}| ${truncate(line)}`);
      return;
    case 'gave-up':
      removePidFile(layout, event.service);
      print(
        `${name} crashed (${exitOf(event)}) ${event.crashes} times in ${seconds(event.windowMs)}: giving up on it, the other services keep running; log: ${logFile(event.service)}`,
      );
      for (const line of event.tail) print(`  ${event.service}| ${truncate(line)}`);
      return;
    case 'stopped':
      removePidFile(layout, event.service);
      print(event.forced ? `${name} did not stop in time: killed` : `${name} stopped`);
      return;
  }
}

function describeReady(service: string, match: RegExpMatchArray): string {
  switch (service) {
    case 'registry':
      return `on ${HOST}:${match[1]} (gRPC)`;
    case 'node':
      return `on ${HOST}:${match[1]} (gRPC)`;
    case 'worker':
      return `on queue ${match[1]}`;
    case 'gateway':
      return `on ${match[1]} (REST), ${match[2]} (gRPC)`;
    default:
      return '';
  }
}
