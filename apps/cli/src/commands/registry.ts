import type { Command } from 'commander';
import { createLogger, runUntilSignal } from '@aiaas/common';
import { loadRegistryConfig, startRegistry } from '@aiaas/registry';

interface RegistryFlags {
  dataDir?: string;
  host?: string;
  grpcPort?: string;
  metricsPort?: string;
  maxArtifactBytes?: string;
}

/** `aiaas registry`: the model registry (models, versions, aliases, lineage, audit) over gRPC. */
export function registerRegistryCommand(program: Command): void {
  program
    .command('registry')
    .description('Serve the model registry over gRPC (SQLite under --data-dir, or PostgreSQL at DATABASE_URL)')
    .option('--data-dir <dir>', 'folder for the SQLite database and the artifacts (default ./.aiaas)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--grpc-port <port>', 'gRPC port (default 50051)')
    .option('--metrics-port <port>', 'port of GET /metrics and GET /healthz (default 9101)')
    .option('--max-artifact-bytes <n>', 'largest artifact accepted (default 2 GiB)')
    .action(async (flags: RegistryFlags) => {
      const config = loadRegistryConfig(
        {
          dataDir: flags.dataDir,
          host: flags.host,
          grpcPort: flags.grpcPort,
          metricsPort: flags.metricsPort,
          maxArtifactBytes: flags.maxArtifactBytes,
        },
        process.env,
      );
      const logger = createLogger({ service: 'registry' });
      const running = await startRegistry(config, logger);
      console.log(
        `registry on ${config.host}:${running.grpcPort} (gRPC), metrics on http://${config.host}:${running.metricsPort}/metrics`,
      );
      await runUntilSignal(running, ['SIGINT', 'SIGTERM'], (signal) => logger.info({ signal }, 'shutting down'));
    });
}
