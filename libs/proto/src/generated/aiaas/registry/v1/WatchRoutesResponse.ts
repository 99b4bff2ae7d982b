// Original file: protos/deployments.proto

import type { Route as _aiaas_registry_v1_Route, Route__Output as _aiaas_registry_v1_Route__Output } from '../../../aiaas/registry/v1/Route';

export interface WatchRoutesResponse {
  'routes'?: (_aiaas_registry_v1_Route)[];
}

export interface WatchRoutesResponse__Output {
  'routes': (_aiaas_registry_v1_Route__Output)[];
}
