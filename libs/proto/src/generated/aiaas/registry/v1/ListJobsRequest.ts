// Original file: protos/jobs.proto

import type { JobState as _aiaas_registry_v1_JobState, JobState__Output as _aiaas_registry_v1_JobState__Output } from '../../../aiaas/registry/v1/JobState';

export interface ListJobsRequest {
  /**
   * Empty = every model of the tenant.
   */
  'model'?: (string);
  /**
   * UNSPECIFIED = every state.
   */
  'state'?: (_aiaas_registry_v1_JobState);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListJobsRequest__Output {
  /**
   * Empty = every model of the tenant.
   */
  'model': (string);
  /**
   * UNSPECIFIED = every state.
   */
  'state': (_aiaas_registry_v1_JobState__Output);
  'page_size': (number);
  'page_token': (string);
}
