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
  registry?: string;
  advertiseAddress?: string;
  nodeId?: string;
  memoryBytes?: string;
  device?: string[];
}

/** `aiaas node`: serve a Triton-layout model repository over the Open Inference Protocol (gRPC). */
export function registerNodeCommand(program: Command): void {
  program
    .command('node')
    .description('Serve every model in a model repository over KServe V2 / Triton gRPC')
    .option('--model-repository <dir>', 'folder laid out as DIR/<model>/<version>/model.onnx, optional DIR/<model>/config.json')
    .option('--demo', 'build demo models (mlp-small, cnn) under --data-dir and serve them')
    .option('--registry <host:port>', 'serve what this registry assigns (register, heartbeat, download artifacts)')
    .option('--advertise-address <host:port>', 'where gateways reach this node (default HOST:GRPC_PORT)')
    .option('--node-id <id>', 'stable node id for the registry (default: assigned)')
    .option('--memory-bytes <n>', 'memory the registry may place replicas into (default: total memory)')
    .option('--device <device>', 'a device offered to placement: cpu, gpu:0, ... (repeatable; default cpu)', (value: string, all: string[] = []) => [...all, value])
    .option('--data-dir <dir>', 'where --demo and --registry keep their files', './.aiaas')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--grpc-port <port>', 'gRPC port (default 8001)')
    .option('--metrics-port <port>', 'port of GET /metrics and GET /healthz (default 9103)')
    .option('--max-message-bytes <n>', 'largest gRPC message accepted (default 64 MiB)')
    .action(async (flags: NodeFlags) => {
      let modelRepository = flags.modelRepository;
      if (flags.demo) {
        if (modelRepository || flags.registry) {
          throw new Error('--demo builds its own model repository; drop --model-repository/--registry or --demo');
        }
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
          registry: flags.registry,
          advertiseAddress: flags.advertiseAddress,
          nodeId: flags.nodeId,
          dataDir: flags.dataDir,
          memoryBytes: flags.memoryBytes,
          devices: flags.device,
        },
        process.env,
      );
      const logger = createLogger({ service: 'inference-node' });
      const running = await startInferenceNode(config, logger);
      const index = await running.node.repositoryIndex(false);
      console.log(`inference node on ${config.host}:${running.grpcPort} (gRPC), metrics on http://${config.host}:${running.metricsPort}/metrics`);
      if (running.agent) console.log(`  registered with ${config.registry} as node ${running.agent.id}`);
      for (const model of index) console.log(`  ${model.name}${model.version ? ` v${model.version}` : ''}: ${model.state}${model.reason ? ` (${model.reason})` : ''}`);
      await runUntilSignal(running, ['SIGINT', 'SIGTERM'], (signal) => logger.info({ signal }, 'shutting down'));
    });
}
