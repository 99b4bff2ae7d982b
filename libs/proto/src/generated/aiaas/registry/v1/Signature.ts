// Original file: protos/registry.proto

import type { TensorSignature as _aiaas_registry_v1_TensorSignature, TensorSignature__Output as _aiaas_registry_v1_TensorSignature__Output } from '../../../aiaas/registry/v1/TensorSignature';
import type { Opset as _aiaas_registry_v1_Opset, Opset__Output as _aiaas_registry_v1_Opset__Output } from '../../../aiaas/registry/v1/Opset';
import type { Long } from '@grpc/proto-loader';

export interface Signature {
  'inputs'?: (_aiaas_registry_v1_TensorSignature)[];
  'outputs'?: (_aiaas_registry_v1_TensorSignature)[];
  'ir_version'?: (number | string | Long);
  'opsets'?: (_aiaas_registry_v1_Opset)[];
  'producer_name'?: (string);
  'producer_version'?: (string);
  'parameter_count'?: (number | string | Long);
}

export interface Signature__Output {
  'inputs': (_aiaas_registry_v1_TensorSignature__Output)[];
  'outputs': (_aiaas_registry_v1_TensorSignature__Output)[];
  'ir_version': (string);
  'opsets': (_aiaas_registry_v1_Opset__Output)[];
  'producer_name': (string);
  'producer_version': (string);
  'parameter_count': (string);
}
