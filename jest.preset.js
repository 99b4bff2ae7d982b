// Shared Jest settings: every project's jest.config.js calls this with its own directory.
const path = require('node:path');

const swcTransform = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @param {string} projectDir @param {import('jest').Config} [overrides] */
module.exports = function createJestConfig(projectDir, overrides = {}) {
  const root = __dirname;
  return {
    displayName: path.relative(root, projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.spec.ts'],
    transform: { '^.+\\.ts$': swcTransform },
    moduleNameMapper: {
      '^@aiaas/(inference-node|registry|gateway|optimizer)$': path.join(root, 'apps/$1/src/index.ts'),
      '^@aiaas/(common|proto|onnx|testing|v2-rest|telemetry|client)$': path.join(root, 'libs/$1/src/index.ts'),
    },
    globalSetup: path.join(root, 'jest.global-setup.js'),
    testTimeout: 30000,
    ...overrides,
  };
};
