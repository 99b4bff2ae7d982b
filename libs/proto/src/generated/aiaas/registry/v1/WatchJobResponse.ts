// Original file: protos/jobs.proto

import type { JobEvent as _aiaas_registry_v1_JobEvent, JobEvent__Output as _aiaas_registry_v1_JobEvent__Output } from '../../../aiaas/registry/v1/JobEvent';

export interface WatchJobResponse {
  'event'?: (_aiaas_registry_v1_JobEvent | null);
}

export interface WatchJobResponse__Output {
  'event': (_aiaas_registry_v1_JobEvent__Output | null);
}
