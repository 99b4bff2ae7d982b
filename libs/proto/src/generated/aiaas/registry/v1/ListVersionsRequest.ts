// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ListVersionsRequest {
  'model'?: (string);
  /**
   * When set, only versions descended (directly or not) from this one.
   */
  'descendants_of'?: (number | string | Long);
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListVersionsRequest__Output {
  'model': (string);
  /**
   * When set, only versions descended (directly or not) from this one.
   */
  'descendants_of': (string);
  'page_size': (number);
  'page_token': (string);
}
