// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface SetAliasRequest {
  'model'?: (string);
  'alias'?: (string);
  'version'?: (number | string | Long);
}

export interface SetAliasRequest__Output {
  'model': (string);
  'alias': (string);
  'version': (string);
}
