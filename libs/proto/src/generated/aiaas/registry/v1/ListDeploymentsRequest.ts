// Original file: protos/deployments.proto


export interface ListDeploymentsRequest {
  'page_size'?: (number);
  'page_token'?: (string);
  /**
   * Only deployments of this model.
   */
  'model'?: (string);
}

export interface ListDeploymentsRequest__Output {
  'page_size': (number);
  'page_token': (string);
  /**
   * Only deployments of this model.
   */
  'model': (string);
}
