// Jest's node environment runs tests in a separate realm that has its own typed-array constructors
// (only ArrayBuffer and Uint8Array are shared). onnxruntime-node's native code creates output data
// with the outer realm's Float32Array, BigInt64Array, …, which then fail onnxruntime-common's
// `instanceof` checks ("A float32 tensor's data must be type of function Float32Array()").
// Sharing every typed-array constructor with the outer realm makes both sides agree.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'Int8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
