// Original file: protos/jobs.proto

import type { JobEventKind as _aiaas_registry_v1_JobEventKind, JobEventKind__Output as _aiaas_registry_v1_JobEventKind__Output } from '../../../aiaas/registry/v1/JobEventKind';
import type { Long } from '@grpc/proto-loader';

export interface ReportJobEventRequest {
  'job_id'?: (string);
  'kind'?: (_aiaas_registry_v1_JobEventKind);
  'pass'?: (string);
  'pass_index'?: (number);
  'percent'?: (number);
  'version'?: (number | string | Long);
  'message'?: (string);
  'details_json'?: (string);
  /**
   * completed / failed: the job's report.
   */
  'report_json'?: (string);
  /**
   * started: which attempt (1-based) this is.
   */
  'attempt'?: (number);
}

export interface ReportJobEventRequest__Output {
  'job_id': (string);
  'kind': (_aiaas_registry_v1_JobEventKind__Output);
  'pass': (string);
  'pass_index': (number);
  'percent': (number);
  'version': (string);
  'message': (string);
  'details_json': (string);
  /**
   * completed / failed: the job's report.
   */
  'report_json': (string);
  /**
   * started: which attempt (1-based) this is.
   */
  'attempt': (number);
}
