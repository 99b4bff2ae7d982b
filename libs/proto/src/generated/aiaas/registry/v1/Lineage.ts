// Original file: protos/registry.proto

import type { Pass as _aiaas_registry_v1_Pass, Pass__Output as _aiaas_registry_v1_Pass__Output } from '../../../aiaas/registry/v1/Pass';
import type { Long } from '@grpc/proto-loader';

/**
 * Where a version came from.
 */
export interface Lineage {
  /**
   * 0 when the version has no parent.
   */
  'parent_version'?: (number | string | Long);
  'job_id'?: (string);
  'passes'?: (_aiaas_registry_v1_Pass)[];
  /**
   * The job's report (size, latency, accuracy deltas) as a JSON object.
   */
  'metrics_json'?: (string);
}

/**
 * Where a version came from.
 */
export interface Lineage__Output {
  /**
   * 0 when the version has no parent.
   */
  'parent_version': (string);
  'job_id': (string);
  'passes': (_aiaas_registry_v1_Pass__Output)[];
  /**
   * The job's report (size, latency, accuracy deltas) as a JSON object.
   */
  'metrics_json': (string);
}
