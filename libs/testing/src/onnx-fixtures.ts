import { TENSOR_DATA_LOCATION, decodeModel, encodeModel } from '@aiaas/onnx';

/**
 * `modelBytes` with its first initializer's data moved to an external file at `location` (never
 * written): for testing that a registry refuses paths outside the artifact without opening them.
 */
export function withExternalData(modelBytes: Uint8Array, location: string): Uint8Array {
  const proto = decodeModel(modelBytes);
  const tensor = proto.graph?.initializer?.[0];
  if (tensor === undefined) throw new Error('the model has no initializer to move to external data');
  delete tensor.rawData;
  tensor.floatData = [];
  tensor.dataLocation = TENSOR_DATA_LOCATION.EXTERNAL;
  tensor.externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: '0' },
    { key: 'length', value: '64' },
  ];
  return encodeModel(proto);
}
