// Original file: protos/deployments.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One replica a node should serve.
 */
export interface Assignment {
  /**
   * The model name the node serves it under (unique on the node across tenants).
   */
  'served_name'?: (string);
  'tenant'?: (string);
  'model'?: (string);
  'version'?: (number | string | Long);
  'sha256'?: (string);
  'size_bytes'?: (number | string | Long);
  /**
   * The Triton model configuration (config.json) the node serves it with.
   */
  'config_json'?: (string);
  'deployment'?: (string);
}

/**
 * One replica a node should serve.
 */
export interface Assignment__Output {
  /**
   * The model name the node serves it under (unique on the node across tenants).
   */
  'served_name': (string);
  'tenant': (string);
  'model': (string);
  'version': (string);
  'sha256': (string);
  'size_bytes': (string);
  /**
   * The Triton model configuration (config.json) the node serves it with.
   */
  'config_json': (string);
  'deployment': (string);
}
