// onnxruntime-node runs in these tests (in-process workers): it needs the same environment as libs/onnx.
module.exports = require('../../jest.preset.js')(__dirname, {
  testEnvironment: require.resolve('../../libs/onnx/jest-ort-environment.js'),
  testTimeout: 120000,
});
