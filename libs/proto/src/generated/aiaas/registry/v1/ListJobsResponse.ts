// Original file: protos/jobs.proto

import type { Job as _aiaas_registry_v1_Job, Job__Output as _aiaas_registry_v1_Job__Output } from '../../../aiaas/registry/v1/Job';

export interface ListJobsResponse {
  /**
   * Newest first; events are left out (GetJob has them).
   */
  'jobs'?: (_aiaas_registry_v1_Job)[];
  'next_page_token'?: (string);
}

export interface ListJobsResponse__Output {
  /**
   * Newest first; events are left out (GetJob has them).
   */
  'jobs': (_aiaas_registry_v1_Job__Output)[];
  'next_page_token': (string);
}
