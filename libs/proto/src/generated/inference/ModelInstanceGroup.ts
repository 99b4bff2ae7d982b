// Original file: protos/model_config.proto


// Original file: protos/model_config.proto

/**
 * Kind of this instance group.
 */
export const _inference_ModelInstanceGroup_Kind = {
  /**
   * Instances that can run on either CPU or GPU: on GPU(s) if all GPUs
   * listed in 'gpus' are available, otherwise on CPU.
   */
  KIND_AUTO: 'KIND_AUTO',
  /**
   * Instances that must run on the GPU.
   */
  KIND_GPU: 'KIND_GPU',
  /**
   * Instances that must run on the CPU.
   */
  KIND_CPU: 'KIND_CPU',
  /**
   * Instances placed on CPU and/or GPU(s) as the model or backend itself
   * specifies; the server does not override it.
   */
  KIND_MODEL: 'KIND_MODEL',
} as const;

/**
 * Kind of this instance group.
 */
export type _inference_ModelInstanceGroup_Kind =
  /**
   * Instances that can run on either CPU or GPU: on GPU(s) if all GPUs
   * listed in 'gpus' are available, otherwise on CPU.
   */
  | 'KIND_AUTO'
  | 0
  /**
   * Instances that must run on the GPU.
   */
  | 'KIND_GPU'
  | 1
  /**
   * Instances that must run on the CPU.
   */
  | 'KIND_CPU'
  | 2
  /**
   * Instances placed on CPU and/or GPU(s) as the model or backend itself
   * specifies; the server does not override it.
   */
  | 'KIND_MODEL'
  | 3

/**
 * Kind of this instance group.
 */
export type _inference_ModelInstanceGroup_Kind__Output = typeof _inference_ModelInstanceGroup_Kind[keyof typeof _inference_ModelInstanceGroup_Kind]

/**
 * A group of one or more instances of a model and resources made available
 * for those instances.
 */
export interface ModelInstanceGroup {
  /**
   * Optional name of this group of instances. If not specified the name is
   * formed as <model name>_<group number>.
   */
  'name'?: (string);
  /**
   * For a group assigned to GPU, the number of instances created for each
   * GPU listed in 'gpus'. For a group assigned to CPU the number of
   * instances created. Default is 1.
   */
  'count'?: (number);
  /**
   * GPU(s) where instances should be available. Empty means all available
   * GPUs.
   */
  'gpus'?: (number)[];
  /**
   * The kind of this instance group. Default is KIND_AUTO. 'gpus' may only
   * be given for KIND_AUTO and KIND_GPU.
   */
  'kind'?: (_inference_ModelInstanceGroup_Kind);
}

/**
 * A group of one or more instances of a model and resources made available
 * for those instances.
 */
export interface ModelInstanceGroup__Output {
  /**
   * Optional name of this group of instances. If not specified the name is
   * formed as <model name>_<group number>.
   */
  'name': (string);
  /**
   * For a group assigned to GPU, the number of instances created for each
   * GPU listed in 'gpus'. For a group assigned to CPU the number of
   * instances created. Default is 1.
   */
  'count': (number);
  /**
   * GPU(s) where instances should be available. Empty means all available
   * GPUs.
   */
  'gpus': (number)[];
  /**
   * The kind of this instance group. Default is KIND_AUTO. 'gpus' may only
   * be given for KIND_AUTO and KIND_GPU.
   */
  'kind': (_inference_ModelInstanceGroup_Kind__Output);
}
