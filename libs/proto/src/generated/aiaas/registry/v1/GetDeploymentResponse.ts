// Original file: protos/deployments.proto

import type { Deployment as _aiaas_registry_v1_Deployment, Deployment__Output as _aiaas_registry_v1_Deployment__Output } from '../../../aiaas/registry/v1/Deployment';

export interface GetDeploymentResponse {
  'deployment'?: (_aiaas_registry_v1_Deployment | null);
}

export interface GetDeploymentResponse__Output {
  'deployment': (_aiaas_registry_v1_Deployment__Output | null);
}
