// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface Alias {
  'model'?: (string);
  'alias'?: (string);
  'version'?: (number | string | Long);
  'updated_at'?: (string);
  'updated_by'?: (string);
}

export interface Alias__Output {
  'model': (string);
  'alias': (string);
  'version': (string);
  'updated_at': (string);
  'updated_by': (string);
}
