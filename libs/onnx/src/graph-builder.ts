import { onnxTypeBits, onnxTypeCode } from './datatypes';
import { encodeModel } from './model-codec';
import { ATTRIBUTE_TYPE } from './onnx-types';
import type {
  AttributeProto,
  ModelProto,
  NodeProto,
  OnnxTypeName,
  OperatorSetIdProto,
  TensorProto,
  TensorShapeDimension,
  ValueInfoProto,
} from './onnx-types';

/** A mistake in a graph being built: a duplicate or unknown name, or data that does not fit its shape. */
export class GraphBuilderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphBuilderError';
  }
}

/**
 * One dimension of a declared shape: a fixed size, a symbolic name shared by inputs and outputs
 * ('batch'), or '?' for a dimension that is unknown and unnamed.
 */
export type ShapeDim = number | string;

/** Element data for a tensor; typed arrays are stored as little-endian `raw_data`. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | readonly string[]
  | readonly boolean[]
  | readonly number[];

/** An attribute value for {@link GraphBuilder.addNode}; build one with {@link attr}. */
export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number | bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly (number | bigint)[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'tensor'; readonly value: TensorProto };

/**
 * Factories for node attributes. JavaScript numbers do not say whether they are ints or floats,
 * so the kind is explicit: `{ kernel_shape: attr.ints([3, 3]), alpha: attr.float(0.2) }`.
 */
export const attr = Object.freeze({
  int: (value: number | bigint): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
  ints: (value: readonly (number | bigint)[]): AttributeValue => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): AttributeValue => ({ kind: 'strings', value }),
  tensor: (value: TensorProto): AttributeValue => ({ kind: 'tensor', value }),
});

/** Options of {@link GraphBuilder.addNode}. */
export interface NodeOptions {
  /** Attributes by name. */
  attributes?: Readonly<Record<string, AttributeValue>>;
  /** @default `<opType>_<index>` */
  name?: string;
  /** Operator domain; the empty string is the default ONNX domain. @default '' */
  domain?: string;
}

/** Options of {@link GraphBuilder}. */
export interface GraphBuilderOptions {
  /** @default 'main' */
  graphName?: string;
  /** @default '@aiaas/onnx' */
  producerName?: string;
  /** @default '0.1.0' */
  producerVersion?: string;
  /** IR version 8 is read by every onnxruntime since 1.10. @default 8 */
  irVersion?: number;
  /** Version of the default (ai.onnx) operator set. @default 17 */
  opsetVersion?: number;
  /** @default undefined */
  docString?: string;
}

const UTF8 = new TextEncoder();
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// By tag rather than instanceof: typed arrays from another realm (vm, Jest, workers) still count,
// and a Buffer's tag is Uint8Array.
const DEFAULT_TYPE_OF_TAG: ReadonlyMap<string, OnnxTypeName> = new Map<string, OnnxTypeName>([
  ['Float32Array', 'FLOAT'],
  ['Float64Array', 'DOUBLE'],
  ['Int8Array', 'INT8'],
  ['Uint8Array', 'UINT8'],
  ['Int16Array', 'INT16'],
  ['Uint16Array', 'UINT16'],
  ['Int32Array', 'INT32'],
  ['Uint32Array', 'UINT32'],
  ['BigInt64Array', 'INT64'],
  ['BigUint64Array', 'UINT64'],
]);

const typedArrayTag = (data: object): string => Object.prototype.toString.call(data).slice(8, -1);

type TypedArray = Exclude<TensorData, readonly unknown[]>;

/**
 * Builds a {@link TensorProto} from element data. Typed arrays choose the type themselves
 * (Float32Array → FLOAT, BigInt64Array → INT64, …) unless `elemType` names another of the same
 * width (a Uint16Array of FLOAT16 bits, a Uint8Array of BOOL). Plain arrays need `elemType`
 * unless they hold strings (STRING) or booleans (BOOL). The data is copied.
 *
 * @throws GraphBuilderError when the element count does not match `dims` or the type does not fit the data
 */
