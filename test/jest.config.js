// The end-to-end flows (e2e/), and the unit tests of the benches' own arithmetic (../bench).
module.exports = require('../jest.preset.js')(__dirname, {
  testTimeout: 60000,
  roots: ['<rootDir>/e2e', '<rootDir>/../bench'],
  testMatch: ['<rootDir>/e2e/**/*.spec.ts', '<rootDir>/../bench/**/*.spec.ts'],
});
