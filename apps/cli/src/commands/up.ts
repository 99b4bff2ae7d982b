import type { Command } from 'commander';
import { profilePath, writeProfile } from '../profile';
import { runDemo } from '../up/demo';
import { planPorts } from '../up/ports';
import { startUp } from '../up/run-up';
import type { RunningUp } from '../up/run-up';

interface UpFlags {
  dataDir: string;
  demo?: boolean;
  portBase?: string;
  restPort?: string;
  grpcPort?: string;
  gatewayMetricsPort?: string;
  registryPort?: string;
  registryMetricsPort?: string;
  nodePort?: string;
  nodeMetricsPort?: string;
  workerMetricsPort?: string;
  redisPort?: string;
  profile: boolean;
}

/**
 * `aiaas up`: the whole platform on one machine, each service its own process under one
 * supervisor (src/up/): registry, inference node, optimizer worker and gateway, with SQLite and
 * files under --data-dir. Ctrl-C stops it; the next `aiaas up` on the same data dir comes back as it was.
 */
export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('Run the whole platform here: registry, an inference node, an optimizer worker and the gateway')
    .option('--data-dir <dir>', 'folder for the databases, artifacts, logs and the private Redis', './.aiaas')
    .option('--demo', 'also push and deploy a small demo model and print a curl to call it')
    .option(
      '--port-base <n>',
      'put every port at N+k: gateway REST N, gRPC N+1, metrics N+2, registry N+3/N+4, node N+5/N+6, worker metrics N+7, Redis N+8',
    )
    .option('--rest-port <port>', 'gateway REST port (default 8080)')
    .option('--grpc-port <port>', 'gateway gRPC port (default 8081)')
    .option('--gateway-metrics-port <port>', 'gateway metrics port (default 9100)')
    .option('--registry-port <port>', 'registry gRPC port (default 50051)')
    .option('--registry-metrics-port <port>', 'registry metrics port (default 9101)')
    .option('--node-port <port>', 'inference node gRPC port (default 8001)')
    .option('--node-metrics-port <port>', 'inference node metrics port (default 9103)')
    .option('--worker-metrics-port <port>', 'optimizer worker metrics port (default 9102)')
    .option('--redis-port <port>', 'port of the private Redis (default: a free one)')
    .option('--no-profile', 'do not save the admin key as the CLI profile on first start')
    .addHelpText(
      'after',
      '\nRedis: REDIS_URL if set, else a private redis-server (files under the data dir) if one is on the PATH,\n' +
        'else the optimizer worker is off. Logs: <data-dir>/logs/<service>.log. Ctrl-C or SIGTERM stops everything.',
    )
    .action(async (flags: UpFlags) => {
      const ports = planPorts({
        portBase: flags.portBase,
        gatewayRest: flags.restPort,
        gatewayGrpc: flags.grpcPort,
        gatewayMetrics: flags.gatewayMetricsPort,
        registryGrpc: flags.registryPort,
        registryMetrics: flags.registryMetricsPort,
        nodeGrpc: flags.nodePort,
        nodeMetrics: flags.nodeMetricsPort,
        workerMetrics: flags.workerMetricsPort,
        redis: flags.redisPort,
      });
      await runUp(flags, ports);
    });
}

async function runUp(flags: UpFlags, ports: ReturnType<typeof planPorts>): Promise<void> {
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  const interrupted = new AbortController();
  let running: RunningUp | undefined;
  let wake: (() => void) | undefined;
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstSignalAt !== undefined) {
      // npx forwards the terminal's SIGINT that already reached us: a copy within a second is the same Ctrl-C.
      if (Date.now() - firstSignalAt < 1_000) return;
      // A second Ctrl-C: the user does not want to wait for the grace period.
      print(`${signal} again: killing every service now`);
      running?.supervisor.killAll();
      process.exit(1);
    }
    firstSignalAt = Date.now();
    print(`${signal}: stopping (Ctrl-C again to kill at once)`);
    interrupted.abort();
    wake?.();
  };
  const handled: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of handled) process.on(signal, onSignal);
  // If up itself dies (an uncaught error), its children must not outlive it.
  const lastResort = (): void => running?.supervisor.killAll();
  process.on('exit', lastResort);

  try {
    running = await startUp({
      dataDir: flags.dataDir,
      ports,
      execPath: process.execPath,
      cliEntry: process.argv[1]!,
      env: process.env,
      print,
      signal: interrupted.signal,
    });
  } catch (err) {
    if (interrupted.signal.aborted) {
      print('aiaas is down (stopped while starting)');
      return;
    }
    throw err;
  }

  print('');
  print('aiaas is up');
  print(`  REST  ${running.restUrl}`);
  print(`  gRPC  ${running.grpcAddress}`);
  if (running.adminKey !== undefined) {
    print(`  admin key  ${running.adminKey}`);
    print('             (shown this once: keep it; it is not stored in the data dir)');
    if (flags.profile) {
      const file = await writeProfile(
        { url: running.restUrl, key: running.adminKey, grpc_address: running.grpcAddress },
        process.env,
      );
      print(`  CLI profile saved to ${file}: "aiaas models ls" works now`);
    }
  } else if (running.adminKeyFromEnv) {
    print('  admin key  the one in AIAAS_BOOTSTRAP_ADMIN_KEY (on a fresh data dir)');
  } else {
    print(`  admin key  printed on the first start only (CLI profile: ${profilePath(process.env)})`);
  }
  if (!running.worker) print('  optimizer jobs: off (no Redis)');

  if (flags.demo && !interrupted.signal.aborted) {
    const stopped = new Promise<void>((resolve) => interrupted.signal.addEventListener('abort', () => resolve()));
    try {
      // Ctrl-C during the demo stops at once rather than after its wait for a ready replica.
      await Promise.race([
        runDemo({
          restUrl: running.restUrl,
          grpcAddress: running.grpcAddress,
          env: process.env,
          print,
          adminKey: running.adminKey,
        }),
        stopped,
      ]);
    } catch (err) {
      print(`demo: ${(err as Error).message} (the platform keeps running)`);
    }
  }
  if (!interrupted.signal.aborted) print('Ctrl-C to stop');

  await new Promise<void>((resolve) => {
    wake = resolve;
    if (interrupted.signal.aborted) resolve();
  });
  await running.stop();
  print('aiaas is down');
  for (const signal of handled) process.off(signal, onSignal);
  process.off('exit', lastResort);
}
