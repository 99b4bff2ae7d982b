// Guards wire compatibility with Triton / KServe clients: every field number and type below is
// upstream's (triton-inference-server/common protobuf/grpc_service.proto and model_config.proto;
// the OIP subset also matches kserve/open-inference-protocol open_inference_grpc.proto). A
// renumbered or retyped field fails these tests even if our own encoder and decoder still agree.
import path from 'node:path';
import * as protobuf from 'protobufjs';
import { findProtoDir, loadInferencePackage } from './load-inference-package';

// --- Hand-written protobuf encoding -------------------------------------------------------------

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;

function varint(value: number | bigint): number[] {
  // Negative int64 values go on the wire as their 64-bit two's complement.
  let rest = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest > 0n ? low | 0x80 : low);
  } while (rest > 0n);
  return bytes;
}

function key(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

function varintField(field: number, value: number | bigint): number[] {
  return [...key(field, VARINT), ...varint(value)];
}

function bytesField(field: number, payload: Iterable<number>): number[] {
  const bytes = [...payload];
  return [...key(field, LENGTH_DELIMITED), ...varint(bytes.length), ...bytes];
}

function stringField(field: number, value: string): number[] {
  return bytesField(field, Buffer.from(value, 'utf8'));
}

function packedVarints(field: number, values: (number | bigint)[]): number[] {
  return bytesField(
    field,
    values.flatMap((value) => varint(value)),
  );
}

function doubleField(field: number, value: number): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...key(field, FIXED64), ...bytes];
}

/** A map<K, V> entry: key is field 1 and value field 2 of an implicit entry message. */
function mapEntry(field: number, entryKey: number[], entryValue: number[]): number[] {
  return bytesField(field, [...entryKey, ...entryValue]);
}

const wire = (...parts: number[][]): Buffer => Buffer.from(parts.flat());

const UINT64_MAX = 18446744073709551615n;

// --- Decoding hand-written bytes ------------------------------------------------------------------

