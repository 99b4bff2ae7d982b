// Original file: protos/registry.proto

import type { Version as _aiaas_registry_v1_Version, Version__Output as _aiaas_registry_v1_Version__Output } from '../../../aiaas/registry/v1/Version';

export interface ListVersionsResponse {
  'versions'?: (_aiaas_registry_v1_Version)[];
  'next_page_token'?: (string);
}

export interface ListVersionsResponse__Output {
  'versions': (_aiaas_registry_v1_Version__Output)[];
  'next_page_token': (string);
}
