// Original file: protos/jobs.proto

import type { Job as _aiaas_registry_v1_Job, Job__Output as _aiaas_registry_v1_Job__Output } from '../../../aiaas/registry/v1/Job';

export interface GetJobResponse {
  'job'?: (_aiaas_registry_v1_Job | null);
}

export interface GetJobResponse__Output {
  'job': (_aiaas_registry_v1_Job__Output | null);
}
