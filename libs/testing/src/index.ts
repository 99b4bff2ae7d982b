export { makeTempDir, removeDir } from './temp-dir';
export { freePort } from './free-port';
export { writeModelRepository } from './model-repository';
export type { RepositoryModel } from './model-repository';
export { createInferenceClient, callUnary } from './inference-client';
export type { InferenceClient } from './inference-client';
export { spawnCli, REPO_ROOT } from './cli-process';
export type { CliProcess } from './cli-process';
export {
  startRegistryProcess,
  startNodeProcess,
  startWorkerProcess,
  startGatewayProcess,
  pollUntil,
  deleteRedisKeys,
} from './platform-processes';
export type { RegistryProcess, NodeProcess, WorkerProcess, GatewayProcess, ProcessOptions } from './platform-processes';
export { createRegistryClient, registryCall, uploadVersion, downloadVersion, chunksOf } from './registry-client';
// Re-exported for tests that stream uploads by hand.
export { writeWithBackPressure } from '@aiaas/common';
export type { RegistryClient } from './registry-client';
export { withExternalData } from './onnx-fixtures';
