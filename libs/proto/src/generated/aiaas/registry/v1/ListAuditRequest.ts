// Original file: protos/registry.proto


export interface ListAuditRequest {
  'page_size'?: (number);
  'page_token'?: (string);
}

export interface ListAuditRequest__Output {
  'page_size': (number);
  'page_token': (string);
}
