// Original file: protos/jobs.proto

import type { Pass as _aiaas_registry_v1_Pass, Pass__Output as _aiaas_registry_v1_Pass__Output } from '../../../aiaas/registry/v1/Pass';
import type { ValidationThresholds as _aiaas_registry_v1_ValidationThresholds, ValidationThresholds__Output as _aiaas_registry_v1_ValidationThresholds__Output } from '../../../aiaas/registry/v1/ValidationThresholds';
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
   * 1 (highest) .. 2097152; 0 = default (BullMQ's order: lower runs first).
   */
  'priority'?: (number);
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
   * 1 (highest) .. 2097152; 0 = default (BullMQ's order: lower runs first).
   */
  'priority': (number);
}
