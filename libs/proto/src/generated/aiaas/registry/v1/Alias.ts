// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface Alias {
  'model'?: (string);
  'alias'?: (string);
  'version'?: (number | string | Long);
  'updated_at'?: (string);
  'updated_by'?: (string);
  /**
   * A canary: canary_percent % of `model@alias` traffic goes to canary_version (0 = none).
   */
  'canary_version'?: (number | string | Long);
  'canary_percent'?: (number);
}

export interface Alias__Output {
  'model': (string);
  'alias': (string);
  'version': (string);
  'updated_at': (string);
  'updated_by': (string);
  /**
   * A canary: canary_percent % of `model@alias` traffic goes to canary_version (0 = none).
   */
  'canary_version': (string);
  'canary_percent': (number);
}
