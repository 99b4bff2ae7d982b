export { startInferenceNode } from './server';
export type { RunningNode } from './server';
export { loadNodeConfig, NODE_CONFIG_SCHEMA } from './config';
export type { NodeConfig } from './config';
export { InferenceNode } from './inference-node';
export { DEFAULTS as MODEL_DEFAULTS } from './model-config';