describe('hand-written protobuf bytes decode into the upstream fields', () => {
  const pkg = loadInferencePackage().inference;
  const infer = pkg.GRPCInferenceService.service.ModelInfer;

  it('ModelInferRequest field 7 is raw_input_contents', () => {
    // key = (7 << 3) | LENGTH_DELIMITED = 0x3a, length 3, payload 01 02 03
    const bytes = Buffer.from([0x3a, 0x03, 0x01, 0x02, 0x03]);
    const request = infer.requestDeserialize(bytes);
    expect(request.raw_input_contents).toEqual([Buffer.from([1, 2, 3])]);
    // ...and our encoder writes exactly those bytes.
    expect(infer.requestSerialize({ raw_input_contents: [Buffer.from([1, 2, 3])] })).toEqual(bytes);
  });

  it('ModelInferRequest fields 1-6 and its nested tensors', () => {
    const request = infer.requestDeserialize(
      wire(
        stringField(1, 'resnet'),
        stringField(2, '2'),
        stringField(3, 'req-9'),
        mapEntry(4, stringField(1, 'seq'), bytesField(2, varintField(5, UINT64_MAX))),
        bytesField(
          5,
          wire(
            stringField(1, 'x'),
            stringField(2, 'FP32'),
            packedVarints(3, [-1, 3]),
            mapEntry(4, stringField(1, 'binary'), bytesField(2, varintField(1, 1))),
            bytesField(5, packedVarints(2, [-7, 8])),
          ),
        ),
        bytesField(
          6,
          wire(
            stringField(1, 'y'),
            mapEntry(2, stringField(1, 'top_k'), bytesField(2, varintField(2, 5))),
          ),
        ),
      ),
    );
    expect(request).toMatchObject({
      model_name: 'resnet',
      model_version: '2',
      id: 'req-9',
      parameters: {
        seq: { uint64_param: '18446744073709551615', parameter_choice: 'uint64_param' },
      },
      inputs: [
        {
          name: 'x',
          datatype: 'FP32',
          shape: ['-1', '3'],
          parameters: { binary: { bool_param: true, parameter_choice: 'bool_param' } },
          contents: { int_contents: [-7, 8] },
        },
      ],
      outputs: [{ name: 'y', parameters: { top_k: { int64_param: '5' } } }],
      raw_input_contents: [],
    });
  });

  it('ModelInferResponse field 6 is raw_output_contents and field 5 the outputs', () => {
    const response = infer.responseDeserialize(
      wire(
        stringField(1, 'resnet'),
        stringField(3, 'req-9'),
        bytesField(5, wire(stringField(1, 'y'), stringField(2, 'FP16'), packedVarints(3, [1, 2]))),
        bytesField(6, [0x00, 0x3c, 0x00, 0x40]),
      ),
    );
    expect(response).toMatchObject({
      model_name: 'resnet',
      id: 'req-9',
      outputs: [{ name: 'y', datatype: 'FP16', shape: ['1', '2'], contents: null }],
      raw_output_contents: [Buffer.from([0x00, 0x3c, 0x00, 0x40])],
    });
  });

  it('ModelStreamInferResponse: error_message = 1, infer_response = 2', () => {
    const stream = pkg.GRPCInferenceService.service.ModelStreamInfer;
    const message = stream.responseDeserialize(
      wire(
        stringField(1, 'bad input'),
        bytesField(2, wire(stringField(1, 'm'), bytesField(6, [9]))),
      ),
    );
    expect(message.error_message).toBe('bad input');
    expect(message.infer_response?.model_name).toBe('m');
    expect(message.infer_response?.raw_output_contents).toEqual([Buffer.from([9])]);
  });

  it('InferParameter: double_param = 4 (fixed64) and string_param = 3', () => {
    expect(pkg.InferParameter.deserialize(wire(doubleField(4, 0.25)))).toMatchObject({
      double_param: 0.25,
      parameter_choice: 'double_param',
    });
    expect(pkg.InferParameter.deserialize(wire(stringField(3, 'on')))).toMatchObject({
      string_param: 'on',
      parameter_choice: 'string_param',
    });
  });

  it('InferTensorContents fields 1-8', () => {
    const fp32 = Buffer.alloc(4);
    fp32.writeFloatLE(1.5);
    const fp64 = Buffer.alloc(8);
    fp64.writeDoubleLE(-2.25);
    const contents = pkg.InferTensorContents.deserialize(
      wire(
        packedVarints(1, [1, 0]),
        packedVarints(2, [-3]),
        packedVarints(3, [-9007199254740993n]),
        packedVarints(4, [4294967295]),
        packedVarints(5, [UINT64_MAX]),
        bytesField(6, fp32),
        bytesField(7, fp64),
        bytesField(8, Buffer.from('abc')),
      ),
    );
    expect(contents).toEqual({
      bool_contents: [true, false],
      int_contents: [-3],
      int64_contents: ['-9007199254740993'],
      uint_contents: [4294967295],
      uint64_contents: ['18446744073709551615'],
      fp32_contents: [1.5],
      fp64_contents: [-2.25],
      bytes_contents: [Buffer.from('abc')],
    });
  });

  it('ModelStatistics: inference_count = 4, memory_usage = 8, response_stats = 9', () => {
    const stats = pkg.ModelStatistics.deserialize(
      wire(
        stringField(1, 'resnet'),
        varintField(4, 12),
        bytesField(8, wire(stringField(1, 'GPU'), varintField(2, 0), varintField(3, 1024))),
        mapEntry(
          9,
          stringField(1, '0'),
          bytesField(2, bytesField(6, wire(varintField(1, 5), varintField(2, 700)))),
        ),
      ),
    );
    expect(stats).toMatchObject({
      name: 'resnet',
      inference_count: '12',
      memory_usage: [{ type: 'GPU', id: '0', byte_size: '1024' }],
      response_stats: { '0': { cancel: { count: '5', ns: '700' }, success: null } },
    });
  });

  it('ModelConfig: backend = 17, runtime = 25, dynamic_batching = 11, parameters = 14, ...', () => {
    const config = pkg.ModelConfig.deserialize(
      wire(
        stringField(1, 'resnet'),
        stringField(17, 'onnxruntime'),
        stringField(25, 'libtriton_onnxruntime.so'),
        varintField(4, 8),
        bytesField(5, wire(stringField(1, 'x'), varintField(2, 11), packedVarints(4, [-1, 3]))),
        bytesField(6, wire(stringField(1, 'y'), varintField(2, 13), packedVarints(3, [1]))),
        bytesField(7, wire(varintField(4, 2), varintField(2, 4))),
        bytesField(
          11,
          wire(varintField(2, 100), varintField(4, 2), bytesField(6, varintField(1, 1))),
        ),
        mapEntry(14, stringField(1, 'threads'), bytesField(2, stringField(1, '4'))),
        bytesField(16, wire(stringField(1, 'warm'), varintField(2, 1))),
        bytesField(19, varintField(1, 1)),
      ),
    );
    expect(config).toMatchObject({
      name: 'resnet',
      backend: 'onnxruntime',
      runtime: 'libtriton_onnxruntime.so',
      max_batch_size: 8,
      input: [{ name: 'x', data_type: 'TYPE_FP32', dims: ['-1', '3'], format: 'FORMAT_NONE' }],
      output: [{ name: 'y', data_type: 'TYPE_STRING', dims: ['1'] }],
      instance_group: [{ kind: 'KIND_CPU', count: 4 }],
      scheduling_choice: 'dynamic_batching',
      dynamic_batching: {
        max_queue_delay_microseconds: '100',
        priority_levels: '2',
        default_queue_policy: { timeout_action: 'DELAY' },
      },
      parameters: { threads: { string_value: '4' } },
      model_warmup: [{ name: 'warm', batch_size: 1 }],
      model_transaction_policy: { decoupled: true },
    });
  });

  it('RepositoryModelLoadRequest parameters = 3 with ModelRepositoryParameter.bytes_param = 4', () => {
    const load = pkg.GRPCInferenceService.service.RepositoryModelLoad;
    const request = load.requestDeserialize(
      wire(
        stringField(2, 'resnet'),
        mapEntry(3, stringField(1, 'file:1/model.onnx'), bytesField(2, bytesField(4, [7, 7]))),
      ),
    );
    expect(request).toMatchObject({
      model_name: 'resnet',
      parameters: {
        'file:1/model.onnx': { bytes_param: Buffer.from([7, 7]), parameter_choice: 'bytes_param' },
      },
    });
  });
});

