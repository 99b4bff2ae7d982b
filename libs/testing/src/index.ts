export { makeTempDir, removeDir } from './temp-dir';
export { writeModelRepository } from './model-repository';
export type { RepositoryModel } from './model-repository';
export { createInferenceClient, callUnary } from './inference-client';
export type { InferenceClient } from './inference-client';
export { spawnCli, REPO_ROOT } from './cli-process';
export type { CliProcess } from './cli-process';
