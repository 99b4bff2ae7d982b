import { encodeError, encodeModelMetadata, encodeServerMetadata } from './metadata';

describe('metadata', () => {
  it('encodes model metadata with numeric shapes, -1 for variable dimensions', () => {
    expect(
      encodeModelMetadata({
        name: 'mlp',
        versions: ['1', '2'],
        platform: 'onnxruntime_onnx',
        inputs: [{ name: 'x', datatype: 'FP32', shape: ['-1', '64'] }],
        outputs: [{ name: 'y', datatype: 'FP32', shape: ['-1', '10'] }],
      }),
    ).toEqual({
      name: 'mlp',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 64] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 10] }],
    });
    expect(encodeModelMetadata({ name: 'm', versions: [], platform: 'p', inputs: [], outputs: [] })).not.toHaveProperty(
      'versions',
    );
  });

  it('encodes server metadata and the /v2 error body', () => {
    expect(encodeServerMetadata({ name: 'aiaas', version: '0.1.0', extensions: ['binary_tensor_data'] })).toEqual({
      name: 'aiaas',
      version: '0.1.0',
      extensions: ['binary_tensor_data'],
    });
    expect(JSON.stringify(encodeError('input "x": bad'))).toBe('{"error":"input \\"x\\": bad"}');
  });
});
