// Original file: protos/registry.proto

import type { UploadVersionHeader as _aiaas_registry_v1_UploadVersionHeader, UploadVersionHeader__Output as _aiaas_registry_v1_UploadVersionHeader__Output } from '../../../aiaas/registry/v1/UploadVersionHeader';

export interface UploadVersionRequest {
  'header'?: (_aiaas_registry_v1_UploadVersionHeader | null);
  'chunk'?: (Buffer | Uint8Array | string);
  'part'?: "header"|"chunk";
}

export interface UploadVersionRequest__Output {
  'header'?: (_aiaas_registry_v1_UploadVersionHeader__Output | null);
  'chunk'?: (Buffer);
  'part'?: "header"|"chunk";
}
