// Original file: protos/model_config.proto

import type { ModelVersionPolicy as _inference_ModelVersionPolicy, ModelVersionPolicy__Output as _inference_ModelVersionPolicy__Output } from '../inference/ModelVersionPolicy';
import type { ModelInput as _inference_ModelInput, ModelInput__Output as _inference_ModelInput__Output } from '../inference/ModelInput';
import type { ModelOutput as _inference_ModelOutput, ModelOutput__Output as _inference_ModelOutput__Output } from '../inference/ModelOutput';
import type { ModelInstanceGroup as _inference_ModelInstanceGroup, ModelInstanceGroup__Output as _inference_ModelInstanceGroup__Output } from '../inference/ModelInstanceGroup';
import type { ModelDynamicBatching as _inference_ModelDynamicBatching, ModelDynamicBatching__Output as _inference_ModelDynamicBatching__Output } from '../inference/ModelDynamicBatching';
import type { ModelParameter as _inference_ModelParameter, ModelParameter__Output as _inference_ModelParameter__Output } from '../inference/ModelParameter';
import type { ModelWarmup as _inference_ModelWarmup, ModelWarmup__Output as _inference_ModelWarmup__Output } from '../inference/ModelWarmup';
import type { ModelTransactionPolicy as _inference_ModelTransactionPolicy, ModelTransactionPolicy__Output as _inference_ModelTransactionPolicy__Output } from '../inference/ModelTransactionPolicy';

/**
 * A model configuration.
 */
export interface ModelConfig {
  /**
   * The name of the model.
   */
  'name'?: (string);
  /**
   * Additional backend-specific configuration for the model.
   */
  'platform'?: (string);
  /**
   * Policy indicating which version(s) of the model will be served.
   */
  'version_policy'?: (_inference_ModelVersionPolicy | null);
  /**
   * Maximum batch size allowed for inference. 0 means the model does not
   * batch and tensor shapes must match 'dims' exactly; > 0 means inputs
   * and outputs carry an extra leading batch dimension not listed in 'dims'.
   */
  'max_batch_size'?: (number);
  /**
   * The inputs requested by the model.
   */
  'input'?: (_inference_ModelInput)[];
  /**
   * The outputs produced by the model.
   */
  'output'?: (_inference_ModelOutput)[];
  /**
   * Instances of this model.
   */
  'instance_group'?: (_inference_ModelInstanceGroup)[];
  /**
   * Optional filename of the model file to use.
   */
  'default_model_filename'?: (string);
  /**
   * If specified, enables the dynamic-batching scheduling policy.
   */
  'dynamic_batching'?: (_inference_ModelDynamicBatching | null);
  /**
   * Optional model parameters. User-specified parameter values.
   */
  'parameters'?: ({[key: string]: _inference_ModelParameter});
  /**
   * Warmup samples run against every instance, in sequence, before the
   * model is served.
   */
  'model_warmup'?: (_inference_ModelWarmup)[];
  /**
   * The backend used by the model.
   */
  'backend'?: (string);
  /**
   * Optional specification of the nature of transactions to be expected
   * from the model.
   */
  'model_transaction_policy'?: (_inference_ModelTransactionPolicy | null);
  /**
   * The name of the backend library file used by the model.
   */
  'runtime'?: (string);
  /**
   * The scheduling policy for the model. If not specified each inference
   * request is executed independently.
   */
  'scheduling_choice'?: "dynamic_batching";
}

/**
 * A model configuration.
 */
export interface ModelConfig__Output {
  /**
   * The name of the model.
   */
  'name': (string);
  /**
   * Additional backend-specific configuration for the model.
   */
  'platform': (string);
  /**
   * Policy indicating which version(s) of the model will be served.
   */
  'version_policy': (_inference_ModelVersionPolicy__Output | null);
  /**
   * Maximum batch size allowed for inference. 0 means the model does not
   * batch and tensor shapes must match 'dims' exactly; > 0 means inputs
   * and outputs carry an extra leading batch dimension not listed in 'dims'.
   */
  'max_batch_size': (number);
  /**
   * The inputs requested by the model.
   */
  'input': (_inference_ModelInput__Output)[];
  /**
   * The outputs produced by the model.
   */
  'output': (_inference_ModelOutput__Output)[];
  /**
   * Instances of this model.
   */
  'instance_group': (_inference_ModelInstanceGroup__Output)[];
  /**
   * Optional filename of the model file to use.
   */
  'default_model_filename': (string);
  /**
   * If specified, enables the dynamic-batching scheduling policy.
   */
  'dynamic_batching'?: (_inference_ModelDynamicBatching__Output | null);
  /**
   * Optional model parameters. User-specified parameter values.
   */
  'parameters': ({[key: string]: _inference_ModelParameter__Output});
  /**
   * Warmup samples run against every instance, in sequence, before the
   * model is served.
   */
  'model_warmup': (_inference_ModelWarmup__Output)[];
  /**
   * The backend used by the model.
   */
  'backend': (string);
  /**
   * Optional specification of the nature of transactions to be expected
   * from the model.
   */
  'model_transaction_policy': (_inference_ModelTransactionPolicy__Output | null);
  /**
   * The name of the backend library file used by the model.
   */
  'runtime': (string);
  /**
   * The scheduling policy for the model. If not specified each inference
   * request is executed independently.
   */
  'scheduling_choice'?: "dynamic_batching";
}
