// Original file: protos/registry.proto

import type { Signature as _aiaas_registry_v1_Signature, Signature__Output as _aiaas_registry_v1_Signature__Output } from '../../../aiaas/registry/v1/Signature';
import type { Lineage as _aiaas_registry_v1_Lineage, Lineage__Output as _aiaas_registry_v1_Lineage__Output } from '../../../aiaas/registry/v1/Lineage';
import type { Long } from '@grpc/proto-loader';

export interface Version {
  'model'?: (string);
  'version'?: (number | string | Long);
  'sha256'?: (string);
  'size_bytes'?: (number | string | Long);
  'signature'?: (_aiaas_registry_v1_Signature | null);
  'tags'?: ({[key: string]: string});
  'metadata'?: ({[key: string]: string});
  'lineage'?: (_aiaas_registry_v1_Lineage | null);
  /**
   * Aliases of the model that point at this version.
   */
  'aliases'?: (string)[];
  'created_at'?: (string);
  'created_by'?: (string);
}

export interface Version__Output {
  'model': (string);
  'version': (string);
  'sha256': (string);
  'size_bytes': (string);
  'signature': (_aiaas_registry_v1_Signature__Output | null);
  'tags': ({[key: string]: string});
  'metadata': ({[key: string]: string});
  'lineage': (_aiaas_registry_v1_Lineage__Output | null);
  /**
   * Aliases of the model that point at this version.
   */
  'aliases': (string)[];
  'created_at': (string);
  'created_by': (string);
}
