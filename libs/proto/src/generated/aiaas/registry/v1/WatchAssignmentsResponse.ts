// Original file: protos/deployments.proto

import type { Assignment as _aiaas_registry_v1_Assignment, Assignment__Output as _aiaas_registry_v1_Assignment__Output } from '../../../aiaas/registry/v1/Assignment';

export interface WatchAssignmentsResponse {
  'assignments'?: (_aiaas_registry_v1_Assignment)[];
}

export interface WatchAssignmentsResponse__Output {
  'assignments': (_aiaas_registry_v1_Assignment__Output)[];
}