export function createTensor(
  name: string,
  data: TensorData,
  dims: readonly number[],
  elemType?: OnnxTypeName,
): TensorProto {
  const badDim = dims.find((dim) => !Number.isSafeInteger(dim) || dim < 0);
  if (badDim !== undefined)
    throw new GraphBuilderError(`tensor "${name}": dimension ${badDim} is not a size`);
  const expected = dims.reduce((count, dim) => count * dim, 1);
  if (data.length !== expected) {
    throw new GraphBuilderError(
      `tensor "${name}": dims [${dims.join(',')}] need ${expected} elements, got ${data.length}`,
    );
  }
  const tensor: TensorProto = { name, dims: [...dims] };
  if (Array.isArray(data)) {
    const type = elemType ?? inferPlainArrayType(name, data);
    if (type === 'STRING') {
      if (!data.every((item) => typeof item === 'string')) {
        throw new GraphBuilderError(`tensor "${name}": STRING data must be an array of strings`);
      }
      tensor.dataType = onnxTypeCode('STRING');
      tensor.stringData = (data as readonly string[]).map((item) => UTF8.encode(item));
      return tensor;
    }
    return createTensor(name, plainToTypedArray(name, data, type), dims, type);
  }
  const typed = data as TypedArray;
  const tag = typedArrayTag(typed);
  const type = elemType ?? DEFAULT_TYPE_OF_TAG.get(tag);
  if (type === undefined) throw new GraphBuilderError(`tensor "${name}": a ${tag} is not tensor data`);
  const bits = onnxTypeBits(type);
  if (bits !== typed.BYTES_PER_ELEMENT * 8) {
    throw new GraphBuilderError(
      `tensor "${name}": ${type} elements (${bits === undefined ? 'variable size' : `${bits} bits`}) ` +
        `cannot come from a ${tag} (${typed.BYTES_PER_ELEMENT * 8} bits)`,
    );
  }
  tensor.dataType = onnxTypeCode(type);
  tensor.rawData = littleEndianBytes(typed);
  return tensor;
}

function inferPlainArrayType(name: string, data: readonly unknown[]): OnnxTypeName {
  if (data.length > 0 && data.every((item) => typeof item === 'string')) return 'STRING';
  if (data.length > 0 && data.every((item) => typeof item === 'boolean')) return 'BOOL';
  throw new GraphBuilderError(
    `tensor "${name}": give elemType for a plain array of numbers (or an empty array)`,
  );
}

function plainToTypedArray(name: string, data: readonly unknown[], type: OnnxTypeName): TypedArray {
  const numbers = (): number[] =>
    data.map((item, i) => {
      if (typeof item === 'number') return item;
      if (typeof item === 'boolean') return item ? 1 : 0;
      throw new GraphBuilderError(`tensor "${name}": element ${i} is a ${typeof item}, expected a number`);
    });
  switch (type) {
    case 'FLOAT':
      return Float32Array.from(numbers());
    case 'DOUBLE':
      return Float64Array.from(numbers());
    case 'INT8':
      return Int8Array.from(numbers());
    case 'UINT8':
    case 'BOOL':
      return Uint8Array.from(numbers());
    case 'INT16':
      return Int16Array.from(numbers());
    case 'UINT16':
      return Uint16Array.from(numbers());
    case 'INT32':
      return Int32Array.from(numbers());
    case 'UINT32':
      return Uint32Array.from(numbers());
    case 'INT64':
      return BigInt64Array.from(numbers(), (n) => toBigInt(name, n));
    case 'UINT64':
      return BigUint64Array.from(numbers(), (n) => toBigInt(name, n));
    default:
      // FLOAT16/BFLOAT16 would need float rounding to 16 bits; callers pass the bits as a Uint16Array.
      throw new GraphBuilderError(
        `tensor "${name}": ${type} cannot be built from a plain array; pass a typed array of its raw bits`,
      );
  }
}

function toBigInt(name: string, value: number): bigint {
  if (!Number.isSafeInteger(value))
    throw new GraphBuilderError(`tensor "${name}": ${value} is not an integer`);
  return BigInt(value);
}

