// Proves the gRPC form this library produces is what the inference node accepts: a decoded REST
// request goes through the node's own (pure) input validation. A test-only import of an app.
import { decodeInputs } from '../../../apps/inference-node/src/tensor-codec';
import type { TensorSpec } from '../../../apps/inference-node/src/model-config';
import { decodeInferRequest } from './infer-request';
import { restBody } from './test-helpers';

describe('REST → gRPC → inference node', () => {
  it('passes the node’s decodeInputs for JSON and binary inputs of every served datatype', () => {
    const specs: TensorSpec[] = [
      { name: 'f', datatype: 'FP32', shape: ['batch', 2] },
      { name: 'h', datatype: 'FP16', shape: ['batch', 1] },
      { name: 'b', datatype: 'BOOL', shape: ['batch', 1] },
      { name: 'i', datatype: 'INT64', shape: ['batch', 1] },
      { name: 'u', datatype: 'UINT8', shape: ['batch', 1] },
      { name: 's', datatype: 'BYTES', shape: ['batch', 1] },
      { name: 'd', datatype: 'FP64', shape: ['batch', 1] },
    ];
    const d = Buffer.from(new Float64Array([0.5, 0.25]).buffer);
    const { body, headers } = restBody(
      {
        inputs: [
          {
            name: 'f',
            shape: [2, 2],
            datatype: 'FP32',
            data: [
              [1, 2],
              [3, 4],
            ],
          },
          { name: 'h', shape: [2, 1], datatype: 'FP16', data: [1, -2] },
          { name: 'b', shape: [2, 1], datatype: 'BOOL', data: [true, false] },
          { name: 'i', shape: [2, 1], datatype: 'INT64', data: ['-9223372036854775808', 3] },
          { name: 'u', shape: [2, 1], datatype: 'UINT8', data: [0, 255] },
          { name: 's', shape: [2, 1], datatype: 'BYTES', data: ['héllo', ''] },
          { name: 'd', shape: [2, 1], datatype: 'FP64', parameters: { binary_data_size: 16 } },
        ],
      },
      d,
    );
    const { request } = decodeInferRequest(body, headers, 'm');
    const decoded = decodeInputs(
      request.inputs!.map((input) => ({
        name: input.name!,
        datatype: input.datatype!,
        shape: input.shape as number[],
      })),
      request.raw_input_contents as Buffer[],
      specs,
      8,
    );
    const byName = new Map(decoded.map((t) => [t.name, t]));
    expect(decoded.map((t) => t.shape)).toEqual(specs.map((s) => [2, s.shape[1]]));
    expect(Array.from(new Float32Array(new Uint8Array(byName.get('f')!.bytes!).buffer))).toEqual([1, 2, 3, 4]);
    expect(Array.from(new Uint16Array(new Uint8Array(byName.get('h')!.bytes!).buffer))).toEqual([0x3c00, 0xc000]);
    expect(Array.from(byName.get('b')!.bytes!)).toEqual([1, 0]);
    expect(Array.from(new BigInt64Array(new Uint8Array(byName.get('i')!.bytes!).buffer))).toEqual([-(2n ** 63n), 3n]);
    expect(Array.from(byName.get('u')!.bytes!)).toEqual([0, 255]);
    expect(byName.get('s')!.strings).toEqual(['héllo', '']);
    expect(byName.get('d')!.bytes!.equals(d)).toBe(true);
  });
});
