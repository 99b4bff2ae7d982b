// Original file: protos/deployments.proto

import type { Deployment as _aiaas_registry_v1_Deployment, Deployment__Output as _aiaas_registry_v1_Deployment__Output } from '../../../aiaas/registry/v1/Deployment';

export interface ListDeploymentsResponse {
  'deployments'?: (_aiaas_registry_v1_Deployment)[];
  'next_page_token'?: (string);
}

export interface ListDeploymentsResponse__Output {
  'deployments': (_aiaas_registry_v1_Deployment__Output)[];
  'next_page_token': (string);
}
