// Original file: protos/registry.proto

import type { Pass as _aiaas_registry_v1_Pass, Pass__Output as _aiaas_registry_v1_Pass__Output } from '../../../aiaas/registry/v1/Pass';
import type { Long } from '@grpc/proto-loader';

export interface UploadVersionHeader {
  'model'?: (string);
  'tags'?: ({[key: string]: string});
  'metadata'?: ({[key: string]: string});
  /**
   * Lineage, set by the optimizer: the version this one was made from (0 = none), the job, its passes and report.
   */
  'parent_version'?: (number | string | Long);
  'job_id'?: (string);
  'passes'?: (_aiaas_registry_v1_Pass)[];
  'metrics_json'?: (string);
  /**
   * The artifact's size when known, to refuse an oversized upload before it streams (0 = unknown).
   */
  'expected_size_bytes'?: (number | string | Long);
}

export interface UploadVersionHeader__Output {
  'model': (string);
  'tags': ({[key: string]: string});
  'metadata': ({[key: string]: string});
  /**
   * Lineage, set by the optimizer: the version this one was made from (0 = none), the job, its passes and report.
   */
  'parent_version': (string);
  'job_id': (string);
  'passes': (_aiaas_registry_v1_Pass__Output)[];
  'metrics_json': (string);
  /**
   * The artifact's size when known, to refuse an oversized upload before it streams (0 = unknown).
   */
  'expected_size_bytes': (string);
}
