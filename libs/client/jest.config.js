// The jobs tests run an optimizer worker in-process (onnxruntime-node): same environment as libs/onnx.
module.exports = require('../../jest.preset.js')(__dirname, {
  testEnvironment: require.resolve('../onnx/jest-ort-environment.js'),
});
