import type { Command } from 'commander';
import { createLogger, runUntilSignal } from '@aiaas/common';
import { loadOptimizerConfig, startOptimizerWorker } from '@aiaas/optimizer';

interface WorkerFlags {
  registry?: string;
  redis?: string;
  concurrency?: string;
  metricsPort?: string;
}

/** `aiaas worker`: an optimizer worker taking jobs from the BullMQ queue; several may share one queue. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run optimization jobs (quantize, fp16, prune, graph-optimize, benchmark) from the job queue')
    .option('--registry <host:port>', 'the registry gRPC address (or AIAAS_OPTIMIZER_REGISTRY)')
    .option('--redis <url>', 'Redis holding the queue (default REDIS_URL, else redis://127.0.0.1:6379)')
    .option('--concurrency <n>', 'jobs at once, each in its own sandboxed process (default 1)')
    .option(
      '--metrics-port <port>',
      'port of /metrics and /healthz (default AIAAS_OPTIMIZER_METRICS_PORT, else 9102; 0 = any)',
    )
    .action(async (flags: WorkerFlags) => {
      const config = loadOptimizerConfig(
        {
          registry: flags.registry,
          redisUrl: flags.redis,
          concurrency: flags.concurrency,
          metricsPort: flags.metricsPort,
        },
        process.env,
      );
      const logger = createLogger({ service: 'optimizer' });
      const running = await startOptimizerWorker(config, { logger, serveMetrics: true });
      console.log(
        `optimizer worker on queue ${config.queueName} (concurrency ${config.concurrency}), registry ${config.registry}, metrics on port ${running.metricsPort}`,
      );
      await runUntilSignal(running, ['SIGINT', 'SIGTERM'], (signal) => logger.info({ signal }, 'shutting down'));
    });
}
