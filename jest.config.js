// Runs every project's tests from the root: `npx jest` (nx runs them per project).
module.exports = {
  projects: ['<rootDir>/apps/*/jest.config.js', '<rootDir>/libs/*/jest.config.js', '<rootDir>/test/jest.config.js'],
};