// --- Every field against the upstream declaration ------------------------------------------------

/**
 * Upstream declarations of every message we define, written as in the .proto files
 * (`<label> <type> = <number>`). Keep in sync with upstream, never with our protos.
 */
const UPSTREAM_FIELDS: Record<string, Record<string, string>> = {
  ServerLiveRequest: {},
  ServerLiveResponse: { live: 'bool = 1' },
  ServerReadyRequest: {},
  ServerReadyResponse: { ready: 'bool = 1' },
  ModelReadyRequest: { name: 'string = 1', version: 'string = 2' },
  ModelReadyResponse: { ready: 'bool = 1' },
  ServerMetadataRequest: {},
  ServerMetadataResponse: {
    name: 'string = 1',
    version: 'string = 2',
    extensions: 'repeated string = 3',
  },
  ModelMetadataRequest: { name: 'string = 1', version: 'string = 2' },
  ModelMetadataResponse: {
    name: 'string = 1',
    versions: 'repeated string = 2',
    platform: 'string = 3',
    inputs: 'repeated TensorMetadata = 4',
    outputs: 'repeated TensorMetadata = 5',
  },
  'ModelMetadataResponse.TensorMetadata': {
    name: 'string = 1',
    datatype: 'string = 2',
    shape: 'repeated int64 = 3',
  },
  InferParameter: {
    bool_param: 'bool = 1',
    int64_param: 'int64 = 2',
    string_param: 'string = 3',
    double_param: 'double = 4',
    uint64_param: 'uint64 = 5',
  },
  InferTensorContents: {
    bool_contents: 'repeated bool = 1',
    int_contents: 'repeated int32 = 2',
    int64_contents: 'repeated int64 = 3',
    uint_contents: 'repeated uint32 = 4',
    uint64_contents: 'repeated uint64 = 5',
    fp32_contents: 'repeated float = 6',
    fp64_contents: 'repeated double = 7',
    bytes_contents: 'repeated bytes = 8',
  },
  ModelInferRequest: {
    model_name: 'string = 1',
    model_version: 'string = 2',
    id: 'string = 3',
    parameters: 'map<string, InferParameter> = 4',
    inputs: 'repeated InferInputTensor = 5',
    outputs: 'repeated InferRequestedOutputTensor = 6',
    raw_input_contents: 'repeated bytes = 7',
  },
  'ModelInferRequest.InferInputTensor': {
    name: 'string = 1',
    datatype: 'string = 2',
    shape: 'repeated int64 = 3',
    parameters: 'map<string, InferParameter> = 4',
    contents: 'InferTensorContents = 5',
  },
  'ModelInferRequest.InferRequestedOutputTensor': {
    name: 'string = 1',
    parameters: 'map<string, InferParameter> = 2',
  },
  ModelInferResponse: {
    model_name: 'string = 1',
    model_version: 'string = 2',
    id: 'string = 3',
    parameters: 'map<string, InferParameter> = 4',
    outputs: 'repeated InferOutputTensor = 5',
    raw_output_contents: 'repeated bytes = 6',
  },
  'ModelInferResponse.InferOutputTensor': {
    name: 'string = 1',
    datatype: 'string = 2',
    shape: 'repeated int64 = 3',
    parameters: 'map<string, InferParameter> = 4',
    contents: 'InferTensorContents = 5',
  },
  ModelStreamInferResponse: {
    error_message: 'string = 1',
    infer_response: 'ModelInferResponse = 2',
  },
  ModelConfigRequest: { name: 'string = 1', version: 'string = 2' },
  ModelConfigResponse: { config: 'ModelConfig = 1' },
  ModelStatisticsRequest: { name: 'string = 1', version: 'string = 2' },
  StatisticDuration: { count: 'uint64 = 1', ns: 'uint64 = 2' },
  InferStatistics: {
    success: 'StatisticDuration = 1',
    fail: 'StatisticDuration = 2',
    queue: 'StatisticDuration = 3',
    compute_input: 'StatisticDuration = 4',
    compute_infer: 'StatisticDuration = 5',
    compute_output: 'StatisticDuration = 6',
    cache_hit: 'StatisticDuration = 7',
    cache_miss: 'StatisticDuration = 8',
  },
  InferResponseStatistics: {
    compute_infer: 'StatisticDuration = 1',
    compute_output: 'StatisticDuration = 2',
    success: 'StatisticDuration = 3',
    fail: 'StatisticDuration = 4',
    empty_response: 'StatisticDuration = 5',
    cancel: 'StatisticDuration = 6',
  },
  InferBatchStatistics: {
    batch_size: 'uint64 = 1',
    compute_input: 'StatisticDuration = 2',
    compute_infer: 'StatisticDuration = 3',
    compute_output: 'StatisticDuration = 4',
  },
  MemoryUsage: { type: 'string = 1', id: 'int64 = 2', byte_size: 'uint64 = 3' },
  ModelStatistics: {
    name: 'string = 1',
    version: 'string = 2',
    last_inference: 'uint64 = 3',
    inference_count: 'uint64 = 4',
    execution_count: 'uint64 = 5',
    inference_stats: 'InferStatistics = 6',
    batch_stats: 'repeated InferBatchStatistics = 7',
    memory_usage: 'repeated MemoryUsage = 8',
    response_stats: 'map<string, InferResponseStatistics> = 9',
  },
  ModelStatisticsResponse: { model_stats: 'repeated ModelStatistics = 1' },
  ModelRepositoryParameter: {
    bool_param: 'bool = 1',
    int64_param: 'int64 = 2',
    string_param: 'string = 3',
    bytes_param: 'bytes = 4',
  },
  RepositoryIndexRequest: { repository_name: 'string = 1', ready: 'bool = 2' },
  RepositoryIndexResponse: { models: 'repeated ModelIndex = 1' },
  'RepositoryIndexResponse.ModelIndex': {
    name: 'string = 1',
    version: 'string = 2',
    state: 'string = 3',
    reason: 'string = 4',
  },
  RepositoryModelLoadRequest: {
    repository_name: 'string = 1',
    model_name: 'string = 2',
    parameters: 'map<string, ModelRepositoryParameter> = 3',
  },
  RepositoryModelLoadResponse: {},
  RepositoryModelUnloadRequest: {
    repository_name: 'string = 1',
    model_name: 'string = 2',
    parameters: 'map<string, ModelRepositoryParameter> = 3',
  },
  RepositoryModelUnloadResponse: {},

  // model_config.proto (the subset we keep; omitted upstream numbers are reserved there).
  ModelInstanceGroup: {
    name: 'string = 1',
    kind: 'Kind = 4',
    count: 'int32 = 2',
    gpus: 'repeated int32 = 3',
  },
  ModelTensorReshape: { shape: 'repeated int64 = 1' },
  ModelInput: {
    name: 'string = 1',
    data_type: 'DataType = 2',
    format: 'Format = 3',
    dims: 'repeated int64 = 4',
    reshape: 'ModelTensorReshape = 5',
    allow_ragged_batch: 'bool = 7',
    optional: 'bool = 8',
  },
  ModelOutput: {
    name: 'string = 1',
    data_type: 'DataType = 2',
    dims: 'repeated int64 = 3',
    reshape: 'ModelTensorReshape = 5',
    label_filename: 'string = 4',
  },
  ModelVersionPolicy: { latest: 'Latest = 1', all: 'All = 2', specific: 'Specific = 3' },
  'ModelVersionPolicy.Latest': { num_versions: 'uint32 = 1' },
  'ModelVersionPolicy.All': {},
  'ModelVersionPolicy.Specific': { versions: 'repeated int64 = 1' },
  ModelQueuePolicy: {
    timeout_action: 'TimeoutAction = 1',
    default_timeout_microseconds: 'uint64 = 2',
    allow_timeout_override: 'bool = 3',
    max_queue_size: 'uint32 = 4',
  },
  ModelDynamicBatching: {
    preferred_batch_size: 'repeated int32 = 1',
    max_queue_delay_microseconds: 'uint64 = 2',
    preserve_ordering: 'bool = 3',
    priority_levels: 'uint64 = 4',
    default_priority_level: 'uint64 = 5',
    default_queue_policy: 'ModelQueuePolicy = 6',
    priority_queue_policy: 'map<uint64, ModelQueuePolicy> = 7',
  },
  ModelParameter: { string_value: 'string = 1' },
  ModelWarmup: {
    name: 'string = 1',
    batch_size: 'uint32 = 2',
    inputs: 'map<string, Input> = 3',
    count: 'uint32 = 4',
  },
  'ModelWarmup.Input': {
    data_type: 'DataType = 1',
    dims: 'repeated int64 = 2',
    zero_data: 'bool = 3',
    random_data: 'bool = 4',
    input_data_file: 'string = 5',
  },
  ModelTransactionPolicy: { decoupled: 'bool = 1' },
  ModelConfig: {
    name: 'string = 1',
    platform: 'string = 2',
    backend: 'string = 17',
    runtime: 'string = 25',
    version_policy: 'ModelVersionPolicy = 3',
    max_batch_size: 'int32 = 4',
    input: 'repeated ModelInput = 5',
    output: 'repeated ModelOutput = 6',
    dynamic_batching: 'ModelDynamicBatching = 11',
    instance_group: 'repeated ModelInstanceGroup = 7',
    default_model_filename: 'string = 8',
    parameters: 'map<string, ModelParameter> = 14',
    model_warmup: 'repeated ModelWarmup = 16',
    model_transaction_policy: 'ModelTransactionPolicy = 19',
  },
};

