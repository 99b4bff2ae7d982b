// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface SetAliasRequest {
  'model'?: (string);
  'alias'?: (string);
  'version'?: (number | string | Long);
  /**
   * Optional canary: another existing version and the share (0..100) of traffic it takes.
   * 0 = none; setting the alias again without them removes the canary.
   */
  'canary_version'?: (number | string | Long);
  'canary_percent'?: (number);
}

export interface SetAliasRequest__Output {
  'model': (string);
  'alias': (string);
  'version': (string);
  /**
   * Optional canary: another existing version and the share (0..100) of traffic it takes.
   * 0 = none; setting the alias again without them removes the canary.
   */
  'canary_version': (string);
  'canary_percent': (number);
}
