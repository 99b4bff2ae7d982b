import path from 'node:path';
import type { Command } from 'commander';
import { createLogger, runUntilSignal } from '@aiaas/common';
import { loadNodeConfig, startInferenceNode } from '@aiaas/inference-node';
import { writeDemoRepository } from '../demo-repository';

interface NodeFlags {
  modelRepository?: string;
  host?: string;
  grpcPort?: string;
  metricsPort?: string;
  maxMessageBytes?: string;
  demo?: boolean;
  dataDir: string;
}

/** `aiaas node`: serve a Triton-layout model repository over the Open Inference Protocol (gRPC). */
export function registerNodeCommand(program: Command): void {
  program
    .command('node')
    .description('Serve every model in a model repository over KServe V2 / Triton gRPC')
    .option('--model-repository <dir>', 'folder laid out as DIR/<model>/<version>/model.onnx, optional DIR/<model>/config.json')
    .option('--demo', 'build demo models (mlp-small, cnn) under --data-dir and serve them')
    .option('--data-dir <dir>', 'where --demo writes its model repository', './.aiaas')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--grpc-port <port>', 'gRPC port (default 8001)')
    .option('--metrics-port <port>', 'port of GET /metrics and GET /healthz (default 9103)')
    .option('--max-message-bytes <n>', 'largest gRPC message accepted (default 64 MiB)')
    .action(async (flags: NodeFlags) => {
      let modelRepository = flags.modelRepository;
      if (flags.demo) {
        if (modelRepository) throw new Error('--demo builds its own model repository; drop --model-repository or --demo');
        modelRepository = path.resolve(flags.dataDir, 'demo-models');
        await writeDemoRepository(modelRepository);
      }
      const config = loadNodeConfig(
        {
          modelRepository,
          host: flags.host,
          grpcPort: flags.grpcPort,
          metricsPort: flags.metricsPort,
          maxMessageBytes: flags.maxMessageBytes,
        },
        process.env,
      );
      const logger = createLogger({ service: 'inference-node' });
      const running = await startInferenceNode(config, logger);
      const index = await running.node.repositoryIndex(false);
      console.log(`inference node on ${config.host}:${running.grpcPort} (gRPC), metrics on http://${config.host}:${running.metricsPort}/metrics`);
      for (const model of index) console.log(`  ${model.name}${model.version ? ` v${model.version}` : ''}: ${model.state}${model.reason ? ` (${model.reason})` : ''}`);
      await runUntilSignal(running, ['SIGINT', 'SIGTERM'], (signal) => logger.info({ signal }, 'shutting down'));
    });
}
