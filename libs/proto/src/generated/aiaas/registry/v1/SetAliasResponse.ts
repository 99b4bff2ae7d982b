// Original file: protos/registry.proto

import type { Alias as _aiaas_registry_v1_Alias, Alias__Output as _aiaas_registry_v1_Alias__Output } from '../../../aiaas/registry/v1/Alias';

export interface SetAliasResponse {
  'alias'?: (_aiaas_registry_v1_Alias | null);
}

export interface SetAliasResponse__Output {
  'alias': (_aiaas_registry_v1_Alias__Output | null);
}
