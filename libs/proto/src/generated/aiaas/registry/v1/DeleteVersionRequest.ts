// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteVersionRequest {
  'model'?: (string);
  'version'?: (number | string | Long);
}

export interface DeleteVersionRequest__Output {
  'model': (string);
  'version': (string);
}
