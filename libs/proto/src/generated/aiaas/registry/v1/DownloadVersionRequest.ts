// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface DownloadVersionRequest {
  'model'?: (string);
  'version'?: (number | string | Long);
  /**
   * Optional byte range [offset, offset + length); length 0 = to the end.
   */
  'offset'?: (number | string | Long);
  'length'?: (number | string | Long);
}

export interface DownloadVersionRequest__Output {
  'model': (string);
  'version': (string);
  /**
   * Optional byte range [offset, offset + length); length 0 = to the end.
   */
  'offset': (string);
  'length': (string);
}
