// Original file: protos/registry.proto

import type { Model as _aiaas_registry_v1_Model, Model__Output as _aiaas_registry_v1_Model__Output } from '../../../aiaas/registry/v1/Model';

export interface UpdateModelResponse {
  'model'?: (_aiaas_registry_v1_Model | null);
}

export interface UpdateModelResponse__Output {
  'model': (_aiaas_registry_v1_Model__Output | null);
}
