import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Options of {@link writeLargeModelFile}. */
export interface LargeModelFileOptions {
  /** FLOAT elements in the one initializer `W`; the file is about 4 bytes each. */
  parameters: number;
  /** Bytes written at a time, and the size of the random block repeated (each copy varied). @default 1 MiB */
  chunkBytes?: number;
}

/** What {@link writeLargeModelFile} wrote. */
export interface LargeModelFile {
  /** File size in bytes. */
  size: number;
  /** Lowercase hex sha256 of the file. */
  sha256: string;
  /** Bytes of the initializer's raw_data (4 × parameters). */
  rawDataBytes: number;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;

// ---- a minimal protobuf writer: enough for one ModelProto ----

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
const key = (field: number, wire: number): Buffer => varint(field * 8 + wire);
const intField = (field: number, value: number): Buffer => Buffer.concat([key(field, 0), varint(value)]);
const lenField = (field: number, body: Buffer): Buffer => Buffer.concat([key(field, 2), varint(body.length), body]);
const strField = (field: number, text: string): Buffer => lenField(field, Buffer.from(text, 'utf8'));

/** ValueInfoProto of a FLOAT tensor shaped [batch, n]. */
function floatInfo(name: string, n: number): Buffer {
  const shape = Buffer.concat([lenField(1, strField(2, 'batch')), lenField(1, intField(1, n))]);
  const tensorType = Buffer.concat([intField(1, 1), lenField(2, shape)]);
  return Buffer.concat([strField(1, name), lenField(2, lenField(1, tensorType))]);
}

/**
 * Writes a valid ONNX model `y = x + W` whose FLOAT initializer `W` holds `parameters` random
 * values as raw_data, streaming: the ModelProto prefix, the raw bytes a chunk at a time, then the
 * graph's inputs and outputs (protobuf fields may come in any order). Neither the model nor its
 * weights are ever held in memory, so it can make artifacts of any size for benchmarks and
 * memory tests. IR 8, opset 17, producer `aiaas-bench`, graph `big`, input `x` and output `y`
 * shaped [batch, parameters].
 */
export async function writeLargeModelFile(path: string, options: LargeModelFileOptions): Promise<LargeModelFile> {
  const { parameters } = options;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(parameters) || parameters < 1) {
    throw new RangeError(`parameters: expected a positive integer, got ${parameters}`);
  }
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`chunkBytes: expected a positive integer, got ${chunkBytes}`);
  }
  const rawBytes = parameters * 4;
  const node = Buffer.concat([
    strField(1, 'x'),
    strField(1, 'W'),
    strField(2, 'y'),
    strField(3, 'add'),
    strField(4, 'Add'),
  ]);
  const tensorHead = Buffer.concat([
    intField(1, parameters),
    intField(2, 1),
    strField(8, 'W'),
    key(9, 2),
    varint(rawBytes),
  ]);
  const tensorLength = tensorHead.length + rawBytes;
  const graphHead = Buffer.concat([lenField(1, node), strField(2, 'big'), key(5, 2), varint(tensorLength), tensorHead]);
  const graphTail = Buffer.concat([lenField(11, floatInfo('x', parameters)), lenField(12, floatInfo('y', parameters))]);
  const graphLength = graphHead.length + rawBytes + graphTail.length;
  const modelHead = Buffer.concat([
    intField(1, 8),
    strField(2, 'aiaas-bench'),
    lenField(8, intField(2, 17)),
    key(7, 2),
    varint(graphLength),
    graphHead,
  ]);

  const hash = createHash('sha256');
  async function* parts(): AsyncGenerator<Buffer> {
    yield modelHead;
    // Random bytes cost more than the write; one random block, varied per copy, keeps the file
    // from being one repeated block. Each chunk is its own copy: the stream may still hold the last.
    const block = randomBytes(chunkBytes);
    for (let left = rawBytes; left > 0; left -= chunkBytes) {
      const chunk = Buffer.from(block.subarray(0, Math.min(chunkBytes, left)));
      if (chunk.length >= 4) chunk.writeUInt32LE(left >>> 0, 0);
      yield chunk;
    }
    yield graphTail;
  }
  async function* hashed(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const part of source) {
      hash.update(part);
      yield part;
    }
  }
  await pipeline(Readable.from(hashed(parts())), fs.createWriteStream(path));
  return { size: modelHead.length + rawBytes + graphTail.length, sha256: hash.digest('hex'), rawDataBytes: rawBytes };
}
