// Original file: protos/registry.proto

import type { Version as _aiaas_registry_v1_Version, Version__Output as _aiaas_registry_v1_Version__Output } from '../../../aiaas/registry/v1/Version';

export interface GetVersionResponse {
  'version'?: (_aiaas_registry_v1_Version | null);
}

export interface GetVersionResponse__Output {
  'version': (_aiaas_registry_v1_Version__Output | null);
}
