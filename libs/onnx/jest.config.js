// onnxruntime-node needs typed arrays shared with the outer realm; see jest-ort-environment.js.
module.exports = require('../../jest.preset.js')(__dirname, {
  testEnvironment: require.resolve('./jest-ort-environment.js'),
});
