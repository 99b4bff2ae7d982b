// Original file: protos/jobs.proto

import type { Pass as _aiaas_registry_v1_Pass, Pass__Output as _aiaas_registry_v1_Pass__Output } from '../../../aiaas/registry/v1/Pass';
import type { ValidationThresholds as _aiaas_registry_v1_ValidationThresholds, ValidationThresholds__Output as _aiaas_registry_v1_ValidationThresholds__Output } from '../../../aiaas/registry/v1/ValidationThresholds';
import type { JobState as _aiaas_registry_v1_JobState, JobState__Output as _aiaas_registry_v1_JobState__Output } from '../../../aiaas/registry/v1/JobState';
import type { JobEvent as _aiaas_registry_v1_JobEvent, JobEvent__Output as _aiaas_registry_v1_JobEvent__Output } from '../../../aiaas/registry/v1/JobEvent';
import type { Long } from '@grpc/proto-loader';

export interface Job {
  'id'?: (string);
  'tenant'?: (string);
  'model'?: (string);
  /**
   * The version the passes start from (an alias is resolved at submit).
   */
  'source_version'?: (number | string | Long);
  'passes'?: (_aiaas_registry_v1_Pass)[];
  'thresholds'?: (_aiaas_registry_v1_ValidationThresholds | null);
  'alias_on_success'?: (string);
  'priority'?: (number);
  'state'?: (_aiaas_registry_v1_JobState);
  'events'?: (_aiaas_registry_v1_JobEvent)[];
  /**
   * The registered version; 0 until completed.
   */
  'result_version'?: (number | string | Long);
  /**
   * The pass reports and validation metrics (JSON object) once completed or failed validation.
   */
  'report_json'?: (string);
  'error'?: (string);
  'created_at'?: (string);
  'updated_at'?: (string);
  'attempts'?: (number);
  /**
   * Seconds the worker lets one attempt run before it kills it and fails the job (not retried);
   * 0 = the worker's default (AIAAS_JOB_TIMEOUT_SECONDS).
   */
  'timeout_seconds'?: (number);
  /**
   * The uploaded validation dataset, if any: its format and the sha256 (hex) of its content.
   */
  'validation_dataset_format'?: (string);
  'validation_dataset_sha256'?: (string);
}

export interface Job__Output {
  'id': (string);
  'tenant': (string);
  'model': (string);
  /**
   * The version the passes start from (an alias is resolved at submit).
   */
  'source_version': (string);
  'passes': (_aiaas_registry_v1_Pass__Output)[];
  'thresholds': (_aiaas_registry_v1_ValidationThresholds__Output | null);
  'alias_on_success': (string);
  'priority': (number);
  'state': (_aiaas_registry_v1_JobState__Output);
  'events': (_aiaas_registry_v1_JobEvent__Output)[];
  /**
   * The registered version; 0 until completed.
   */
  'result_version': (string);
  /**
   * The pass reports and validation metrics (JSON object) once completed or failed validation.
   */
  'report_json': (string);
  'error': (string);
  'created_at': (string);
  'updated_at': (string);
  'attempts': (number);
  /**
   * Seconds the worker lets one attempt run before it kills it and fails the job (not retried);
   * 0 = the worker's default (AIAAS_JOB_TIMEOUT_SECONDS).
   */
  'timeout_seconds': (number);
  /**
   * The uploaded validation dataset, if any: its format and the sha256 (hex) of its content.
   */
  'validation_dataset_format': (string);
  'validation_dataset_sha256': (string);
}