/** Upstream enum values (model_config.proto). */
const UPSTREAM_ENUMS: Record<string, Record<string, number>> = {
  DataType: {
    TYPE_INVALID: 0,
    TYPE_BOOL: 1,
    TYPE_UINT8: 2,
    TYPE_UINT16: 3,
    TYPE_UINT32: 4,
    TYPE_UINT64: 5,
    TYPE_INT8: 6,
    TYPE_INT16: 7,
    TYPE_INT32: 8,
    TYPE_INT64: 9,
    TYPE_FP16: 10,
    TYPE_FP32: 11,
    TYPE_FP64: 12,
    TYPE_STRING: 13,
    TYPE_BF16: 14,
  },
  'ModelInstanceGroup.Kind': { KIND_AUTO: 0, KIND_GPU: 1, KIND_CPU: 2, KIND_MODEL: 3 },
  'ModelInput.Format': { FORMAT_NONE: 0, FORMAT_NHWC: 1, FORMAT_NCHW: 2 },
  'ModelQueuePolicy.TimeoutAction': { REJECT: 0, DELAY: 1 },
};

/** Upstream field numbers our model_config.proto subset leaves out; reserved so they stay free. */
const UPSTREAM_OMITTED_NUMBERS: Record<string, number[]> = {
  ModelInstanceGroup: [5, 6, 7, 8, 9],
  ModelInput: [6, 9],
  ModelOutput: [6, 7],
  ModelConfig: [9, 10, 12, 13, 15, 18, 20, 21, 23, 24, 26],
};

