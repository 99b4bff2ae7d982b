// Original file: protos/registry.proto

import type { Model as _aiaas_registry_v1_Model, Model__Output as _aiaas_registry_v1_Model__Output } from '../../../aiaas/registry/v1/Model';

export interface ListModelsResponse {
  'models'?: (_aiaas_registry_v1_Model)[];
  /**
   * Empty on the last page.
   */
  'next_page_token'?: (string);
}

export interface ListModelsResponse__Output {
  'models': (_aiaas_registry_v1_Model__Output)[];
  /**
   * Empty on the last page.
   */
  'next_page_token': (string);
}
