// Original file: protos/model_config.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Serve all versions of the model.
 */
export interface _inference_ModelVersionPolicy_All {
}

/**
 * Serve all versions of the model.
 */
export interface _inference_ModelVersionPolicy_All__Output {
}

/**
 * Serve only the latest version(s) of a model. This is the default.
 */
export interface _inference_ModelVersionPolicy_Latest {
  /**
   * Serve only the 'num_versions' highest-numbered versions. Default 1.
   */
  'num_versions'?: (number);
}

/**
 * Serve only the latest version(s) of a model. This is the default.
 */
export interface _inference_ModelVersionPolicy_Latest__Output {
  /**
   * Serve only the 'num_versions' highest-numbered versions. Default 1.
   */
  'num_versions': (number);
}

/**
 * Serve only specific versions of the model.
 */
export interface _inference_ModelVersionPolicy_Specific {
  /**
   * The specific versions of the model that will be served.
   */
  'versions'?: (number | string | Long)[];
}

/**
 * Serve only specific versions of the model.
 */
export interface _inference_ModelVersionPolicy_Specific__Output {
  /**
   * The specific versions of the model that will be served.
   */
  'versions': (string)[];
}

/**
 * Policy indicating which versions of a model should be made available by
 * the inference server.
 */
export interface ModelVersionPolicy {
  /**
   * Serve only latest version(s) of the model.
   */
  'latest'?: (_inference_ModelVersionPolicy_Latest | null);
  /**
   * Serve all versions of the model.
   */
  'all'?: (_inference_ModelVersionPolicy_All | null);
  /**
   * Serve only specific version(s) of the model.
   */
  'specific'?: (_inference_ModelVersionPolicy_Specific | null);
  /**
   * Each model must implement only a single version policy. The default
   * policy is 'Latest'.
   */
  'policy_choice'?: "latest"|"all"|"specific";
}

/**
 * Policy indicating which versions of a model should be made available by
 * the inference server.
 */
export interface ModelVersionPolicy__Output {
  /**
   * Serve only latest version(s) of the model.
   */
  'latest'?: (_inference_ModelVersionPolicy_Latest__Output | null);
  /**
   * Serve all versions of the model.
   */
  'all'?: (_inference_ModelVersionPolicy_All__Output | null);
  /**
   * Serve only specific version(s) of the model.
   */
  'specific'?: (_inference_ModelVersionPolicy_Specific__Output | null);
  /**
   * Each model must implement only a single version policy. The default
   * policy is 'Latest'.
   */
  'policy_choice'?: "latest"|"all"|"specific";
}
