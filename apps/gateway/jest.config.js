// In-process optimizer workers and inference nodes run onnxruntime-node in these tests: it needs
// the typed-array constructors shared with the outer realm, like libs/onnx.
module.exports = require('../../jest.preset.js')(__dirname, {
  testEnvironment: require.resolve('../../libs/onnx/jest-ort-environment.js'),
});
