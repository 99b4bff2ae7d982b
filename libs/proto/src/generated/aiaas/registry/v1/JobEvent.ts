// Original file: protos/jobs.proto

import type { JobEventKind as _aiaas_registry_v1_JobEventKind, JobEventKind__Output as _aiaas_registry_v1_JobEventKind__Output } from '../../../aiaas/registry/v1/JobEventKind';
import type { Long } from '@grpc/proto-loader';

export interface JobEvent {
  'job_id'?: (string);
  /**
   * Position in the job's event list, from 1.
   */
  'sequence'?: (number | string | Long);
  'kind'?: (_aiaas_registry_v1_JobEventKind);
  /**
   * RFC 3339.
   */
  'at'?: (string);
  /**
   * pass_started / pass_finished: the pass's name and index in the job's list.
   */
  'pass'?: (string);
  'pass_index'?: (number);
  /**
   * progress: 0..100.
   */
  'percent'?: (number);
  /**
   * completed: the new version.
   */
  'version'?: (number | string | Long);
  /**
   * failed: why; cancelled: by whom.
   */
  'message'?: (string);
  /**
   * pass_finished: the pass's report; failed validation: the figures (JSON object, else empty).
   */
  'details_json'?: (string);
}

export interface JobEvent__Output {
  'job_id': (string);
  /**
   * Position in the job's event list, from 1.
   */
  'sequence': (string);
  'kind': (_aiaas_registry_v1_JobEventKind__Output);
  /**
   * RFC 3339.
   */
  'at': (string);
  /**
   * pass_started / pass_finished: the pass's name and index in the job's list.
   */
  'pass': (string);
  'pass_index': (number);
  /**
   * progress: 0..100.
   */
  'percent': (number);
  /**
   * completed: the new version.
   */
  'version': (string);
  /**
   * failed: why; cancelled: by whom.
   */
  'message': (string);
  /**
   * pass_finished: the pass's report; failed validation: the figures (JSON object, else empty).
   */
  'details_json': (string);
}
