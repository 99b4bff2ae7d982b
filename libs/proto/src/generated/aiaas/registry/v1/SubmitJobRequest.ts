// Original file: protos/jobs.proto

import type { Pass as _aiaas_registry_v1_Pass, Pass__Output as _aiaas_registry_v1_Pass__Output } from '../../../aiaas/registry/v1/Pass';
import type { ValidationThresholds as _aiaas_registry_v1_ValidationThresholds, ValidationThresholds__Output as _aiaas_registry_v1_ValidationThresholds__Output } from '../../../aiaas/registry/v1/ValidationThresholds';
import type { ValidationDataset as _aiaas_registry_v1_ValidationDataset, ValidationDataset__Output as _aiaas_registry_v1_ValidationDataset__Output } from '../../../aiaas/registry/v1/ValidationDataset';
import type { Long } from '@grpc/proto-loader';

export interface SubmitJobRequest {
  'model'?: (string);
  /**
   * One of: a version number, or an alias (`production`); neither = the latest version.
   */
  'version'?: (number | string | Long);
  'alias'?: (string);
  'passes'?: (_aiaas_registry_v1_Pass)[];
  'thresholds'?: (_aiaas_registry_v1_ValidationThresholds | null);
  'alias_on_success'?: (string);
  /**
   * Lower runs first: 1 (highest) .. 2097152; 0 = the default, 1000 (so 1..999 run before
   * default jobs and 1001.. after them; equal priorities in submission order).
   */
  'priority'?: (number);
  /**
   * 1..86400 seconds for one attempt; 0 = the worker's default.
   */
  'timeout_seconds'?: (number);
  /**
   * Inputs the validate step runs on instead of generated ones; checked at submit against the
   * source version's signature.
   */
  'validation_dataset'?: (_aiaas_registry_v1_ValidationDataset | null);
}

export interface SubmitJobRequest__Output {
  'model': (string);
  /**
   * One of: a version number, or an alias (`production`); neither = the latest version.
   */
  'version': (string);
  'alias': (string);
  'passes': (_aiaas_registry_v1_Pass__Output)[];
  'thresholds': (_aiaas_registry_v1_ValidationThresholds__Output | null);
  'alias_on_success': (string);
  /**
   * Lower runs first: 1 (highest) .. 2097152; 0 = the default, 1000 (so 1..999 run before
   * default jobs and 1001.. after them; equal priorities in submission order).
   */
  'priority': (number);
  /**
   * 1..86400 seconds for one attempt; 0 = the worker's default.
   */
  'timeout_seconds': (number);
  /**
   * Inputs the validate step runs on instead of generated ones; checked at submit against the
   * source version's signature.
   */
  'validation_dataset': (_aiaas_registry_v1_ValidationDataset__Output | null);
}
