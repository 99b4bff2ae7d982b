// Original file: protos/deployments.proto

import type { Endpoint as _aiaas_registry_v1_Endpoint, Endpoint__Output as _aiaas_registry_v1_Endpoint__Output } from '../../../aiaas/registry/v1/Endpoint';
import type { Long } from '@grpc/proto-loader';

export interface Route {
  'tenant'?: (string);
  'model'?: (string);
  'version'?: (number | string | Long);
  /**
   * Aliases of the model pointing at this version.
   */
  'aliases'?: (string)[];
  /**
   * The model name to send in ModelInferRequest.model_name on the node.
   */
  'served_name'?: (string);
  'endpoints'?: (_aiaas_registry_v1_Endpoint)[];
}

export interface Route__Output {
  'tenant': (string);
  'model': (string);
  'version': (string);
  /**
   * Aliases of the model pointing at this version.
   */
  'aliases': (string)[];
  /**
   * The model name to send in ModelInferRequest.model_name on the node.
   */
  'served_name': (string);
  'endpoints': (_aiaas_registry_v1_Endpoint__Output)[];
}
