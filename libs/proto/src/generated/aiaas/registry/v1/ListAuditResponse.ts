// Original file: protos/registry.proto

import type { AuditEntry as _aiaas_registry_v1_AuditEntry, AuditEntry__Output as _aiaas_registry_v1_AuditEntry__Output } from '../../../aiaas/registry/v1/AuditEntry';

export interface ListAuditResponse {
  'entries'?: (_aiaas_registry_v1_AuditEntry)[];
  'next_page_token'?: (string);
}

export interface ListAuditResponse__Output {
  'entries': (_aiaas_registry_v1_AuditEntry__Output)[];
  'next_page_token': (string);
}