function littleEndianBytes(data: TypedArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const width = data.BYTES_PER_ELEMENT;
  if (!HOST_IS_LITTLE_ENDIAN && width > 1) {
    for (let start = 0; start < bytes.length; start += width) bytes.subarray(start, start + width).reverse();
  }
  return bytes;
}

function toAttribute(name: string, value: AttributeValue): AttributeProto {
  const checkInt = (n: number | bigint): number | bigint => {
    if (typeof n === 'bigint' || Number.isSafeInteger(n)) return n;
    throw new GraphBuilderError(`attribute "${name}": ${n} is not an integer`);
  };
  switch (value.kind) {
    case 'int':
      return { name, type: ATTRIBUTE_TYPE.INT, i: checkInt(value.value) };
    case 'float':
      return { name, type: ATTRIBUTE_TYPE.FLOAT, f: value.value };
    case 'string':
      return { name, type: ATTRIBUTE_TYPE.STRING, s: UTF8.encode(value.value) };
    case 'ints':
      return { name, type: ATTRIBUTE_TYPE.INTS, ints: value.value.map(checkInt) };
    case 'floats':
      return { name, type: ATTRIBUTE_TYPE.FLOATS, floats: [...value.value] };
    case 'strings':
      return { name, type: ATTRIBUTE_TYPE.STRINGS, strings: value.value.map((s) => UTF8.encode(s)) };
    case 'tensor':
      return { name, type: ATTRIBUTE_TYPE.TENSOR, t: value.value };
  }
}

function valueInfo(
  name: string,
  elemType: OnnxTypeName,
  shape: readonly ShapeDim[] | undefined,
): ValueInfoProto {
  const dims = shape?.map((dim): TensorShapeDimension => {
    if (dim === '?') return {};
    if (typeof dim === 'string') return { dimParam: dim };
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new GraphBuilderError(`"${name}": dimension ${dim} is not a size; use a name for a dynamic one`);
    }
    return { dimValue: dim };
  });
  return {
    name,
    type: {
      tensorType: {
        elemType: onnxTypeCode(elemType),
        // No shape at all means "rank unknown"; an empty dim list means a scalar.
        ...(dims === undefined ? {} : { shape: dims.length > 0 ? { dim: dims } : {} }),
      },
    },
  };
}

/**
 * Builds an ONNX model one piece at a time, checking names as it goes, and encodes it.
 * The same calls always give the same bytes.
 *
 * @example
 * const bytes = new GraphBuilder()
 *   .addInput('x', 'FLOAT', ['batch', 4])
 *   .addInitializer('w', new Float32Array(16), [4, 4])
 *   .addNode('MatMul', ['x', 'w'], ['y'])
 *   .addOutput('y', 'FLOAT', ['batch', 4])
 *   .toBytes();
 */
export class GraphBuilder {
  private readonly options: Required<Omit<GraphBuilderOptions, 'docString' | 'opsetVersion'>> &
    Pick<GraphBuilderOptions, 'docString'>;
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly nodes: NodeProto[] = [];
  private readonly opsets = new Map<string, number>();
  private readonly metadata = new Map<string, string>();
  /** Names of graph inputs and initializers, which share one namespace. */
  private readonly sources = new Set<string>();

  constructor(options: GraphBuilderOptions = {}) {
    this.options = {
      graphName: options.graphName ?? 'main',
      producerName: options.producerName ?? '@aiaas/onnx',
      producerVersion: options.producerVersion ?? '0.1.0',
      irVersion: options.irVersion ?? 8,
      docString: options.docString,
    };
    this.opsets.set('', options.opsetVersion ?? 17);
  }

  /** Declares a graph input the caller feeds. */
  addInput(name: string, elemType: OnnxTypeName, shape: readonly ShapeDim[]): this {
    this.claimSource(name, 'input');
    this.inputs.push(valueInfo(name, elemType, shape));
    return this;
  }

