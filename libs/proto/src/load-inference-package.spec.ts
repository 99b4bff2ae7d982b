import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import {
  INFERENCE_SERVICE_NAME,
  ProtoDirNotFoundError,
  findProtoDir,
  loadInferencePackage,
  loadInferencePackageDefinition,
} from './load-inference-package';
import type { ModelInferRequest, ModelInferResponse } from './index';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The RPCs we serve, in upstream order; shared-memory, trace and log RPCs are left out. */
const EXPECTED_METHODS = [
  'ServerLive',
  'ServerReady',
  'ModelReady',
  'ServerMetadata',
  'ModelMetadata',
  'ModelInfer',
  'ModelStreamInfer',
  'ModelConfig',
  'ModelStatistics',
  'RepositoryIndex',
  'RepositoryModelLoad',
  'RepositoryModelUnload',
];

function serviceDefinition(): ServiceDefinition {
  const definition = loadInferencePackageDefinition()[INFERENCE_SERVICE_NAME];
  if (definition === undefined || 'format' in definition) {
    throw new Error(`expected service ${INFERENCE_SERVICE_NAME} in the package definition`);
  }
  return definition;
}

function method(name: string): MethodDefinition<object, object> {
  const found = serviceDefinition()[name];
  if (found === undefined) {
    throw new Error(`expected method ${name} on ${INFERENCE_SERVICE_NAME}`);
  }
  return found;
}

describe('findProtoDir', () => {
  it('finds the repository protos/ folder from the library sources', () => {
    const dir = findProtoDir();
    expect(dir).toBe(path.join(REPO_ROOT, 'protos'));
    expect(existsSync(path.join(dir, 'model_config.proto'))).toBe(true);
  });

  it('finds it from a bundle location such as dist/', () => {
    expect(findProtoDir(path.join(REPO_ROOT, 'dist'))).toBe(path.join(REPO_ROOT, 'protos'));
  });

  it('throws ProtoDirNotFoundError naming the start folder when there is none above it', () => {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'aiaas-proto-'));
    try {
      expect(() => findProtoDir(outside)).toThrow(ProtoDirNotFoundError);
      expect(() => findProtoDir(outside)).toThrow(outside);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('loadInferencePackage', () => {
  it('loads the service with exactly the RPCs we serve, at their upstream paths', () => {
    const service = loadInferencePackage().inference.GRPCInferenceService.service;
    expect(Object.keys(service)).toEqual(EXPECTED_METHODS);
    expect(Object.values(service).map((definition) => definition.path)).toEqual(
      EXPECTED_METHODS.map((name) => `/${INFERENCE_SERVICE_NAME}/${name}`),
    );
  });

  it('makes ModelStreamInfer bidirectional and ModelInfer unary', () => {
    const service = loadInferencePackage().inference.GRPCInferenceService.service;
    expect(service.ModelStreamInfer.requestStream).toBe(true);
    expect(service.ModelStreamInfer.responseStream).toBe(true);
    expect(service.ModelInfer.requestStream).toBe(false);
    expect(service.ModelInfer.responseStream).toBe(false);
  });

  it('caches the definition and the package', () => {
    expect(loadInferencePackageDefinition()).toBe(loadInferencePackageDefinition());
    expect(loadInferencePackage()).toBe(loadInferencePackage());
  });

  it('exposes model_config.proto messages through the import', () => {
    expect(loadInferencePackageDefinition()['inference.ModelConfig']).toBeDefined();
    expect(loadInferencePackageDefinition()['inference.DataType']).toBeDefined();
  });

  it('builds a client constructor with the typed methods', () => {
    const Client = loadInferencePackage().inference.GRPCInferenceService;
    // Creating a client does not connect; nothing listens on this address.
    const client = new Client('127.0.0.1:1', grpc.credentials.createInsecure());
    try {
      expect(typeof client.ModelInfer).toBe('function');
      expect(typeof client.ModelStreamInfer).toBe('function');
    } finally {
      client.close();
    }
  });
});

describe('ModelInfer serialization', () => {
  const tensor = Buffer.from(new Float32Array([1.5, -2, 3.25, 0]).buffer);

  it('round-trips raw_input_contents as Buffers, with 64-bit integers as strings', () => {
    const request: ModelInferRequest = {
      model_name: 'resnet',
      model_version: '3',
      id: 'req-1',
      parameters: { priority: { int64_param: '9007199254740993' } },
      inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 2] }],
      outputs: [{ name: 'y' }],
      raw_input_contents: [tensor],
    };
    const infer = method('ModelInfer');
    const decoded = infer.requestDeserialize(infer.requestSerialize(request)) as unknown;
    expect(decoded).toEqual({
      model_name: 'resnet',
      model_version: '3',
      id: 'req-1',
      parameters: {
        priority: { int64_param: '9007199254740993', parameter_choice: 'int64_param' },
      },
      inputs: [{ name: 'x', datatype: 'FP32', shape: ['2', '2'], parameters: {}, contents: null }],
      outputs: [{ name: 'y', parameters: {} }],
      raw_input_contents: [tensor],
    });
    const raw = (decoded as { raw_input_contents: unknown[] }).raw_input_contents[0];
    expect(Buffer.isBuffer(raw)).toBe(true);
  });

  it('decodes bytes as views of the received message, without copying', () => {
    const infer = method('ModelInfer');
    const wire = infer.requestSerialize({ raw_input_contents: [tensor] });
    const decoded = infer.requestDeserialize(wire) as { raw_input_contents: Buffer[] };
    const [raw] = decoded.raw_input_contents;
    expect(raw?.buffer).toBe(wire.buffer);
  });

  it('round-trips raw_output_contents and uint64 contents beyond 2^53 exactly', () => {
    const response: ModelInferResponse = {
      model_name: 'resnet',
      outputs: [
        {
          name: 'ids',
          datatype: 'UINT64',
          shape: [2],
          contents: { uint64_contents: ['18446744073709551615', '1'] },
        },
        { name: 'y', datatype: 'FP32', shape: [4] },
      ],
      raw_output_contents: [Buffer.alloc(0), tensor],
    };
    const infer = method('ModelInfer');
    const decoded = infer.responseDeserialize(infer.responseSerialize(response)) as {
      outputs: { contents: { uint64_contents: string[] } | null }[];
      raw_output_contents: Buffer[];
    };
    expect(decoded.outputs[0]?.contents?.uint64_contents).toEqual(['18446744073709551615', '1']);
    expect(decoded.outputs[1]?.contents).toBeNull();
    expect(decoded.raw_output_contents).toEqual([Buffer.alloc(0), tensor]);
  });
});
