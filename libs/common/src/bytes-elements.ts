import { InvalidArgumentError } from './errors';

/**
 * The Open Inference Protocol's BYTES raw form, shared by the inference node (gRPC
 * `raw_input_contents`) and the KServe V2 REST binary tensor data extension: each element is a
 * 4-byte little-endian unsigned length followed by that many bytes, elements concatenated.
 */

/** Which side of a request a tensor is on, for error messages (`input "x": …`). */
export type TensorRole = 'input' | 'output';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a BYTES raw block into its elements (views into `raw`, not copies) without decoding them.
 * Throws `InvalidArgumentError` when a length prefix is truncated, an element runs past the end,
 * or the block holds other than `expected` elements.
 */
export function splitBytesElements(name: string, raw: Buffer, expected: number, role: TensorRole = 'input'): Buffer[] {
  const elements: Buffer[] = [];
  let offset = 0;
  while (offset < raw.length) {
    if (offset + 4 > raw.length) {
      throw new InvalidArgumentError(
        `${role} "${name}": BYTES element ${elements.length} has a truncated 4-byte length prefix at byte ${offset} of ${raw.length}`,
      );
    }
    const length = raw.readUInt32LE(offset);
    offset += 4;
    if (offset + length > raw.length) {
      throw new InvalidArgumentError(
        `${role} "${name}": BYTES element ${elements.length} declares ${length} bytes but only ${raw.length - offset} remain`,
      );
    }
    elements.push(raw.subarray(offset, offset + length));
    offset += length;
  }
  if (elements.length !== expected) {
    throw new InvalidArgumentError(`${role} "${name}": shape needs ${expected} BYTES elements, got ${elements.length}`);
  }
  return elements;
}

/** Decodes one BYTES element as UTF-8, rejecting bytes that are not valid UTF-8. */
export function decodeUtf8Element(name: string, bytes: Uint8Array, role: TensorRole = 'input'): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    // onnxruntime-node and JSON both carry strings as JavaScript strings; bytes that are not UTF-8 cannot survive that.
    throw new InvalidArgumentError(`${role} "${name}": BYTES element is not valid UTF-8 (string tensors need text)`);
  }
}

/** Splits a BYTES raw block into `expected` UTF-8 strings; see {@link splitBytesElements}. */
export function decodeBytesElements(name: string, raw: Buffer, expected: number, role: TensorRole = 'input'): string[] {
  return splitBytesElements(name, raw, expected, role).map((element) => decodeUtf8Element(name, element, role));
}

/** Encodes strings (as UTF-8) or byte strings in the protocol's BYTES raw form. */
export function encodeBytesElements(elements: readonly (string | Uint8Array)[]): Buffer {
  const encoded = elements.map((e) => (typeof e === 'string' ? Buffer.from(e, 'utf8') : e));
  const out = Buffer.allocUnsafe(encoded.reduce((sum, e) => sum + 4 + e.length, 0));
  let offset = 0;
  for (const e of encoded) {
    out.writeUInt32LE(e.length, offset);
    out.set(e, offset + 4);
    offset += 4 + e.length;
  }
  return out;
}