  /** Declares a graph output; leave `shape` out when even its rank is unknown. */
  addOutput(name: string, elemType: OnnxTypeName, shape?: readonly ShapeDim[]): this {
    if (this.outputs.some((output) => output.name === name)) {
      throw new GraphBuilderError(`output "${name}" is declared twice`);
    }
    this.outputs.push(valueInfo(name, elemType, shape));
    return this;
  }

  /** Adds a constant tensor (see {@link createTensor} for how the type is chosen). */
  addInitializer(name: string, data: TensorData, dims: readonly number[], elemType?: OnnxTypeName): this {
    const tensor = createTensor(name, data, dims, elemType);
    this.claimSource(name, 'initializer');
    this.initializers.push(tensor);
    return this;
  }

  /**
   * Appends a node. Nodes must be added in execution order: each input must already be a graph
   * input, an initializer or an output of an earlier node ('' marks an omitted optional input).
   */
  addNode(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    options: NodeOptions = {},
  ): this {
    const name = options.name ?? `${opType}_${this.nodes.length}`;
    const node: NodeProto = { input: [...inputs], output: [...outputs], name, opType };
    if (options.domain !== undefined && options.domain !== '') node.domain = options.domain;
    const attributes = Object.entries(options.attributes ?? {}).map(([key, value]) =>
      toAttribute(key, value),
    );
    if (attributes.length > 0) node.attribute = attributes;
    this.nodes.push(node);
    return this;
  }

  /** Sets the version of an operator set; the empty domain (the default) is ai.onnx. */
  setOpset(version: number, domain = ''): this {
    this.opsets.set(domain === 'ai.onnx' ? '' : domain, version);
    return this;
  }

  /** Adds a `metadata_props` entry to the model. */
  setMetadata(key: string, value: string): this {
    this.metadata.set(key, value);
    return this;
  }

  /**
   * The model as a plain {@link ModelProto} (ready for `encodeModel` or further edits).
   *
   * @throws GraphBuilderError when a node reads a value nothing has produced yet, or an output is never produced
   */
  toModel(): ModelProto {
    this.checkDataflow();
    const opsetImport: OperatorSetIdProto[] = [...this.opsets].map(([domain, version]) =>
      domain === '' ? { domain: '', version } : { domain, version },
    );
    const model: ModelProto = {
      irVersion: this.options.irVersion,
      opsetImport,
      producerName: this.options.producerName,
      producerVersion: this.options.producerVersion,
      graph: {
        node: this.nodes.map((node) => ({ ...node })),
        name: this.options.graphName,
        initializer: [...this.initializers],
        input: [...this.inputs],
        output: [...this.outputs],
      },
    };
    if (this.options.docString !== undefined) model.docString = this.options.docString;
    if (this.metadata.size > 0) {
      model.metadataProps = [...this.metadata].map(([key, value]) => ({ key, value }));
    }
    return model;
  }

  /** The encoded `.onnx` bytes. */
  toBytes(): Uint8Array {
    return encodeModel(this.toModel());
  }

  private claimSource(name: string, kind: string): void {
    if (name === '') throw new GraphBuilderError(`an ${kind} needs a name`);
    if (this.sources.has(name)) {
      throw new GraphBuilderError(`${kind} "${name}": the name is already used by an input or initializer`);
    }
    this.sources.add(name);
  }

  private checkDataflow(): void {
    const available = new Set(this.sources);
    for (const node of this.nodes) {
      for (const input of node.input ?? []) {
        if (input !== '' && !available.has(input)) {
          throw new GraphBuilderError(
            `node "${node.name}" (${node.opType}): input "${input}" is not a graph input, initializer or output of an earlier node`,
          );
        }
      }
      for (const output of node.output ?? []) {
        if (available.has(output)) {
          throw new GraphBuilderError(
            `node "${node.name}" (${node.opType}): output "${output}" is already defined`,
          );
        }
        if (output !== '') available.add(output);
      }
    }
    for (const output of this.outputs) {
      if (!available.has(output.name ?? '')) {
        throw new GraphBuilderError(
          `output "${output.name}" is not produced by any node, input or initializer`,
        );
      }
    }
  }
}
