// Original file: protos/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface AuditEntry {
  'id'?: (number | string | Long);
  'principal'?: (string);
  /**
   * model.create, model.update, model.delete, version.create, version.delete, alias.set, ...
   */
  'action'?: (string);
  /**
   * `model`, `model/3` or `model@alias`.
   */
  'target'?: (string);
  'details_json'?: (string);
  'at'?: (string);
}

export interface AuditEntry__Output {
  'id': (string);
  'principal': (string);
  /**
   * model.create, model.update, model.delete, version.create, version.delete, alias.set, ...
   */
  'action': (string);
  /**
   * `model`, `model/3` or `model@alias`.
   */
  'target': (string);
  'details_json': (string);
  'at': (string);
}
