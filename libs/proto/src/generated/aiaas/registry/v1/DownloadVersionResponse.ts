// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface DownloadVersionResponse {
  'chunk'?: (Buffer | Uint8Array | string);
  /**
   * Set on the first message: the artifact's sha256 and total size.
   */
  'sha256'?: (string);
  'size_bytes'?: (number | string | Long);
}

export interface DownloadVersionResponse__Output {
  'chunk': (Buffer);
  /**
   * Set on the first message: the artifact's sha256 and total size.
   */
  'sha256': (string);
  'size_bytes': (string);
}
