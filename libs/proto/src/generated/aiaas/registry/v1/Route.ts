// Original file: protos/deployments.proto

import type { Endpoint as _aiaas_registry_v1_Endpoint, Endpoint__Output as _aiaas_registry_v1_Endpoint__Output } from '../../../aiaas/registry/v1/Endpoint';
import type { AliasCanary as _aiaas_registry_v1_AliasCanary, AliasCanary__Output as _aiaas_registry_v1_AliasCanary__Output } from '../../../aiaas/registry/v1/AliasCanary';
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
  /**
   * Canary splits of the aliases above: that share of `model@alias` traffic goes to another version
   * (when that version has a route with endpoints; otherwise all of it stays here).
   */
  'canaries'?: (_aiaas_registry_v1_AliasCanary)[];
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
  /**
   * Canary splits of the aliases above: that share of `model@alias` traffic goes to another version
   * (when that version has a route with endpoints; otherwise all of it stays here).
   */
  'canaries': (_aiaas_registry_v1_AliasCanary__Output)[];
}
