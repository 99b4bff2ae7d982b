// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface Opset {
  'domain'?: (string);
  'version'?: (number | string | Long);
}

export interface Opset__Output {
  'domain': (string);
  'version': (string);
}
