import type { Command } from 'commander';
import { createLogger, runUntilSignal } from '@aiaas/common';
import { loadGatewayConfig, startGateway } from '@aiaas/gateway';

interface GatewayFlags {
  registry?: string;
  host?: string;
  restPort?: string;
  grpcPort?: string;
  metricsPort?: string;
  dataDir?: string;
}

/** `aiaas gateway`: the authenticated KServe V2 REST and gRPC front door, routing to the registry's replicas. */
export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('Serve the authenticated KServe V2 REST and gRPC API, routing to the replicas the registry announces')
    .option('--registry <host:port>', 'the registry whose routes to follow (or AIAAS_REGISTRY_ADDRESS)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1; 0.0.0.0 for outside traffic)')
    .option('--rest-port <port>', 'REST port (default 8080)')
    .option('--grpc-port <port>', 'gRPC port (default 8081)')
    .option('--metrics-port <port>', 'port of GET /metrics and GET /healthz (default 9100)')
    .option('--data-dir <dir>', 'folder of the SQLite auth store, unless DATABASE_URL is set (default ./.aiaas)')
    .action(async (flags: GatewayFlags) => {
      const config = loadGatewayConfig(
        {
          registry: flags.registry,
          host: flags.host,
          restPort: flags.restPort,
          grpcPort: flags.grpcPort,
          metricsPort: flags.metricsPort,
          dataDir: flags.dataDir,
        },
        process.env,
      );
      const logger = createLogger({ service: 'gateway' });
      const running = await startGateway(config, logger);
      console.log(
        `gateway on http://${config.host}:${running.restPort} (REST), ${config.host}:${running.grpcPort} (gRPC)`,
      );
      // Shown once: only its hash is stored.
      if (running.adminKey !== undefined) console.log(`admin key: ${running.adminKey}`);
      await runUntilSignal(running, ['SIGINT', 'SIGTERM'], (signal) => logger.info({ signal }, 'shutting down'));
    });
}
