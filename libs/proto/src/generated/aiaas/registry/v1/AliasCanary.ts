// Original file: protos/deployments.proto

import type { Long } from '@grpc/proto-loader';

export interface AliasCanary {
  'alias'?: (string);
  'version'?: (number | string | Long);
  /**
   * 0..100.
   */
  'percent'?: (number);
}

export interface AliasCanary__Output {
  'alias': (string);
  'version': (string);
  /**
   * 0..100.
   */
  'percent': (number);
}