function declaration(field: protobuf.Field): string {
  if (field instanceof protobuf.MapField) {
    return `map<${field.keyType}, ${field.type}> = ${field.id}`;
  }
  return `${field.repeated ? 'repeated ' : ''}${field.type} = ${field.id}`;
}

describe('field numbers and types match upstream', () => {
  const root = new protobuf.Root().loadSync(path.join(findProtoDir(), 'inference.proto'), {
    keepCase: true,
  });
  const inference = root.lookup('inference');
  if (!(inference instanceof protobuf.Namespace)) {
    throw new Error('expected package "inference" in inference.proto');
  }

  const types: Map<string, protobuf.Type> = new Map();
  const enums: Map<string, protobuf.Enum> = new Map();
  const collect = (namespace: protobuf.NamespaceBase, prefix: string): void => {
    for (const nested of namespace.nestedArray) {
      const name = prefix + nested.name;
      if (nested instanceof protobuf.Type) {
        types.set(name, nested);
        collect(nested, `${name}.`);
      } else if (nested instanceof protobuf.Enum) {
        enums.set(name, nested);
      }
    }
  };
  collect(inference, '');

  it('defines exactly the upstream messages listed here', () => {
    expect([...types.keys()].sort()).toEqual(Object.keys(UPSTREAM_FIELDS).sort());
  });

  it.each(Object.entries(UPSTREAM_FIELDS))('%s', (name, expected) => {
    const type = types.get(name);
    if (type === undefined) {
      throw new Error(`expected message inference.${name}`);
    }
    const actual = Object.fromEntries(
      type.fieldsArray.map((field) => [field.name, declaration(field)]),
    );
    expect(actual).toEqual(expected);
  });

  it('keeps upstream enum values', () => {
    expect([...enums.keys()].sort()).toEqual(Object.keys(UPSTREAM_ENUMS).sort());
    for (const [name, values] of Object.entries(UPSTREAM_ENUMS)) {
      expect(enums.get(name)?.values).toEqual(values);
    }
  });

  it('keeps the oneofs upstream has', () => {
    const oneof = (message: string, name: string): string[] | undefined =>
      types.get(message)?.oneofs?.[name]?.oneof;
    expect(oneof('InferParameter', 'parameter_choice')).toEqual([
      'bool_param',
      'int64_param',
      'string_param',
      'double_param',
      'uint64_param',
    ]);
    expect(oneof('ModelRepositoryParameter', 'parameter_choice')).toEqual([
      'bool_param',
      'int64_param',
      'string_param',
      'bytes_param',
    ]);
    expect(oneof('ModelVersionPolicy', 'policy_choice')).toEqual(['latest', 'all', 'specific']);
    expect(oneof('ModelConfig', 'scheduling_choice')).toEqual(['dynamic_batching']);
    expect(oneof('ModelWarmup.Input', 'input_data_type')).toEqual([
      'zero_data',
      'random_data',
      'input_data_file',
    ]);
  });

  it.each(Object.entries(UPSTREAM_OMITTED_NUMBERS))(
    'reserves the upstream numbers %s leaves out',
    (name, numbers) => {
      // Type.isReservedId treats the parsed (inclusive) ranges as exclusive, so expand them here.
      const reserved = (types.get(name)?.reserved ?? []).flatMap((range) => {
        if (typeof range === 'string') {
          return [];
        }
        const [from = 0, to = from] = range;
        return Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
      });
      expect(reserved.sort((a, b) => a - b)).toEqual(numbers);
    },
  );
});
